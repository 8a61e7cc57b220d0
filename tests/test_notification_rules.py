"""Who is told about what: the right people, never the actor, exactly once per event, by
one road: the fan-out sweep, nudged when an event's transaction commits."""

import datetime
import io
import threading
import time
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_q.models import Schedule

from notifications.fanout import SETTLE, fan_out_pending
from notifications.models import Delivery, FannedEvent, FanOutCursor
from notifications.tasks import deliver_notifications
from tests.helpers import committed, move, start_and_report
from tests.notify_servers import add_people
from tests.world import build_world
from workflow.escalation import escalate_due
from workflow.extensions import extension_request
from workflow.models import Case, CaseEvent, EscalationStep
from workflow.services import ReportInput, case_comment, case_transition

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def w(world):
    return add_people(world)


def _told(event: CaseEvent, channel: str = "inapp") -> set[str]:
    return set(
        Delivery.objects.filter(event=event, channel=channel).values_list(
            "recipient__username", flat=True
        )
    )


def _last(kind: str) -> CaseEvent:
    return CaseEvent.objects.filter(kind=kind).latest("id")


def test_a_report_tells_the_owning_committee_and_nobody_else(w):
    start_and_report(w)
    assert _told(_last("case.reported")) == {"ban_vhxh"}
    assert _told(_last("case.reported"), "email") == {"ban_vhxh"}


def test_a_returned_report_tells_the_agency_officers_and_head_but_not_the_member_who_returned_it(
    w,
):
    start_and_report(w)
    move(w, w.ban_vhxh, "return", note="Thiếu số liệu theo huyện.")
    assert _told(_last("case.returned")) == {"so_ldtbxh", "giamdoc_ldtbxh"}


def test_the_person_who_acts_is_never_told(w):
    move(w, w.so_ldtbxh, "start")
    with committed():
        case_comment(case=Case.objects.get(pk=w.case.pk), actor=w.so_ldtbxh, text="Đang làm.")
    told = _told(_last("case.commented"))
    assert "so_ldtbxh" not in told
    assert told == {"giamdoc_ldtbxh", "so_khdt", "ban_vhxh"}


def test_the_new_case_is_told_to_the_lead_and_coordinating_agencies_by_the_sweep(w):
    opened = _last("case.opened")
    assert not Delivery.objects.filter(event=opened).exists()  # bulk insert: no signal
    assert fan_out_pending() == 1
    assert _told(opened) == {"so_ldtbxh", "giamdoc_ldtbxh", "so_khdt"}
    assert fan_out_pending() == 0
    assert Delivery.objects.filter(event=opened).count() == 6  # in-app and email, once


def test_a_new_notice_is_told_at_once_and_brings_the_workers_next_delivery_run_forward(
    db, django_capture_on_commit_callbacks
):
    call_command("setup_schedules", stdout=io.StringIO())
    later = timezone.now() + datetime.timedelta(seconds=50)
    runs = Schedule.objects.filter(func="notifications.tasks.deliver_notifications")
    runs.update(next_run=later)
    others = dict(Schedule.objects.exclude(pk__in=runs).values_list("name", "next_run"))
    with django_capture_on_commit_callbacks(execute=True):
        w = add_people(build_world())
    assert runs.get().next_run < later  # the scheduler starts it at its next look
    assert dict(Schedule.objects.exclude(pk__in=runs).values_list("name", "next_run")) == others
    # Told in the inbox at once, by the sweep nudged after commit; the mail goes with the run.
    assert _told(_last("case.opened")) == {"so_ldtbxh", "giamdoc_ldtbxh", "so_khdt"}
    assert w.case.events.get().kind == "case.opened"


def test_an_extension_request_is_told_to_the_standing_committee_and_the_delegated_committee(w):
    with committed():
        extension_request(
            case=Case.objects.get(pk=w.case.pk),
            actor=w.so_ldtbxh,
            requested_until=datetime.date(2026, 12, 31),
            reason="Chờ số liệu thống kê cuối năm.",
        )
    assert _told(_last("case.extension_requested")) == {"thuongtruc"}
    w.council.committee_decides_extensions = True
    w.council.save()
    event = _last("case.extension_requested")
    FannedEvent.objects.filter(event=event).delete()
    Delivery.objects.filter(event=event).delete()
    fan_out_pending()
    assert _told(event) == {"thuongtruc", "ban_vhxh"}


