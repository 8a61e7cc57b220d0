"""`make run` the way a new user meets it: the demo on SQLite, the web server and one django-q2
worker started by scripts/run-demo (`make start` is `make run` without the install), on a free
port with a database of the test's own. Notices issued through the API reach the lead
department's notifications within a minute, while the web server and the worker both write,
and neither ever finds the database locked. Nothing is frozen: these are real processes, and
every date is counted from today."""

import datetime
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.helpers import ROOT, free_port

# The stack is other processes, which no time travel reaches: this test keeps the machine's
# clock (`real_clock`), and its notices are issued on the real today.
pytestmark = [pytest.mark.long, pytest.mark.stack, pytest.mark.real_clock]
STARTUP_SECONDS = 240  # migrations, the demo and the schedules on a shared 2-core machine
TOLD_WITHIN = datetime.timedelta(minutes=1)
NOTICES = 8  # issued back to back, so that the worker fans out while the web server writes
# Cần Thơ city's departments today (the demo's successions moved Hậu Giang's into them);
# `so_ldtbxh` now sits in its Sở Nội vụ.
LEADS = ["ct-so-nv", "ct-so-tc", "ct-so-nnmt", "ct-so-ct", "ct-so-xd", "ct-so-gddt"]
LEAD = LEADS[0]
LOCKED = "database is locked"


@dataclass
class Stack:
    base: str
    process: subprocess.Popen
    web_log: Path
    worker_log: Path

    def call(self, method: str, path: str, token: str = "", body=None) -> tuple[int, object]:
        request = urllib.request.Request(
            self.base + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json"}
            | ({"Authorization": f"Token {token}"} if token else {}),
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as refusal:
            return refusal.code, _gist(refusal.read().decode(errors="replace"))

    def token(self, username: str) -> str:
        status, body = self.call("POST", "/api/v1/auth/token/", body=_demo_login(username))
        assert status == 200, body
        return body["token"]


def _gist(body: str) -> str:
    """A JSON refusal as it is; of Django's HTML error page, its title (the exception)."""
    found = re.search(r"<title>(.*?)</title>", body, re.S)
    return " ".join(found.group(1).split()) if found else body[:2000]


def _demo_login(username: str) -> dict:
    return {"username": username, "password": "demo"}


def _wait_until_up(stack: Stack) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert stack.process.poll() is None, stack.web_log.read_text()[-3000:]
        try:
            urllib.request.urlopen(stack.base + "/api/v1/me/", timeout=5)
        except urllib.error.HTTPError:
            return  # 401: the server answers
        except OSError:
            time.sleep(1)
    pytest.fail(f"`make start` did not answer within {STARTUP_SECONDS} s")


def _stop(process: subprocess.Popen) -> None:
    """Ctrl-C, as a user stops `make run`, then whatever is left of its process group."""
    group = process.pid
    os.killpg(group, signal.SIGINT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        process.poll()
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.5)
    os.killpg(group, signal.SIGKILL)
    process.wait(timeout=10)


@pytest.fixture
def stack(tmp_path):
    port = free_port()
    web_log, worker_log = tmp_path / "make.log", tmp_path / "qcluster.log"
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "DONDOC_SITE_URL": f"http://127.0.0.1:{port}",
        "DONDOC_WORKER_LOG": str(worker_log),
    }
    command = ["make", "--no-print-directory", "start", f"PY={sys.executable}"]
    with web_log.open("w") as out:
        process = subprocess.Popen(
            [*command, "HOST=127.0.0.1", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    stack = Stack(f"http://127.0.0.1:{port}", process, web_log, worker_log)
    try:
        _wait_until_up(stack)
        yield stack
    finally:
        _stop(process)


def _notice(number: int, today: datetime.date) -> dict:
    return {
        "number": f"{900 + number}/TB-HĐND",
        "issue_date": today.isoformat(),
        "title": "Kết luận giám sát việc thực hiện chính sách đào tạo nghề",
        "signer": "Trần Văn Huyến",
        "source_kind": "thematic_supervision",
        "tracking_committee": "ct-ban-vhxh",
        "recommendations": [
            {
                "anchor": f"II.{item}",
                "text": "Rà soát, báo cáo kết quả đào tạo nghề cho lao động nông thôn.",
                "lead_agencies": LEADS,
                "accountable": "ct-ubnd",
                "deadline": {"working_days": 30},
            }
            for item in (1, 2, 3)
        ],
    }


def _issue_notices(stack: Stack) -> dict[int, float]:
    """{case id of the lead department: when its notice was issued (monotonic seconds)}."""
    token = stack.token("thuongtruc")
    today = datetime.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    issued = {}
    for number in range(NOTICES):
        status, body = stack.call("POST", "/api/v1/notices/", token, _notice(number, today))
        assert status == 201, body
        at = time.monotonic()
        for case in body["cases"]:
            assert case["deadline"] > today.isoformat()
            if case["agency"]["code"] == LEAD:
                issued[case["id"]] = at
    return issued


def _told_about(stack: Stack, token: str) -> set[int]:
    status, body = stack.call("GET", "/api/v1/notifications/?unread=true&page_size=100", token)
    assert status == 200, body
    return {n["case"] for n in body["results"] if n["kind"] == "case.opened"}


def _worker_delivered_within(stack: Stack, wait: datetime.timedelta) -> bool:
    deadline = time.monotonic() + wait.total_seconds()
    while time.monotonic() < deadline:
        if "Processed 'notifications.tasks.deliver_notifications'" in stack.worker_log.read_text():
            return True
        time.sleep(1)
    return False


def test_notices_issued_through_the_api_reach_the_lead_department_within_a_minute(stack):
    issued = _issue_notices(stack)
    assert len(issued) == NOTICES * 3
    lead = stack.token("so_ldtbxh")
    arrived: dict[int, float] = {}
    deadline = max(issued.values()) + TOLD_WITHIN.total_seconds()
    while len(arrived) < len(issued) and time.monotonic() < deadline:
        now = time.monotonic()
        waiting = set(issued) - set(arrived)
        arrived |= {case: now for case in _told_about(stack, lead) & waiting}
        time.sleep(1)
    assert set(arrived) == set(issued), "not every new case was told to the lead department"
    slowest = max(arrived[case] - issued[case] for case in issued)
    print(f"the slowest of {len(issued)} new cases was told after {slowest:.1f} s")
    assert slowest < TOLD_WITHIN.total_seconds()
    # The worker's delivery run (the emails), brought forward by the notices, writes to the
    # same SQLite file while the web server does: it must have run, and never been locked out.
    assert _worker_delivered_within(stack, TOLD_WITHIN), "the worker's delivery run never ran"
    assert LOCKED not in stack.worker_log.read_text()
    assert LOCKED not in stack.web_log.read_text()
