"""Planning a case's climb up its ladder: which rung it has reached at a moment and when the
next falls due (the sweep that applies plans is in workflow/escalation.py)."""

import datetime
import time
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from conclusions.models import Council
from workflow.calendar import WorkingCalendar
from workflow.deadlines import calendar_for
from workflow.escalation_ladder import (
    Act,
    Step,
    Unit,
    decision_step,
    ladder_for,
    urging_letter_step,
)
from workflow.models import Case, CaseEvent, CaseState, Decision, EventKind

IDLE_STATES = (CaseState.REPORTED, CaseState.CLOSED)  # the agency's move is done


@dataclass(frozen=True)
class CouncilLadder:
    """What a sweep needs to know of one council: its calendar, ladder and periods."""

    calendar: WorkingCalendar
    ladder: tuple[Step, ...]
    repeat_days: int
    answer_days: int

    @property
    def letter(self) -> Step | None:
        return urging_letter_step(self.ladder)

    @property
    def decision(self) -> Step | None:
        return decision_step(self.ladder)


@dataclass(frozen=True)
class Plan:
    """Where a case with this deadline stands at `now`: the rung reached by time and the next
    time. If `letter_level` is set, the case climbs at once to `decision_level` when it has not
    reported within `answer_days` of reaching the urging letter (`escalate_due` checks that
    per case, against its own event)."""

    level: int
    next_at: datetime.datetime | None
    action: str = ""
    letter_level: int = 0
    decision_level: int = 0
    decision_action: str = ""
    answer_days: int = 0


# What a single transition's `schedule` reads of its council (calendar, ladder, periods) is
# kept by the process for a minute: it changes only in the back office, and reading it took a
# transition two queries and the parsing of the rows. A change saved in this process forgets
# it at once (workflow/apps.py); other processes see it within SHARED_SECONDS, as if the
# transition had been made that much earlier. The sweep always reads afresh.
SHARED_SECONDS = 60.0
_shared: dict[int, tuple[float, "CouncilLadder"]] = {}


def forget_councils(**kwargs) -> None:
    """Signal receiver: a ladder rung, a calendar change or a council was saved or deleted."""
    _shared.clear()


class Planner:
    """Computes plans during one sweep, caching calendars and ladders per council; with
    `shared`, also across the process's transitions (SHARED_SECONDS)."""

    def __init__(self, now: datetime.datetime, *, shared: bool = False) -> None:
        self.now = now
        self.shared = shared
        self._councils: dict[int, CouncilLadder] = {}

    def _council(self, council_id: int, council: Council | None = None) -> CouncilLadder:
        """`council`, when the caller holds it already, spares reading its periods."""
        if council_id not in self._councils:
            self._councils[council_id] = (
                self._shared_council(council_id, council)
                if self.shared
                else _read_council(council_id, council)
            )
        return self._councils[council_id]

    @staticmethod
    def _shared_council(council_id: int, council: Council | None) -> "CouncilLadder":
        now = time.monotonic()
        kept = _shared.get(council_id)
        if kept is None or kept[0] < now:
            kept = _shared[council_id] = (now + SHARED_SECONDS, _read_council(council_id, council))
        return kept[1]

    def plan(
        self,
        council_id: int,
        deadline: datetime.date,
        held: bool,
        until: datetime.date | None = None,
    ) -> Plan:
        council = self._council(council_id)
        if until is not None and (resume := resume_at(council, until)) > self.now:
            return Plan(0, resume)  # the Standing Committee gave the agency until then
        plan = self._by_time(council, deadline, held)
        letter, decision = council.letter, council.decision
        if held or letter is None or decision is None:
            return plan
        if not letter.level <= plan.level < decision.level:
            return plan
        return replace(
            plan,
            letter_level=letter.level,
            decision_level=decision.level,
            decision_action=decision.action,
            answer_days=council.answer_days,
        )

    def _by_time(self, council: CouncilLadder, deadline: datetime.date, held: bool) -> Plan:
        reached: Step | None = None
        for step in council.ladder:
            if held and step.is_overdue_level:
                return Plan(_level(reached), None, _action(reached))
            at = fire_at(council.calendar, deadline, step)
            if at > self.now:
                return Plan(_level(reached), at, _action(reached))
            reached = step
        if reached is None or not reached.is_overdue_level:
            return Plan(_level(reached), None, _action(reached))
        return self._repeats(council, deadline, reached)

    def _repeats(self, council: CouncilLadder, deadline: datetime.date, last: Step) -> Plan:
        """Past the last rung: how many repeats have fallen due, and when the next one does."""
        count, at = 0, fire_at(council.calendar, deadline, last)
        while (following := repeat_after(council, at)) <= self.now:
            count, at = count + 1, following
        if count == 0:
            return Plan(last.level, following, last.action)
        return Plan(last.level + count, following, Act.REPEAT)

    def next_at(self, case: Case) -> datetime.datetime | None:
        """When the rung after the case's current one is due, or None if nothing waits."""
        if (
            case.state in IDLE_STATES
            or case.deadline is None
            or Decision.ends_urging(case.decision)
        ):
            return None
        held = case.council if Case.council.is_cached(case) else None
        council = self._council(case.council_id, held)
        times = [self._next_rung(council, case), self._answer_due(council, case)]
        at = min((t for t in times if t is not None), default=None)
        if at is not None and case.decision_until is not None:
            return max(at, resume_at(council, case.decision_until))
        return at

    def _next_rung(self, council: CouncilLadder, case: Case) -> datetime.datetime | None:
        for step in council.ladder:
            if step.level <= case.escalation_level:
                continue
            if case.extension_pending and step.is_overdue_level:
                return None
            return fire_at(council.calendar, case.deadline, step)
        last = council.ladder[-1] if council.ladder else None
        if last is None or not last.is_overdue_level or case.extension_pending:
            return None
        at = fire_at(council.calendar, case.deadline, last)
        for _repeat in range(max(1, case.escalation_level - last.level + 1)):
            at = repeat_after(council, at)
        return at

    def _answer_due(self, council: CouncilLadder, case: Case) -> datetime.datetime | None:
        """When the case climbs to the decision rung for want of an answer to the urging
        letter, if it still may."""
        letter, decision = council.letter, council.decision
        if case.extension_pending or letter is None or decision is None:
            return None
        if not letter.level <= case.escalation_level < decision.level:
            return None
        letter_at = letter_reached_at(case.pk, case.ladder_cycle, letter.level)
        if letter_at is None or (case.reported_at and case.reported_at >= letter_at):
            return None
        return letter_at + datetime.timedelta(days=council.answer_days)