@pytest.mark.parametrize(
    ("day", "told"),
    [
        # 15 working days ahead: the reminder goes to the officers and the head.
        (datetime.datetime(2026, 9, 9, 8, tzinfo=TZ), {"so_ldtbxh", "giamdoc_ldtbxh"}),
        # On the deadline: the head, the committee and the office.
        (datetime.datetime(2026, 9, 30, 8, tzinfo=TZ), {"giamdoc_ldtbxh", "ban_vhxh", "vanphong"}),
        # Overdue, level 1: the head, the accountable People's Committee, the Standing Committee.
        (
            datetime.datetime(2026, 10, 1, 8, tzinfo=TZ),
            {"giamdoc_ldtbxh", "chutich_ubnd", "chuyenvien_ubnd", "thuongtruc"},
        ),
        # Overdue, level 2: the People's Committee chair and the head.
        (datetime.datetime(2026, 10, 15, 8, tzinfo=TZ), {"chutich_ubnd", "giamdoc_ldtbxh"}),
        # Overdue, level 3: the Standing Committee decides.
        (datetime.datetime(2026, 10, 30, 8, tzinfo=TZ), {"thuongtruc"}),
        # Overdue, level 4: the sitting, that is its Standing Committee and office.
        (datetime.datetime(2026, 11, 29, 8, tzinfo=TZ), {"thuongtruc", "vanphong"}),
    ],
)
def test_each_rung_of_the_ladder_tells_its_audience(w, day, told):
    Case.objects.filter(pk=w.case.pk).update(next_escalation_at=day - datetime.timedelta(hours=1))
    escalate_due(day)
    fan_out_pending()
    assert _told(_last("case.escalated")) == told


def test_a_council_ladder_tells_the_audience_it_names(w):
    EscalationStep.objects.create(
        council=w.council,
        level=1,
        name="Nhắc hạn trước 10 ngày",
        offset=-10,
        unit=EscalationStep.Unit.CALENDAR_DAYS,
        action=EscalationStep.Action.REMINDER,
        audience=["committee", "office"],
    )
    Case.objects.filter(pk=w.case.pk).update(
        next_escalation_at=datetime.datetime(2026, 9, 20, tzinfo=TZ)
    )
    escalate_due(datetime.datetime(2026, 9, 21, 8, tzinfo=TZ))
    fan_out_pending()
    assert _told(_last("case.escalated")) == {"ban_vhxh", "vanphong"}


def test_people_are_told_once_the_transition_commits_and_never_about_one_rolled_back(w):
    with committed():
        case_transition(case=Case.objects.get(pk=w.case.pk), actor=w.so_ldtbxh, action="start")
        started = _last("case.started")
        assert not Delivery.objects.filter(event=started).exists()  # not before the commit
    assert FannedEvent.objects.filter(event=started).exists()
    assert _told(started) == {"ban_vhxh"}  # the nudge after the commit, no job ran
    with pytest.raises(RuntimeError), committed(), transaction.atomic():
        case = Case.objects.get(pk=w.case.pk)
        report = ReportInput(text="Báo cáo")
        case_transition(case=case, actor=w.so_ldtbxh, action="report", report=report)
        raise RuntimeError("the request fails after the transition")
    fan_out_pending()
    assert not CaseEvent.objects.filter(kind="case.reported").exists()
    assert not Delivery.objects.filter(event__kind="case.reported").exists()


def test_a_broken_fan_out_never_blocks_the_case_and_the_sweep_tells_later(w, monkeypatch):
    def broken(facts):
        raise RuntimeError("rules are broken")

    monkeypatch.setattr("notifications.fanout.recipients_of", broken)
    move(w, w.so_ldtbxh, "start")
    assert Case.objects.get(pk=w.case.pk).state == "in_progress"
    assert not Delivery.objects.exists()
    monkeypatch.undo()
    fan_out_pending()
    assert _told(_last("case.started")) == {"ban_vhxh"}


def test_the_minute_task_tells_about_bulk_events_and_sends_their_mail(w, smtp):
    opened = _last("case.opened")  # written in bulk by the notice issue: nothing nudged
    result = deliver_notifications()
    assert (result["events"], result["sent"]) == (1, 3)
    assert {r for m in smtp.mailbox.received for r in m.rcpt_tos} == {
        "so_ldtbxh@haugiang.gov.vn",
        "giamdoc_ldtbxh@haugiang.gov.vn",
        "so_khdt@haugiang.gov.vn",
    }
    assert _told(opened, "email") == {"so_ldtbxh", "giamdoc_ldtbxh", "so_khdt"}
    assert deliver_notifications() == {"events": 0, "sent": 0, "failed": 0, "dead": 0}


