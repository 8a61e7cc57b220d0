"""The ladder climbs by itself: one event per rung reached, never twice, never stuck."""

import datetime
import json
import logging
from io import StringIO
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.db import connection
from django_q.models import Schedule

from conclusions.models import SourceKind
from conclusions.services import RecommendationInput, notice_register
from tests.helpers import case_of, move
from workflow import escalation
from workflow.escalation import DEFAULT_LADDER, Planner, escalate_due
from workflow.models import Case, CaseEvent, EscalationStep, Outcome
from workflow.services import ReportInput, notice_issue

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(month: int, day: int, hour: int = 12, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=TZ)


def _escalations(case) -> list[tuple[int, int, int]]:
    return list(
        CaseEvent.objects.filter(case=case, kind="case.escalated")
        .order_by("id")
        .values_list("cycle", "level", "data__from_level")
    )


def test_a_new_case_waits_for_its_first_reminder_15_working_days_ahead(world):
    # Deadline Wednesday 30/09/2026; 15 working days earlier is Wednesday 09/09 at 07:00.
    assert world.case.next_escalation_at == at(9, 9, 7)


def test_reminders_climb_one_rung_at_a_time(world):
    result = escalate_due(at(9, 9, 8))
    assert (result.cases, result.events, result.by_level) == (1, 1, {1: 1})
    case = case_of(world)
    assert (case.escalation_level, case.next_escalation_at) == (1, at(9, 21, 7))
    event = case.events.get(kind="case.escalated")
    assert event.data == {"level": 1, "from_level": 0, "action": "reminder"}
    assert (event.from_state, event.to_state) == ("assigned", "assigned")


def test_running_the_sweep_again_writes_nothing_more(world):
    escalate_due(at(9, 9, 8))
    again = escalate_due(at(9, 9, 8))
    assert (again.cases, again.events) == (0, 0)
    assert _escalations(world.case) == [(0, 1, 0)]


def test_a_case_that_passed_several_rungs_gets_one_event_for_the_rung_reached(world):
    result = escalate_due(at(10, 16))  # past due (4), overdue 1 (5) and 2 (6, +15 days)
    assert result.by_level == {6: 1}
    assert _escalations(world.case) == [(0, 6, 0)]
    assert case_of(world).next_escalation_at == at(10, 30, 7)  # +30 days


def test_overdue_starts_the_working_day_after_the_deadline(world):
    escalate_due(at(10, 1, 6))
    assert case_of(world).escalation_level == 4  # due on 30/09, not yet overdue
    escalate_due(at(10, 1, 7))
    assert case_of(world).escalation_level == 5
    assert _escalations(world.case) == [(0, 4, 0), (0, 5, 4)]


def test_a_reported_case_stops_climbing_and_a_returned_one_resumes(world):
    move(world, world.so_ldtbxh, "start")
    move(world, world.so_ldtbxh, "report", report=ReportInput(text="Đã xong"))
    assert case_of(world).next_escalation_at is None
    assert escalate_due(at(12, 1)).cases == 0
    move(world, world.ban_vhxh, "return", note="Thiếu số liệu")
    assert case_of(world).next_escalation_at == at(9, 9, 7)
    assert escalate_due(at(12, 1)).by_level == {8: 1}


def test_closing_stops_the_ladder_and_reopening_starts_a_new_cycle(world):
    escalate_due(at(10, 2))
    move(world, world.so_ldtbxh, "start")
    move(world, world.so_ldtbxh, "report", report=ReportInput(text="Đã xong"))
    move(world, world.ban_vhxh, "close", outcome=Outcome.IMPLEMENTED)
    assert escalate_due(at(12, 1)).cases == 0
    move(world, world.thuongtruc, "reopen", note="Cử tri vẫn phản ánh")
    case = case_of(world)
    assert (case.escalation_level, case.ladder_cycle) == (0, 1)
    escalate_due(at(12, 1))
    assert _escalations(world.case) == [(0, 5, 0), (1, 8, 0)]


