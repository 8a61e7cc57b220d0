"""Overdue cases keep being urged, and two things besides time send a case straight to the
Standing Committee: a report returned twice, and no report in the answer period after the
committee's urging letter.

The named world's case is due Wednesday 30/09/2026. The default ladder's last rung (report to
the sitting, deadline + 60 days) falls on Sunday 29/11/2026; the repeats follow every 10
working days: Friday 11/12, Friday 25/12, then Monday 11/01/2027 (New Year's Day is off)."""

import datetime
from zoneinfo import ZoneInfo

import time_machine

from notifications.rules import event_facts, recipients_of
from workflow.escalation import escalate_due
from workflow.models import Case, CaseEvent
from workflow.selectors import escalation_status
from workflow.services import ReportInput, case_transition

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date


def at(day: D, hour: int = 7, minute: int = 30) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def _case(w) -> Case:
    return Case.objects.get(pk=w.case.pk)


def _sweep_daily(first: D, last: D, *, twice: bool = False) -> None:
    day = first
    while day <= last:
        escalate_due(at(day))
        if twice:
            escalate_due(at(day, 18))
        day += datetime.timedelta(days=1)


def _climbs(case) -> list[tuple[D, int, str, str]]:
    """(day, level, action, trigger) of every escalation event, in order."""
    return [
        (
            e.created_at.astimezone(TZ).date(),
            e.level,
            e.data["action"],
            e.data.get("trigger", ""),
        )
        for e in CaseEvent.objects.filter(case=case, kind="case.escalated").order_by("id")
    ]


def _move(w, actor: str, action: str, day: D, **kwargs) -> None:
    with time_machine.travel(at(day, 9), tick=False):
        case_transition(case=_case(w), actor=getattr(w, actor), action=action, **kwargs)


def _report(w, day: D) -> None:
    _move(w, "so_ldtbxh", "report", day, report=ReportInput(text="Đã rà soát xong."))


# ------------------------------------------------------------------------ repeat reminders


def test_an_overdue_case_is_reminded_again_every_ten_working_days_after_the_last_rung(world):
    _sweep_daily(D(2026, 11, 25), D(2027, 1, 12), twice=True)
    assert _climbs(world.case) == [
        (D(2026, 11, 25), 7, "explanation_listing", ""),
        (D(2026, 11, 29), 8, "sitting_report", ""),
        (D(2026, 12, 11), 9, "repeat_reminder", ""),
        (D(2026, 12, 25), 10, "repeat_reminder", ""),
        (D(2027, 1, 11), 11, "repeat_reminder", ""),
    ]
    assert _case(world).next_escalation_at == at(D(2027, 1, 25), 7, 0)


def test_a_sweep_after_a_long_pause_sends_one_repeat_for_where_the_case_stands(world):
    escalate_due(at(D(2026, 11, 30)))
    assert escalate_due(at(D(2027, 1, 12))).by_level == {11: 1}
    assert [level for _d, level, _a, _t in _climbs(world.case)] == [8, 11]


def test_the_repeat_rhythm_is_the_councils_own(world):
    world.council.repeat_working_days = 5
    world.council.save()
    _sweep_daily(D(2026, 11, 29), D(2026, 12, 15))
    assert [(d, level) for d, level, _a, _t in _climbs(world.case)] == [
        (D(2026, 11, 29), 8),
        (D(2026, 12, 4), 9),
        (D(2026, 12, 11), 10),
    ]


def test_repeats_stop_when_the_agency_reports_and_resume_when_the_report_comes_back(world):
    _move(world, "so_ldtbxh", "start", D(2026, 9, 1))
    _sweep_daily(D(2026, 11, 29), D(2026, 12, 1))
    _report(world, D(2026, 12, 2))
    assert _case(world).next_escalation_at is None
    _sweep_daily(D(2026, 12, 2), D(2026, 12, 28))
    assert [level for _d, level, _a, _t in _climbs(world.case)] == [8]
    _move(world, "ban_vhxh", "return", D(2026, 12, 29), note="Chưa đủ số liệu.")
    escalate_due(at(D(2026, 12, 29), 10))
    assert [level for _d, level, _a, _t in _climbs(world.case)] == [8, 10]