def test_the_cursor_passes_only_events_marked_long_enough_ago(w):
    now = timezone.now()
    fan_out_pending(now=now)
    assert FanOutCursor.objects.get().last_event_id == 0
    fan_out_pending(now=now + SETTLE + datetime.timedelta(minutes=1))
    assert FanOutCursor.objects.get().last_event_id == _last("case.opened").pk


@pytest.mark.postgres
def test_an_event_committed_after_a_later_one_is_still_told(transactional_db):
    """Ids are handed out before commit: event A takes an id, B takes a higher one and
    commits first, the sweep runs, and only then A commits. A must not be skipped."""
    w = add_people(build_world())
    case = Case.objects.get(pk=w.case.pk)
    a_inserted, a_may_commit = threading.Event(), threading.Event()

    def slow_transaction() -> None:
        try:
            with transaction.atomic():
                CaseEvent.objects.bulk_create([CaseEvent(case=case, kind="case.reported")])
                a_inserted.set()
                a_may_commit.wait(10)
        finally:
            connection.close()

    writer = threading.Thread(target=slow_transaction)
    writer.start()
    assert a_inserted.wait(10)
    [b] = CaseEvent.objects.bulk_create([CaseEvent(case=case, kind="case.commented")])
    now = timezone.now()
    fan_out_pending(now=now)
    assert FannedEvent.objects.filter(event=b).exists()
    a_may_commit.set()
    writer.join(10)
    a = CaseEvent.objects.get(kind="case.reported")
    assert a.pk < b.pk
    fan_out_pending(now=now + datetime.timedelta(minutes=1))
    assert _told(a) == {"ban_vhxh"}
    assert FanOutCursor.objects.get().last_event_id == 0  # nothing has settled yet


@pytest.mark.postgres
def test_a_nudge_never_waits_for_a_running_sweep_and_the_scheduled_sweep_takes_its_turn(
    transactional_db,
):
    w = add_people(build_world())
    fan_out_pending()  # the world's new case
    held, release = threading.Event(), threading.Event()

    def sweep_holding_the_cursor() -> None:
        try:
            with transaction.atomic():
                FanOutCursor.objects.select_for_update().get(pk=1)
                held.set()
                release.wait(10)
        finally:
            connection.close()

    def scheduled_sweep() -> None:
        try:
            results.append(fan_out_pending())
        finally:
            connection.close()

    holder, results = threading.Thread(target=sweep_holding_the_cursor), []
    holder.start()
    assert held.wait(10)
    started = time.monotonic()
    move(w, w.so_ldtbxh, "start")  # commits, and its nudge finds the cursor taken
    assert time.monotonic() - started < 5
    assert not Delivery.objects.filter(event__kind="case.started").exists()
    scheduled = threading.Thread(target=scheduled_sweep)
    scheduled.start()
    scheduled.join(0.5)
    assert scheduled.is_alive()  # waiting for its turn, not giving up
    release.set()
    holder.join(10)
    scheduled.join(10)
    assert results == [1]
    assert _told(_last("case.started")) == {"ban_vhxh"}
    assert Delivery.objects.filter(event__kind="case.started").count() == 1


@pytest.mark.parametrize(
    ("audience", "told"),
    [
        # Unknown names alone: never nobody, the fallback (the agency's head and the committee).
        (["ban_giam_doc"], {"giamdoc_ldtbxh", "ban_vhxh"}),
        # Known names beside an unknown one: the known ones are told.
        (["office", "nobody"], {"vanphong"}),
    ],
)
def test_a_rung_naming_an_unknown_audience_still_tells_someone(w, audience, told, caplog):
    EscalationStep.objects.create(
        council=w.council,
        level=1,
        name="Nhắc hạn trước 10 ngày",
        offset=-10,
        unit=EscalationStep.Unit.CALENDAR_DAYS,
        action=EscalationStep.Action.REMINDER,
        audience=audience,
    )
    Case.objects.filter(pk=w.case.pk).update(
        next_escalation_at=datetime.datetime(2026, 9, 20, tzinfo=TZ)
    )
    escalate_due(datetime.datetime(2026, 9, 21, 8, tzinfo=TZ))
    fan_out_pending()
    assert _told(_last("case.escalated")) == told
    assert "unknown audience" in caplog.text