def test_a_broken_case_is_logged_and_pushed_forward_while_the_others_escalate(world, caplog):
    healthy = _second_case(world)
    Case.objects.filter(pk=world.case.pk).update(deadline=None)  # inconsistent on purpose
    with caplog.at_level(logging.ERROR, logger="workflow.escalation"):
        result = escalate_due(at(10, 16))
    assert (result.broken, result.by_level) == (1, {6: 1})
    assert Case.objects.get(pk=healthy.pk).escalation_level == 6
    broken = case_of(world)
    assert (broken.escalation_level, broken.next_escalation_at) == (0, at(10, 16, 13))
    assert "cannot plan" in caplog.text


def test_a_case_claimed_without_a_plan_waits_for_the_next_sweep_and_the_batch_goes_on(world):
    healthy = _second_case(world)
    now = at(10, 16)
    plans = escalation._plans(Planner(now), escalation._due_keys(now), escalation.SweepResult())
    # After planning, a transition gives the first case a deadline no plan was made for; its
    # rung stays due, and it is the oldest due, so the next batch claims it first.
    Case.objects.filter(pk=world.case.pk).update(
        deadline=datetime.date(2026, 9, 29), next_escalation_at=at(9, 1)
    )
    postgresql = connection.vendor == "postgresql"
    batch = escalation._sweep_batch_postgresql if postgresql else escalation._sweep_batch_orm
    unplanned: list[int] = []
    assert batch(now, plans, 1, unplanned) == escalation.Batch(1, 0, [])
    assert unplanned == [world.case.pk]
    assert batch(now, plans, 1, unplanned) == escalation.Batch(1, 1, [6])
    assert batch(now, plans, 1, unplanned) == escalation.Batch(0, 0, [])
    assert case_of(world).escalation_level == 0
    assert _escalations(healthy) == [(0, 6, 0)]
    assert escalate_due(now).by_level == {6: 1}  # the next sweep plans it
    assert case_of(world).escalation_level == 6


def test_a_council_ladder_replaces_the_default(world):
    EscalationStep.objects.create(
        council=world.council,
        level=1,
        name="Quá hạn",
        offset=2,
        unit="calendar_days",
        action="urging_letter",
    )
    assert escalate_due(at(10, 1, 8)).cases == 1  # the default first rung was due on 09/09
    assert case_of(world).escalation_level == 0
    escalate_due(at(10, 2, 8))
    assert _escalations(world.case) == [(0, 1, 0)]
    assert case_of(world).next_escalation_at == at(10, 16, 7)  # its first repeat reminder


def test_the_default_ladder_follows_the_domain():
    assert [(s.offset, s.unit) for s in DEFAULT_LADDER] == [
        (-15, "working_days"),
        (-7, "working_days"),
        (-3, "working_days"),
        (0, "working_days"),
        (1, "working_days"),
        (15, "calendar_days"),
        (30, "calendar_days"),
        (60, "calendar_days"),
    ]


def test_the_escalate_command_prints_what_it_did(world):
    out = StringIO()
    call_command("escalate", "--now", "2026-10-16T12:00:00+07:00", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {
        "broken": 0,
        "by_level": {"6": 1},
        "cases": 1,
        "events": 1,
    }
    out = StringIO()
    call_command("escalate", "--now", "2026-10-16T12:00:00", stdout=out)
    assert "0 cases moved" in out.getvalue()


def test_setup_schedules_is_idempotent(db):
    call_command("setup_schedules", stdout=StringIO())
    call_command("setup_schedules", stdout=StringIO())
    schedule = Schedule.objects.get(name="escalate-due-cases")
    assert (schedule.func, schedule.minutes, schedule.repeats) == (
        "workflow.tasks.sweep_escalations",
        1,
        -1,
    )


def _second_case(w) -> Case:
    notice = notice_register(
        council=w.council,
        number="20/TB-HĐND",
        issue_date=datetime.date(2026, 6, 5),
        title="Kết luận",
        source_kind=SourceKind.QUESTIONING,
        tracking_committee=w.vhxh,
        recommendations=[
            RecommendationInput(
                anchor="1",
                text="Việc khác",
                lead_agency_codes=["so-ldtbxh"],
                deadline=datetime.date(2026, 9, 30),
            )
        ],
    )
    [case] = notice_issue(notice=notice)
    return case
