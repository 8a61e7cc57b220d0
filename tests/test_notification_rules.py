"""Who is told about what: the right people, never the actor, exactly once per event."""

import datetime
import io
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django_q.models import Schedule

from notifications.fanout import SETTLE, fan_out_pending
from notifications.models import Delivery, FannedEvent, FanOutCursor
from notifications.tasks import deliver_notifications
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


def _move(w, actor, action, **kwargs):
    case = Case.objects.get(pk=w.case.pk)
    return case_transition(case=case, actor=actor, action=action, **kwargs)


def _last(kind: str) -> CaseEvent:
    return CaseEvent.objects.filter(kind=kind).latest("id")


def _reported(w) -> None:
    _move(w, w.so_ldtbxh, "start")
    _move(w, w.so_ldtbxh, "report", report=ReportInput(text="Đã rà soát xong nhu cầu đào tạo."))


def test_a_report_tells_the_owning_committee_and_nobody_else(w):
    _reported(w)
    assert _told(_last("case.reported")) == {"ban_vhxh"}
    assert _told(_last("case.reported"), "email") == {"ban_vhxh"}


def test_a_returned_report_tells_the_agency_officers_and_head_but_not_the_member_who_returned_it(
    w,
):
    _reported(w)
    _move(w, w.ban_vhxh, "return", note="Thiếu số liệu theo huyện.")
    assert _told(_last("case.returned")) == {"so_ldtbxh", "giamdoc_ldtbxh"}


def test_the_person_who_acts_is_never_told(w):
    _move(w, w.so_ldtbxh, "start")
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


def test_a_new_notice_brings_the_workers_next_delivery_run_forward_to_now(
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
    assert not Delivery.objects.exists()  # nothing is told until the worker runs
    deliver_notifications()  # what the worker runs
    assert _told(_last("case.opened")) == {"so_ldtbxh", "giamdoc_ldtbxh", "so_khdt"}
    assert w.case.events.get().kind == "case.opened"


def test_an_extension_request_is_told_to_the_standing_committee_and_the_delegated_committee(w):
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


def test_deliveries_are_written_with_the_event_and_roll_back_with_it(w):
    _move(w, w.so_ldtbxh, "start")
    started = _last("case.started")
    assert FannedEvent.objects.filter(event=started).exists()
    assert _told(started) == {"ban_vhxh"}  # written by the transition itself, no job ran
    with pytest.raises(RuntimeError), transaction.atomic():
        _move(w, w.so_ldtbxh, "report", report=ReportInput(text="Báo cáo"))
        raise RuntimeError("the request fails after the transition")
    assert not CaseEvent.objects.filter(kind="case.reported").exists()
    assert not Delivery.objects.filter(event__kind="case.reported").exists()


def test_a_broken_fan_out_never_blocks_the_case_and_the_sweep_tells_later(w, monkeypatch):
    def broken(facts):
        raise RuntimeError("rules are broken")

    monkeypatch.setattr("notifications.fanout.recipients_of", broken)
    _move(w, w.so_ldtbxh, "start")
    assert Case.objects.get(pk=w.case.pk).state == "in_progress"
    assert not Delivery.objects.exists()
    monkeypatch.undo()
    fan_out_pending()
    assert _told(_last("case.started")) == {"ban_vhxh"}


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
