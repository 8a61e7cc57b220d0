"""The escalation ladder and the sweep that climbs it.

A case carries `escalation_level` (the highest rung reached in the current cycle) and
`next_escalation_at` (when the next rung is due), beside its state; overdue is derived from
the deadline. The sweep picks cases whose time has come through a partial index, so its
cost grows with the number of due cases, not with all cases. On PostgreSQL each batch is
one statement that claims rows with SKIP LOCKED, moves them and logs one event each; a
unique index on (case, cycle, level) keeps a second or concurrent sweep from writing twice.

The ladder does not stop at its last rung. Past it an overdue case is reminded again every
`Council.repeat_working_days`, each repeat numbered on from the last rung's level, so the same
unique index keeps every repeat single. Two things besides time send a case to the Standing
Committee's rung at once: a report returned twice (`climb_to_decision`, from the transition)
and no report within `Council.urging_answer_days` of reaching the urging letter (in the sweep,
against the case's own letter event). The Standing Committee's decision holds the ladder until
a new date ("keep urging", one more plan key) or ends it for the cycle (workflow/decisions.py).
The rungs that are letters draft them in the batch's transaction (workflow/drafting.py).
"""

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from conclusions.models import Council
from workflow.calendar import WorkingCalendar
from workflow.deadlines import calendar_for
from workflow.drafting import letters_draft
from workflow.models import (
    Audience,
    Case,
    CaseEvent,
    CaseState,
    Decision,
    EscalationStep,
    EventKind,
)

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


class Planner:
    """Computes plans during one sweep, caching calendars and ladders per council."""

    def __init__(self, now: datetime.datetime) -> None:
        self.now = now
        self._councils: dict[int, CouncilLadder] = {}

    def _council(self, council_id: int) -> CouncilLadder:
        if council_id not in self._councils:
            periods = Council.objects.filter(pk=council_id).values_list(
                "repeat_working_days", "urging_answer_days"
            )
            repeat_days, answer_days = periods.first() or (10, 15)
            self._councils[council_id] = CouncilLadder(
                calendar_for(council_id), ladder_for(council_id), repeat_days, answer_days
            )
        return self._councils[council_id]

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
        council = self._council(case.council_id)
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


@dataclass(frozen=True)
class Logged:
    """An escalation event a sweep batch wrote."""

    case_id: int
    level: int
    action: str


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
        cases, logged = sweep(now, plans, batch_size)
        result.add(cases, [event.level for event in logged])
        if cases < batch_size:
            return result


def _due_keys(now: datetime.datetime) -> set[tuple]:
    """(council, deadline, held by an extension request, held by a decision until)."""
    columns = ("council_id", "deadline", "extension_pending", "decision_until")
    return set(due_cases(now).values_list(*columns).distinct())


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


# One statement per batch: claim the due rows, look up when each reached its urging letter
# (only those that might climb for want of an answer), move them, and log what they reached.
_SWEEP_SQL = """
WITH plan AS (
    SELECT * FROM unnest(%(councils)s::bigint[], %(deadlines)s::date[], %(held)s::bool[],
                         %(until)s::date[], %(levels)s::int[], %(next_at)s::timestamptz[],
                         %(actions)s::text[], %(letter_levels)s::int[],
                         %(decision_levels)s::int[], %(decision_actions)s::text[],
                         %(answer_days)s::int[])
        AS p(council_id, deadline, held, until, level, next_at, action,
             letter_level, decision_level, decision_action, answer_days)
), claimed AS (
    SELECT c.id, c.escalation_level AS old_level, c.ladder_cycle AS cycle, c.reported_at,
           p.level, p.next_at, p.action, p.letter_level, p.decision_level, p.decision_action,
           p.answer_days
    FROM workflow_case c
    JOIN plan p ON p.council_id = c.council_id
               AND p.deadline IS NOT DISTINCT FROM c.deadline
               AND p.held = c.extension_pending
               AND p.until IS NOT DISTINCT FROM c.decision_until
    WHERE c.next_escalation_at <= %(now)s AND c.state <> 'closed'
    LIMIT %(batch)s
    FOR UPDATE OF c SKIP LOCKED
), lettered AS (
    SELECT cl.*,
           CASE WHEN cl.letter_level > 0 AND GREATEST(cl.old_level, cl.level) < cl.decision_level
           THEN coalesce((SELECT min(e.created_at) FROM workflow_caseevent e
                          WHERE e.case_id = cl.id AND e.kind = 'case.escalated'
                            AND e.cycle = cl.cycle AND e.level >= cl.letter_level),
                         %(now)s)
           END AS letter_at
    FROM claimed cl
), due AS (
    SELECT l.id, l.old_level,
           CASE WHEN u.unanswered THEN l.decision_level ELSE l.level END AS level,
           CASE WHEN u.unanswered THEN l.decision_action ELSE l.action END AS action,
           CASE WHEN u.unanswered THEN 'no_answer' END AS trigger,
           CASE WHEN l.letter_at IS NULL OR u.unanswered OR l.reported_at >= l.letter_at
                THEN l.next_at
                ELSE LEAST(l.next_at, l.letter_at + make_interval(days => l.answer_days))
           END AS next_at
    FROM lettered l
    CROSS JOIN LATERAL (
        SELECT coalesce(l.letter_at + make_interval(days => l.answer_days) <= %(now)s
                        AND (l.reported_at IS NULL OR l.reported_at < l.letter_at), false)
               AS unanswered
    ) u
), moved AS (
    UPDATE workflow_case c
    SET escalation_level = GREATEST(due.old_level, due.level),
        next_escalation_at = due.next_at, updated_at = %(now)s
    FROM due WHERE c.id = due.id
    RETURNING c.id, c.state, c.ladder_cycle, due.old_level, due.level, due.action, due.trigger
), logged AS (
    INSERT INTO workflow_caseevent
        (case_id, kind, created_at, from_state, to_state, note, data, level, cycle)
    SELECT id, 'case.escalated', %(now)s, state, state, '',
           jsonb_strip_nulls(jsonb_build_object('level', level, 'from_level', old_level,
                                                'action', action, 'trigger', trigger)),
           level, ladder_cycle
    FROM moved WHERE level > old_level
    ON CONFLICT DO NOTHING
    RETURNING case_id, level, data->>'action' AS action
)
SELECT (SELECT count(*) FROM moved), coalesce(array_agg(case_id), '{}'),
       coalesce(array_agg(level), '{}'), coalesce(array_agg(action), '{}')
FROM logged
"""


