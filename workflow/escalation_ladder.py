"""The escalation ladder: its rungs, a council's own ladder, and the repeat reminders past
its last rung (the sweep that climbs it is in workflow/escalation.py)."""

from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from workflow.models import Audience, EscalationStep

Unit = EscalationStep.Unit
Act = EscalationStep.Action


@dataclass(frozen=True)
class Step:
    level: int
    name: str
    offset: int  # negative: before the deadline
    unit: str
    action: str
    audience: tuple[str, ...] = ()

    @property
    def is_overdue_level(self) -> bool:
        """Due and overdue rungs wait while a timely extension request is being decided."""
        return self.offset >= 0


# DOMAIN.md's default ladder; a council changes it by giving itself EscalationStep rows.
DEFAULT_LADDER: tuple[Step, ...] = (
    Step(
        1,
        _("Nhắc hạn trước 15 ngày làm việc"),
        -15,
        Unit.WORKING_DAYS,
        Act.REMINDER,
        (Audience.AGENCY_OFFICERS, Audience.AGENCY_HEAD),
    ),
    Step(
        2,
        _("Nhắc hạn trước 7 ngày làm việc"),
        -7,
        Unit.WORKING_DAYS,
        Act.REMINDER,
        (Audience.AGENCY_OFFICERS, Audience.AGENCY_HEAD),
    ),
    Step(
        3,
        _("Nhắc hạn trước 3 ngày làm việc"),
        -3,
        Unit.WORKING_DAYS,
        Act.REMINDER,
        (Audience.AGENCY_OFFICERS, Audience.AGENCY_HEAD),
    ),
    Step(
        4,
        _("Đến hạn chưa báo cáo"),
        0,
        Unit.WORKING_DAYS,
        Act.WARNING,
        (Audience.AGENCY_HEAD, Audience.COMMITTEE, Audience.OFFICE),
    ),
    Step(
        5,
        _("Quá hạn: công văn đôn đốc của Ban"),
        1,
        Unit.WORKING_DAYS,
        Act.URGING_LETTER,
        (Audience.AGENCY_HEAD, Audience.ACCOUNTABLE, Audience.STANDING),
    ),
    Step(
        6,
        _("Quá hạn: văn bản của Thường trực HĐND"),
        15,
        Unit.CALENDAR_DAYS,
        Act.STANDING_LETTER,
        (Audience.ACCOUNTABLE_HEAD, Audience.AGENCY_HEAD),
    ),
    Step(
        7,
        _("Quá hạn: đề xuất giải trình, chất vấn"),
        30,
        Unit.CALENDAR_DAYS,
        Act.EXPLANATION_LISTING,
        (Audience.STANDING,),
    ),
    Step(
        8,
        _("Quá hạn: báo cáo kỳ họp, đề xuất tái giám sát"),
        60,
        Unit.CALENDAR_DAYS,
        Act.SITTING_REPORT,
        (Audience.STANDING, Audience.COUNCIL),
    ),
)


def ladder_for(council_id: int) -> tuple[Step, ...]:
    rows = EscalationStep.objects.filter(council_id=council_id).order_by("level")
    custom = tuple(
        Step(r.level, r.name, r.offset, r.unit, r.action, tuple(r.audience)) for r in rows
    )
    return custom or DEFAULT_LADDER


# Past the last rung an overdue case is urged again every `Council.repeat_working_days`; each
# repeat is numbered on from the last rung's level, so the unique (case, cycle, level) index
# keeps it from being written twice, and it tells the agency, its People's Committee and the
# committee.
REPEAT_AUDIENCE = (
    Audience.AGENCY_OFFICERS,
    Audience.AGENCY_HEAD,
    Audience.ACCOUNTABLE_HEAD,
    Audience.COMMITTEE,
)
# From the first of these rungs the Standing Committee decides what happens next.
DECISION_ACTIONS = (Act.EXPLANATION_LISTING, Act.SITTING_REPORT)
NO_ANSWER = "no_answer"  # no report within the answer period after the urging letter
RETURNED_TWICE = "returned_twice"  # the committee found the work unsatisfactory twice


def decision_step(ladder: tuple[Step, ...]) -> Step | None:
    """The Standing Committee's rung: the first at which it decides (default: level 7)."""
    return next((s for s in ladder if s.action in DECISION_ACTIONS), None)


def urging_letter_step(ladder: tuple[Step, ...]) -> Step | None:
    return next((s for s in ladder if s.action == Act.URGING_LETTER), None)


def step_at(ladder: tuple[Step, ...], level: int) -> Step | None:
    """The rung at `level`; beyond the last rung, the repeat reminder of that number."""
    step = next((s for s in ladder if s.level == level), None)
    if step is not None or not ladder:
        return step
    last = ladder[-1]
    if level <= last.level or not last.is_overdue_level:
        return None
    name = _repeat_name(level - last.level)
    return Step(level, name, last.offset, last.unit, Act.REPEAT, REPEAT_AUDIENCE)


def _repeat_name_now(n: int) -> str:
    return _("Nhắc lại lần %(n)s sau bậc đôn đốc cuối") % {"n": n}


_repeat_name = lazy(_repeat_name_now, str)  # worded in the language active when shown