def _read_council(council_id: int, council: Council | None) -> CouncilLadder:
    if council is not None:
        repeat_days, answer_days = council.repeat_working_days, council.urging_answer_days
    else:
        periods = Council.objects.filter(pk=council_id).values_list(
            "repeat_working_days", "urging_answer_days"
        )
        repeat_days, answer_days = periods.first() or (10, 15)
    return CouncilLadder(calendar_for(council_id), ladder_for(council_id), repeat_days, answer_days)


def letter_reached_at(case_id: int, cycle: int, letter_level: int) -> datetime.datetime | None:
    """When the case reached the urging letter (or a rung above it) in this ladder cycle."""
    return (
        CaseEvent.objects.filter(
            case_id=case_id, kind=EventKind.ESCALATED, cycle=cycle, level__gte=letter_level
        )
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def _level(step: Step | None) -> int:
    return step.level if step else 0


def _action(step: Step | None) -> str:
    return step.action if step else ""


def fire_at(calendar: WorkingCalendar, deadline: datetime.date, step: Step) -> datetime.datetime:
    if step.unit == Unit.WORKING_DAYS:
        day = calendar.shift_working_days(deadline, step.offset)
    else:
        day = deadline + datetime.timedelta(days=step.offset)
    return morning(day)


def repeat_after(council: CouncilLadder, at: datetime.datetime) -> datetime.datetime:
    """The repeat reminder that follows one sent (or due) at `at`."""
    day = timezone.localdate(at) if timezone.is_aware(at) else at.date()
    return morning(council.calendar.shift_working_days(day, council.repeat_days))


def resume_at(council: CouncilLadder, until: datetime.date) -> datetime.datetime:
    """When urging resumes after a "keep urging until" decision: the working day after."""
    return morning(council.calendar.shift_working_days(until, 1))


def morning(day: datetime.date) -> datetime.datetime:
    """The moment a rung falls due on `day` (`DONDOC_ESCALATION_HOUR`, local time)."""
    hour = datetime.time(settings.DONDOC_ESCALATION_HOUR)
    return datetime.datetime.combine(day, hour, tzinfo=ZoneInfo(settings.TIME_ZONE))


def shared_calendar(council_id: int) -> WorkingCalendar:
    """The council's calendar as a single transition reads it (kept for SHARED_SECONDS)."""
    return Planner._shared_council(council_id, None).calendar


def schedule(case: Case, now: datetime.datetime | None = None) -> None:
    """Set when the case next climbs its ladder (in memory; the caller saves)."""
    case.next_escalation_at = Planner(now or timezone.now(), shared=True).next_at(case)