def _sweep_batch_postgresql(now, plans: dict[tuple, Plan], batch_size: int):
    keys = list(plans)
    params = {
        "councils": [k[0] for k in keys],
        "deadlines": [k[1] for k in keys],
        "held": [k[2] for k in keys],
        "until": [k[3] for k in keys],
        "levels": [plans[k].level for k in keys],
        "next_at": [plans[k].next_at for k in keys],
        "actions": [plans[k].action for k in keys],
        "letter_levels": [plans[k].letter_level for k in keys],
        "decision_levels": [plans[k].decision_level for k in keys],
        "decision_actions": [plans[k].decision_action for k in keys],
        "answer_days": [plans[k].answer_days for k in keys],
        "now": now,
        "batch": batch_size,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_SWEEP_SQL, params)
        cases, case_ids, levels, actions = cursor.fetchone()
        logged = [Logged(*row) for row in zip(case_ids, levels, actions, strict=True)]
        letters_draft(((e.case_id, e.action) for e in logged), now)
    return cases, logged


@dataclass(frozen=True)
class Move:
    """Where one claimed case goes (the ORM twin of the SQL's `due`)."""

    level: int
    action: str
    next_at: datetime.datetime | None
    trigger: str | None = None


def _move(plan: Plan, pk: int, cycle: int, old_level: int, reported_at, now) -> Move:
    """The plan, or the decision rung if the urging letter went unanswered too long."""
    move = Move(plan.level, plan.action, plan.next_at)
    if not plan.letter_level or max(old_level, plan.level) >= plan.decision_level:
        return move
    letter_at = letter_reached_at(pk, cycle, plan.letter_level) or now
    if reported_at is not None and reported_at >= letter_at:
        return move
    answer_by = letter_at + datetime.timedelta(days=plan.answer_days)
    if answer_by <= now:
        return Move(plan.decision_level, plan.decision_action, plan.next_at, NO_ANSWER)
    return replace(move, next_at=min(plan.next_at or answer_by, answer_by))


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
                "decision_until",
                "escalation_level",
                "ladder_cycle",
                "state",
                "reported_at",
            )[:batch_size]
        )
        events, moved = [], 0
        for pk, council_id, deadline, held, until, old_level, cycle, state, reported_at in rows:
            plan = plans.get((council_id, deadline, held, until))
            if plan is None:  # became due after planning: the next sweep takes it
                continue
            move = _move(plan, pk, cycle, old_level, reported_at, now)
            moved += Case.objects.filter(pk=pk).update(
                escalation_level=Greatest("escalation_level", move.level),
                next_escalation_at=move.next_at,
                updated_at=now,
            )
            if move.level > old_level:
                events.append(escalation_event(pk, state, cycle, old_level, move, now))
        created = CaseEvent.objects.bulk_create(events, ignore_conflicts=True)
        # SQLite's bulk insert cannot say which rows it skipped; the batch is one worker's alone.
        logged = [Logged(e.case_id, e.level, e.data["action"]) for e in created]
        letters_draft(((e.case_id, e.action) for e in logged), now)
    return moved, logged


def escalation_event(pk, state, cycle, old_level, move: Move, now) -> CaseEvent:
    data = {"level": move.level, "from_level": old_level, "action": move.action}
    if move.trigger:
        data["trigger"] = move.trigger
    return CaseEvent(
        case_id=pk,
        kind=EventKind.ESCALATED,
        created_at=now,
        from_state=state,
        to_state=state,
        level=move.level,
        cycle=cycle,
        data=data,
    )


def climb_to_decision(case: Case, trigger: str) -> CaseEvent | None:
    """Move the case at once to its council's decision rung: a trigger besides time (the
    report returned twice). Called inside the transition's transaction, after its save; the
    level only ever rises, whatever a sweep wrote meanwhile."""
    step = decision_step(ladder_for(case.council_id))
    if step is None or case.escalation_level >= step.level:
        return None
    old_level, case.escalation_level = case.escalation_level, step.level
    schedule(case)
    Case.objects.filter(pk=case.pk).update(
        escalation_level=Greatest("escalation_level", step.level),
        next_escalation_at=case.next_escalation_at,
    )
    move = Move(step.level, step.action, case.next_escalation_at, trigger)
    now = timezone.now()
    event = escalation_event(case.pk, case.state, case.ladder_cycle, old_level, move, now)
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError:  # a sweep logged this rung of this cycle first
        return None
    return event
