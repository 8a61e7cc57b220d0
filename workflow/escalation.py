"""The escalation ladder and the sweep that climbs it.

A case carries `escalation_level` (the highest rung reached in the current cycle) and
`next_escalation_at` (when the next rung is due), beside its state; overdue is derived from
the deadline. The sweep picks cases whose time has come through a partial index, so its
cost grows with the number of due cases, not with all cases. On PostgreSQL each batch is
one statement that claims rows with SKIP LOCKED, moves them and logs one event each; a
unique index on (case, cycle, level) keeps a second or concurrent sweep from writing twice.
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow.calendar import WorkingCalendar
from workflow.deadlines import calendar_for
from workflow.models import Audience, Case, CaseEvent, CaseState, EscalationStep, EventKind

logger = logging.getLogger(__name__)

Unit = EscalationStep.Unit
Act = EscalationStep.Action
BATCH_SIZE = 20000  # rows claimed, moved and logged per transaction (~1-2 s of locks)
RETRY_BROKEN_AFTER = datetime.timedelta(hours=1)
IDLE_STATES = (CaseState.REPORTED, CaseState.CLOSED)  # the agency's move is done


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
        _("Quá hạn mức 1: công văn đôn đốc của Ban"),
        1,
        Unit.WORKING_DAYS,
        Act.URGING_LETTER,
        (Audience.AGENCY_HEAD, Audience.ACCOUNTABLE, Audience.STANDING),
    ),
    Step(
        6,
        _("Quá hạn mức 2: văn bản của Thường trực HĐND"),
        15,
        Unit.CALENDAR_DAYS,
        Act.STANDING_LETTER,
        (Audience.ACCOUNTABLE_HEAD, Audience.AGENCY_HEAD),
    ),
    Step(
        7,
        _("Quá hạn mức 3: đề xuất giải trình, chất vấn"),
        30,
        Unit.CALENDAR_DAYS,
        Act.EXPLANATION_LISTING,
        (Audience.STANDING,),
    ),
    Step(
        8,
        _("Quá hạn mức 4: báo cáo kỳ họp, đề xuất tái giám sát"),
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


@dataclass(frozen=True)
class Plan:
    """Where a case with this deadline stands at `now`: the rung reached and the next time."""

    level: int
    next_at: datetime.datetime | None
    action: str = ""


class Planner:
    """Computes plans during one sweep, caching calendars and ladders per council."""

    def __init__(self, now: datetime.datetime) -> None:
        self.now = now
        self._calendars: dict[int, WorkingCalendar] = {}
        self._ladders: dict[int, tuple[Step, ...]] = {}

    def _council(self, council_id: int) -> tuple[WorkingCalendar, tuple[Step, ...]]:
        if council_id not in self._ladders:
            self._calendars[council_id] = calendar_for(council_id)
            self._ladders[council_id] = ladder_for(council_id)
        return self._calendars[council_id], self._ladders[council_id]

    def plan(self, council_id: int, deadline: datetime.date, held: bool) -> Plan:
        calendar, ladder = self._council(council_id)
        reached: Step | None = None
        for step in ladder:
            if held and step.is_overdue_level:
                return Plan(reached.level if reached else 0, None, _action(reached))
            at = fire_at(calendar, deadline, step)
            if at > self.now:
                return Plan(reached.level if reached else 0, at, _action(reached))
            reached = step
        return Plan(reached.level if reached else 0, None, _action(reached))

    def next_at(self, case: Case) -> datetime.datetime | None:
        """When the rung after the case's current one is due, or None if nothing waits."""
        if case.state in IDLE_STATES or case.deadline is None:
            return None
        calendar, ladder = self._council(case.council_id)
        for step in ladder:
            if step.level <= case.escalation_level:
                continue
            if case.extension_pending and step.is_overdue_level:
                return None
            return fire_at(calendar, case.deadline, step)
        return None


def _action(step: Step | None) -> str:
    return step.action if step else ""


def fire_at(calendar: WorkingCalendar, deadline: datetime.date, step: Step) -> datetime.datetime:
    if step.unit == Unit.WORKING_DAYS:
        day = calendar.shift_working_days(deadline, step.offset)
    else:
        day = deadline + datetime.timedelta(days=step.offset)
    hour = datetime.time(settings.DONDOC_ESCALATION_HOUR)
    return datetime.datetime.combine(day, hour, tzinfo=ZoneInfo(settings.TIME_ZONE))


def schedule(case: Case, now: datetime.datetime | None = None) -> None:
    """Set when the case next climbs its ladder (in memory; the caller saves)."""
    case.next_escalation_at = Planner(now or timezone.now()).next_at(case)


@dataclass
class SweepResult:
    cases: int = 0
    events: int = 0
    broken: int = 0
    by_level: dict[int, int] = field(default_factory=dict)

    def add(self, cases: int, levels: Iterable[int]) -> None:
        self.cases += cases
        for level in levels:
            self.events += 1
            self.by_level[level] = self.by_level.get(level, 0) + 1