def test_a_repeat_is_named_on_the_case_and_tells_the_agency_and_its_peoples_committee(world):
    _sweep_daily(D(2026, 11, 29), D(2026, 12, 11))
    case = _case(world)
    status = escalation_status(case)
    assert (status.level, status.name) == (9, "Nhắc lại lần 1 sau bậc đôn đốc cuối")
    assert status.next_name == "Nhắc lại lần 2 sau bậc đôn đốc cuối"
    repeat = case.events.get(kind="case.escalated", level=9)
    [facts] = event_facts([repeat.pk])
    assert recipients_of([facts])[repeat.pk] == {world.so_ldtbxh.pk, world.ban_vhxh.pk}


# --------------------------------------------------------------------- triggers besides time


def test_a_report_returned_twice_goes_to_the_standing_committee_at_once(world):
    _move(world, "so_ldtbxh", "start", D(2026, 7, 1))
    _report(world, D(2026, 7, 10))
    _move(world, "ban_vhxh", "return", D(2026, 7, 14), note="Thiếu số liệu.")
    assert _case(world).escalation_level == 0
    _report(world, D(2026, 7, 20))
    _move(world, "ban_vhxh", "return", D(2026, 7, 22), note="Vẫn chưa đạt yêu cầu.")
    case = _case(world)
    assert case.escalation_level == 7  # long before the deadline of 30/09
    assert _climbs(case) == [(D(2026, 7, 22), 7, "explanation_listing", "returned_twice")]
    assert case.next_escalation_at == at(D(2026, 11, 29), 7, 0)  # the last rung, by time
    event = case.events.get(kind="case.escalated")
    [facts] = event_facts([event.pk])
    assert world.thuongtruc.pk in recipients_of([facts])[event.pk]


def test_time_does_not_climb_the_rungs_a_trigger_already_passed(world):
    _move(world, "so_ldtbxh", "start", D(2026, 7, 1))
    for report_day, return_day in (
        (D(2026, 7, 10), D(2026, 7, 14)),
        (D(2026, 7, 20), D(2026, 7, 22)),
    ):
        _report(world, report_day)
        _move(world, "ban_vhxh", "return", return_day, note="Chưa đạt.")
    _sweep_daily(D(2026, 9, 1), D(2026, 11, 30), twice=True)
    assert [level for _d, level, _a, _t in _climbs(world.case)] == [7, 8]


def test_no_report_fifteen_days_after_the_urging_letter_goes_to_the_standing_committee(world):
    _sweep_daily(D(2026, 9, 30), D(2026, 10, 17), twice=True)
    assert _climbs(world.case) == [
        (D(2026, 9, 30), 4, "warning", ""),
        (D(2026, 10, 1), 5, "urging_letter", ""),
        (D(2026, 10, 15), 6, "standing_letter", ""),
        (D(2026, 10, 16), 7, "explanation_listing", "no_answer"),
    ]


def test_a_report_after_the_urging_letter_is_an_answer_even_if_it_comes_back(world):
    _move(world, "so_ldtbxh", "start", D(2026, 9, 1))
    _sweep_daily(D(2026, 9, 30), D(2026, 10, 9))
    _report(world, D(2026, 10, 10))
    _move(world, "ban_vhxh", "return", D(2026, 10, 14), note="Chưa đạt.")
    _sweep_daily(D(2026, 10, 14), D(2026, 10, 29))
    assert [(d, level) for d, level, _a, _t in _climbs(world.case)] == [
        (D(2026, 9, 30), 4),
        (D(2026, 10, 1), 5),
        (D(2026, 10, 15), 6),
    ]
    escalate_due(at(D(2026, 10, 30)))
    assert _climbs(world.case)[-1] == (D(2026, 10, 30), 7, "explanation_listing", "")


def test_the_answer_period_is_the_councils_own(world):
    world.council.urging_answer_days = 5
    world.council.save()
    _sweep_daily(D(2026, 9, 30), D(2026, 10, 7))
    assert _climbs(world.case)[-1] == (D(2026, 10, 6), 7, "explanation_listing", "no_answer")
