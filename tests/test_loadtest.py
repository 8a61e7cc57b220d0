"""A few seconds of the load test (manage.py loadtest runs it for a minute): gunicorn on the
test database, clients with tokens, no 5xx, and no accepted transition lost."""

import socket
import tempfile
from pathlib import Path

import pytest
from django.db import connection

from devtools import loadtest
from workflow.models import Case, CaseEvent

# gunicorn's workers are other processes, which no time travel reaches: these tests keep the
# machine's clock (`real_clock`), and the seeded notices are issued on the real today.
pytestmark = [pytest.mark.postgres, pytest.mark.real_clock]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_short_load_run_loses_nothing_and_never_fails(transactional_db):
    seats = loadtest.seed(cases=24)
    url = loadtest.database_url(connection.settings_dict, connection.settings_dict["NAME"])
    port = _free_port()
    with tempfile.TemporaryDirectory() as media, (Path(media) / "log").open("w") as log:
        server = loadtest.start_gunicorn(
            database_url=url, port=port, workers=2, media=Path(media), log=log
        )
        try:
            loadtest.wait_until_ready(port, seats[0].token)
            tally = loadtest.run_clients(seats, clients=4, port=port, seconds=3)
        finally:
            loadtest.stop(server)
    assert loadtest.server_errors(tally) == 0 and tally.errors == []
    assert tally.latencies["me"] and tally.latencies["list"]
    assert sum(tally.accepted.values()) > 0
    assert loadtest.lost_updates(url, tally.accepted) == []
    moved = CaseEvent.objects.exclude(kind="case.opened").count()
    assert moved == sum(tally.accepted.values())
    assert Case.objects.exclude(state="assigned").exists()


def test_the_load_test_refuses_a_database_on_another_machine():
    with pytest.raises(ValueError, match=r"127\.0\.0\.1"):
        loadtest.check_local("postgres://postgres@db.example.org:5432/dondoc")
