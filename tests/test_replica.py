"""Reports and dashboards read from a real streaming replica when DATABASE_REPLICA_URL is
set: a private primary and replica started for the test (tests/pg_pair.py), Django in a
process of its own on both (tests/replica_probe.py). Writes and every other page stay on
the primary; the person who just wrote reads the primary for a while; a replica that falls
behind (its replay paused) is left aside until it catches up."""

import json
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings

from tests import pg_pair

pytestmark = [
    pytest.mark.long,
    pytest.mark.postgres,
    pytest.mark.real_clock,
    pytest.mark.skipif(
        pg_pair.binaries() is None,
        reason="needs the PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) in "
        "/usr/lib/postgresql/*/bin to start a private primary and replica",
    ),
]
STICKY_SECONDS = 2


class Probe:
    def __init__(self, pair: pg_pair.Pair) -> None:
        env = os.environ | {
            "DATABASE_URL": pair.primary_url,
            "DATABASE_REPLICA_URL": pair.replica_url,
            "DONDOC_REPLICA_STICKY_SECONDS": str(STICKY_SECONDS),
            "DONDOC_NUDGE_IN_BACKGROUND": "false",
            "DJANGO_ALLOWED_HOSTS": "testserver",
        }
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "-v", "0"], env=env, cwd=settings.BASE_DIR, check=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.replica_probe"],
            env=env,
            cwd=settings.BASE_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.case = json.loads(self.process.stdout.readline())["case"]

    def ask(self, who: str, method: str, url: str, **data) -> dict:
        request = {"who": who, "method": method, "url": url, "data": data}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(30)


@pytest.fixture(scope="module")
def pair():
    with pg_pair.primary_and_replica("dondoc_replica") as started:
        yield started


@pytest.fixture(scope="module")
def probe(pair):
    started = Probe(pair)
    pg_pair.wait_until_replayed(pair)
    yield started
    started.close()


def _overdue(answer: dict) -> int:
    return sum(row["overdue"] for row in answer["body"]["by_committee"])


def test_reports_read_the_replica_and_whoever_just_wrote_reads_the_primary(pair, probe):
    dashboard = probe.ask("thuongtruc", "get", "/reports/")
    assert dashboard["status"] == 200
    assert dashboard["replica"] > 0 and dashboard["primary"] == 0, dashboard["on_primary"]
    before = probe.ask("ban_vhxh", "get", "/api/v1/reports/overdue/")
    assert before["replica"] > 0 and before["primary"] == 0

    # A write, and what it reads first, on the primary; nothing is ever written to the replica.
    started = probe.ask("so_ldtbxh", "post", f"/api/v1/cases/{probe.case}/start/")
    assert started["status"] == 200 and started["replica"] == 0
    assert started["replica_writes"] == 0
    # Its author's reports read the primary for a while; other pages always do.
    own = probe.ask("so_ldtbxh", "get", "/api/v1/reports/overdue/")
    assert own["status"] == 200 and own["replica"] == 0 and own["primary"] > 0
    page = probe.ask("thuongtruc", "get", f"/api/v1/cases/{probe.case}/")
    assert page["status"] == 200 and page["replica"] == 0
    time.sleep(STICKY_SECONDS + 0.5)
    pg_pair.wait_until_replayed(pair)
    later = probe.ask("so_ldtbxh", "get", "/api/v1/reports/overdue/")
    assert later["replica"] > 0 and later["primary"] == 0


def test_a_replica_that_falls_behind_is_left_aside_until_it_catches_up(pair, probe):
    before = probe.ask("ban_vhxh", "get", "/api/v1/reports/overdue/")
    assert before["replica"] > 0
    with pair.replica() as replica:
        replica.execute("SELECT pg_wal_replay_pause()")
        try:
            probe.ask("so_ldtbxh", "post", f"/api/v1/cases/{probe.case}/start/")  # if not yet
            reported = probe.ask(
                "so_ldtbxh", "post", f"/api/v1/cases/{probe.case}/report/", text="Đã xong."
            )
            assert reported["status"] == 200
            _wait_received_not_replayed(replica)
            behind = probe.ask("ban_vhxh", "get", "/api/v1/reports/overdue/")
            assert behind["replica"] == 0 and behind["primary"] > 0
            assert _overdue(behind) == _overdue(before) - 1  # the report counts at once
        finally:
            replica.execute("SELECT pg_wal_replay_resume()")
    pg_pair.wait_until_replayed(pair)
    caught_up = probe.ask("ban_vhxh", "get", "/api/v1/reports/overdue/")
    assert caught_up["replica"] > 0 and _overdue(caught_up) == _overdue(behind)


def _wait_received_not_replayed(replica, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if replica.execute(
            "SELECT pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn()"
        ).fetchone()[0]:
            return
        time.sleep(0.05)
    raise TimeoutError("the replica received nothing new")