def escalate_due(
    now: datetime.datetime | None = None, *, batch_size: int = BATCH_SIZE
) -> SweepResult:
    """Move every case whose next rung is due at `now`; safe to run anywhere, any number
    of times, in several processes at once."""
    now = now or timezone.now()
    planner, result = Planner(now), SweepResult()
    plans = _plans(planner, _due_keys(now), result)
    sweep = _sweep_batch_postgresql if connection.vendor == "postgresql" else _sweep_batch_orm
    while True:
        cases, levels = sweep(now, plans, batch_size)
        result.add(cases, levels)
        if cases < batch_size:
            return result


def _due_keys(now: datetime.datetime) -> set[tuple[int, datetime.date | None, bool]]:
    return set(due_cases(now).values_list("council_id", "deadline", "extension_pending").distinct())


def due_cases(now: datetime.datetime):
    # Matches the partial index case_escalation_due.
    return Case.objects.filter(next_escalation_at__lte=now).exclude(state=CaseState.CLOSED)


def _plans(planner: Planner, keys, result: SweepResult) -> dict[tuple, Plan]:
    plans = {}
    for key in keys:
        try:
            plans[key] = planner.plan(*key)
        except Exception:  # one broken case must not stop the sweep
            logger.exception("Escalation: cannot plan council=%s deadline=%s", *key[:2])
            plans[key] = Plan(0, planner.now + RETRY_BROKEN_AFTER)
            result.broken += 1
    return plans


_SWEEP_SQL = """
WITH plan AS (
    SELECT * FROM unnest(%(councils)s::bigint[], %(deadlines)s::date[], %(held)s::bool[],
                         %(levels)s::int[], %(next_at)s::timestamptz[], %(actions)s::text[])
        AS p(council_id, deadline, held, level, next_at, action)
), due AS (
    SELECT c.id, c.escalation_level AS old_level, p.level, p.next_at, p.action
    FROM workflow_case c
    JOIN plan p ON p.council_id = c.council_id
               AND p.deadline IS NOT DISTINCT FROM c.deadline
               AND p.held = c.extension_pending
    WHERE c.next_escalation_at <= %(now)s AND c.state <> 'closed'
    LIMIT %(batch)s
    FOR UPDATE OF c SKIP LOCKED
), moved AS (
    UPDATE workflow_case c
    SET escalation_level = GREATEST(due.old_level, due.level),
        next_escalation_at = due.next_at, updated_at = %(now)s
    FROM due WHERE c.id = due.id
    RETURNING c.id, c.state, c.ladder_cycle, due.old_level, due.level, due.action
), logged AS (
    INSERT INTO workflow_caseevent
        (case_id, kind, created_at, from_state, to_state, note, data, level, cycle)
    SELECT id, 'case.escalated', %(now)s, state, state, '',
           jsonb_build_object('level', level, 'from_level', old_level, 'action', action),
           level, ladder_cycle
    FROM moved WHERE level > old_level
    ON CONFLICT DO NOTHING
    RETURNING level
)
SELECT (SELECT count(*) FROM moved), coalesce(array_agg(level), '{}') FROM logged
"""


def _sweep_batch_postgresql(now, plans: dict[tuple, Plan], batch_size: int):
    keys = list(plans)
    params = {
        "councils": [k[0] for k in keys],
        "deadlines": [k[1] for k in keys],
        "held": [k[2] for k in keys],
        "levels": [plans[k].level for k in keys],
        "next_at": [plans[k].next_at for k in keys],
        "actions": [plans[k].action for k in keys],
        "now": now,
        "batch": batch_size,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_SWEEP_SQL, params)
        cases, levels = cursor.fetchone()
    return cases, levels


def _sweep_batch_orm(now, plans: dict[tuple, Plan], batch_size: int):
    """The same batch for databases without SKIP LOCKED (SQLite runs one worker)."""
    with transaction.atomic():
        rows = list(
            due_cases(now)
            .order_by("next_escalation_at")
            .values_list(
                "id",
                "council_id",
                "deadline",
                "extension_pending",
                "escalation_level",
                "ladder_cycle",
                "state",
            )[:batch_size]
        )
        events, moved = [], 0
        for pk, council_id, deadline, held, old_level, cycle, state in rows:
            plan = plans.get((council_id, deadline, held))
            if plan is None:  # became due after planning: the next sweep takes it
                continue
            moved += Case.objects.filter(pk=pk).update(
                escalation_level=Greatest("escalation_level", plan.level),
                next_escalation_at=plan.next_at,
                updated_at=now,
            )
            if plan.level > old_level:
                events.append(_escalation_event(pk, state, cycle, old_level, plan, now))
        created = CaseEvent.objects.bulk_create(events, ignore_conflicts=True)
    return moved, [e.level for e in created]


def _escalation_event(pk, state, cycle, old_level, plan: Plan, now) -> CaseEvent:
    return CaseEvent(
        case_id=pk,
        kind=EventKind.ESCALATED,
        created_at=now,
        from_state=state,
        to_state=state,
        level=plan.level,
        cycle=cycle,
        data={"level": plan.level, "from_level": old_level, "action": plan.action},
    )
