"""The sweep under real conditions on PostgreSQL: four processes at once, and a worker
killed in the middle of a sweep. Nothing is written twice, nothing is lost, and every case
stands at the rung its deadline gives it; how the work fell among the processes is theirs."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from django.db.models import Count
from django.utils import timezone

from devtools.synthetic import build_cases
from tests.helpers import ROOT, database_url
from workflow.escalation import Planner
from workflow.models import Case, CaseEvent

# The sweeps run in other processes, which no time travel reaches: these tests keep the
# machine's clock (`real_clock`) and date everything from the real now.
pytestmark = [pytest.mark.postgres, pytest.mark.real_clock]
NOW = timezone.now().replace(microsecond=0)


def _escalate(batch_size: int) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "escalate",
            "--now",
            NOW.isoformat(),
            "--json",
            "--batch-size",
            str(batch_size),
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url()},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _escalation_events():
    return CaseEvent.objects.filter(kind="case.escalated")


def _assert_each_due_case_escalated_exactly_once(due: int) -> None:
    assert _escalation_events().count() == due
    per_case = _escalation_events().values("case_id").annotate(n=Count("id"))
    assert {row["n"] for row in per_case} == {1}
    assert not Case.objects.filter(next_escalation_at__lte=NOW).exists()
    moved = Case.objects.filter(escalation_level__gt=0)
    assert moved.count() == due
    levels = dict(_escalation_events().values_list("case_id", "level"))
    assert all(levels[pk] == level for pk, level in moved.values_list("id", "escalation_level"))
    planner = Planner(NOW)
    reached = moved.values_list("council_id", "deadline", "escalation_level").distinct()
    assert all(planner.plan(c, deadline, False).level == level for c, deadline, level in reached)


def test_four_sweeps_at_once_write_each_case_and_level_exactly_once(transactional_db):
    build_cases(cases=6000, due=4000, now=NOW)
    workers = [_escalate(batch_size=150) for _ in range(4)]
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        results.append(json.loads(out))
    assert sum(r["events"] for r in results) == 4000
    assert sum(r["cases"] for r in results) == 4000
    _assert_each_due_case_escalated_exactly_once(4000)


@pytest.mark.long
def test_a_worker_killed_mid_sweep_loses_nothing_and_the_next_run_finishes(transactional_db):
    due = 40000
    build_cases(cases=due, due=due, now=NOW)
    worker = _escalate(batch_size=100)
    deadline = time.monotonic() + 60
    while not _escalation_events().exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    worker.send_signal(signal.SIGKILL)
    worker.communicate(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    done_before_kill = _escalation_events().count()
    assert 0 < done_before_kill < due
    assert Case.objects.filter(escalation_level__gt=0).count() == done_before_kill
    second = _escalate(batch_size=2000)
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert json.loads(out)["events"] == due - done_before_kill
    _assert_each_due_case_escalated_exactly_once(due)
