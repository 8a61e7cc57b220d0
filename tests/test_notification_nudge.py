"""The nudge after a commit runs in a thread of the process, off the request's path: the
request writes no delivery, and the inbox has it a moment later all the same."""

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications import background
from notifications.fanout import fan_out_pending, fan_out_soon
from notifications.models import Delivery
from tests.helpers import api_client
from tests.notify_servers import add_people
from tests.world import build_world
from workflow.models import CaseEvent


@pytest.mark.postgres  # a second connection, from another thread
def test_a_transition_answers_before_the_inbox_is_told_and_the_inbox_is_told_soon(
    transactional_db, settings
):
    settings.DONDOC_NUDGE_IN_BACKGROUND = True
    w = add_people(build_world())
    fan_out_pending()  # the world's own past is told
    runner = background.runner(fan_out_soon)
    runs = runner.runs
    with CaptureQueriesContext(connection) as request_queries:
        response = api_client(w.so_ldtbxh).post(f"/api/v1/cases/{w.case.pk}/start/")
    assert response.status_code == 200
    assert not [q for q in request_queries if "notifications_" in q["sql"]]
    assert runner.wait_for_run(runs, timeout=20)
    started = CaseEvent.objects.get(kind="case.started")
    told = Delivery.objects.filter(event=started, channel="inapp")
    if not told.exists():  # that run, woken by the world's own commits, began before this one's
        assert runner.wait_for_run(runs + 1, timeout=20)  # whose wake makes one more
    assert set(told.values_list("recipient__username", flat=True)) == {"ban_vhxh"}


def test_wakes_during_a_run_make_one_more_run_not_one_each():
    running, release, calls = threading.Event(), threading.Event(), []

    def slow_job() -> None:
        calls.append(1)
        running.set()
        release.wait(10)

    runner = background.runner(slow_job)
    runner.wake()
    assert running.wait(10)
    for _ in range(50):  # while the first run is busy
        runner.wake()
    release.set()
    assert runner.wait_for_run(1, timeout=10)
    assert runner.wait_for_run(2, timeout=1) is False  # no third run
    assert runner.runs == 2 and len(calls) == 2


def test_a_wake_during_a_request_waits_for_its_answer_to_go_out():
    calls = []

    def job() -> None:
        calls.append(1)

    runner = background.runner(job)
    background.hold_wakes()  # request_started
    background.wake(job)
    assert runner.wait_for_run(0, timeout=0.5) is False and not calls
    background.release_wakes()  # request_finished: the answer is out
    assert runner.wait_for_run(0, timeout=10) and calls == [1]
    background.wake(job)  # outside a request: at once
    assert runner.wait_for_run(1, timeout=10)
