"""A few seconds of the load test (manage.py loadtest runs it for a minute): gunicorn on the
test database, clients with tokens, no 5xx, and no accepted transition lost."""

import tempfile
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from devtools.loadtest import clients, server, verdict
from devtools.loadtest.world import seed
from devtools.scratch import check_local, current_database_url
from workflow.models import Case, CaseEvent, CaseState, EventKind

# gunicorn's workers are other processes, which no time travel reaches: these tests keep the
# machine's clock (`real_clock`), and the seeded notices are issued on the real today.
pytestmark = [pytest.mark.postgres, pytest.mark.real_clock]


def test_a_short_load_run_loses_nothing_and_never_fails(transactional_db):
    callers = seed(cases=24)
    port = server.free_port()
    with tempfile.TemporaryDirectory() as media, (Path(media) / "log").open("w") as log:
        gunicorn = server.start_gunicorn(
            database_url=current_database_url(), port=port, workers=2, media=Path(media), log=log
        )
        try:
            server.wait_until_ready(port, callers[0].token)
            tally = clients.run_clients(callers, clients=4, port=port, seconds=3)
        finally:
            server.stop(gunicorn)
    assert verdict.server_errors(tally) == 0 and tally.errors == []
    assert tally.latencies["me"] and tally.latencies["list"]
    assert sum(tally.accepted.values()) > 0
    assert verdict.lost_updates(tally.accepted) == []
    moved = CaseEvent.objects.exclude(kind=EventKind.OPENED).count()
    assert moved == sum(tally.accepted.values())
    assert Case.objects.exclude(state=CaseState.ASSIGNED).exists()


def test_the_load_test_refuses_a_database_on_another_machine():
    with pytest.raises(CommandError, match=r"127\.0\.0\.1"):
        check_local("postgres://postgres@db.example.org:5432/dondoc")


def test_the_summary_prints_each_transition_against_the_trivial_get_of_the_same_run():
    tally = clients.Tally()
    tally.latencies["me"] += [0.002, 0.002, 0.003]
    tally.latencies["start"] += [0.008, 0.009]
    tally.latencies["close"] += [0.010]
    lines = verdict.summary(tally, seconds=1)
    start = next(line for line in lines if line.startswith("start"))
    assert start.split()[5:7] == ["4.5", "3.0"]  # p50 and p95 against /me/'s
    assert lines[-1].startswith("one transition: p50 9.0 ms = 4.5× the trivial")
