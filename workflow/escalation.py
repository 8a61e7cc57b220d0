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

from django.db import IntegrityError, connection, transaction
from django.db.models.functions import Greatest
from django.utils import timezone

from workflow.drafting import LETTER_KINDS, letters_draft

# The ladder and the planning live in their own modules; their names stay importable from here.
from workflow.escalation_ladder import (  # noqa: F401
    DECISION_ACTIONS,
    DEFAULT_LADDER,
    NO_ANSWER,
    REPEAT_AUDIENCE,
    RETURNED_TWICE,
    Act,
    Step,
    Unit,
    decision_step,
    ladder_for,
    step_at,
    urging_letter_step,
)
from workflow.escalation_plan import (  # noqa: F401
    IDLE_STATES,
    CouncilLadder,
    Plan,
    Planner,
    fire_at,
    letter_reached_at,
    morning,
    repeat_after,
    resume_at,
    schedule,
)
from workflow.models import Case, CaseEvent, CaseState, EventKind

logger = logging.getLogger(__name__)

BATCH_SIZE = 20000  # rows claimed, moved and logged per transaction (~1-2 s of locks)
RETRY_BROKEN_AFTER = datetime.timedelta(hours=1)


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
class Batch:
    """What one batch of a sweep did: rows claimed, cases moved, the levels it logged."""

    claimed: int
    moved: int
    levels: list[int]


def escalate_due(
    now: datetime.datetime | None = None, *, batch_size: int = BATCH_SIZE
) -> SweepResult:
    """Move every case whose next rung is due at `now`; safe to run anywhere, any number
    of times, in several processes at once."""
    now = now or timezone.now()
    planner, result = Planner(now), SweepResult()
    plans = _plans(planner, _due_keys(now), result)
    sweep = _sweep_batch_postgresql if connection.vendor == "postgresql" else _sweep_batch_orm
    unplanned: list[int] = []  # claimed without a plan: the next sweep's
    while True:
        batch = sweep(now, plans, batch_size, unplanned)
        result.add(batch.moved, batch.levels)
        if batch.claimed < batch_size:
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


# One statement per batch: claim the due rows, oldest first (read in the partial index's
# order, so each batch stops after its rows instead of gathering every due row); look up when
# each reached its urging letter (only those that might climb for want of an answer), move
# them, and log what they reached. A claimed row with no plan (it became due, or changed its
# key, after planning) is left as it is and its id returned, so the next batch skips it and
# the next sweep plans it.
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
    SELECT c.id, c.council_id, c.deadline, c.extension_pending, c.decision_until,
           c.escalation_level AS old_level, c.ladder_cycle AS cycle, c.reported_at
    FROM workflow_case c
    WHERE c.next_escalation_at <= %(now)s AND c.state <> 'closed'
      AND c.id <> ALL(%(skip)s::bigint[])
    ORDER BY c.next_escalation_at
    LIMIT %(batch)s
    FOR UPDATE OF c SKIP LOCKED
), planned AS MATERIALIZED (
    SELECT cl.id, cl.old_level, cl.cycle, cl.reported_at, p.level, p.next_at, p.action,
           p.letter_level, p.decision_level, p.decision_action, p.answer_days,
           CASE WHEN p.letter_level > 0 AND GREATEST(cl.old_level, p.level) < p.decision_level
           THEN coalesce((SELECT min(e.created_at) FROM workflow_caseevent e
                          WHERE e.case_id = cl.id AND e.kind = 'case.escalated'
                            AND e.cycle = cl.cycle AND e.level >= p.letter_level),
                         %(now)s)
           END AS letter_at
    FROM claimed cl
    LEFT JOIN plan p ON p.council_id = cl.council_id  -- NULL dates match (hashable form)
                    AND coalesce(p.deadline, 'infinity') = coalesce(cl.deadline, 'infinity')
                    AND p.held = cl.extension_pending
                    AND coalesce(p.until, 'infinity') = coalesce(cl.decision_until, 'infinity')
), due AS (
    SELECT l.id, l.old_level,
           CASE WHEN u.unanswered THEN l.decision_level ELSE l.level END AS level,
           CASE WHEN u.unanswered THEN l.decision_action ELSE l.action END AS action,
           CASE WHEN u.unanswered THEN 'no_answer' END AS trigger,
           CASE WHEN l.letter_at IS NULL OR u.unanswered OR l.reported_at >= l.letter_at
                THEN l.next_at
                ELSE LEAST(l.next_at, l.letter_at + make_interval(days => l.answer_days))
           END AS next_at
    FROM planned l
    CROSS JOIN LATERAL (
        SELECT coalesce(l.letter_at + make_interval(days => l.answer_days) <= %(now)s
                        AND (l.reported_at IS NULL OR l.reported_at < l.letter_at), false)
               AS unanswered
    ) u
    WHERE l.level IS NOT NULL
), moved AS (
    UPDATE workflow_case c
    SET escalation_level = GREATEST(due.old_level, due.level),
        next_escalation_at = due.next_at, updated_at = %(now)s
    FROM due  -- through the primary key, never a scan of the table
    WHERE c.id = due.id AND c.id = ANY(ARRAY(SELECT id FROM due))
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
SELECT (SELECT count(*) FROM claimed), (SELECT count(*) FROM moved),
       (SELECT coalesce(array_agg(id), '{}') FROM planned WHERE level IS NULL),
       e.levels, l.cases, l.actions
FROM (SELECT coalesce(array_agg(level), '{}') AS levels FROM logged) e,
     (SELECT coalesce(array_agg(case_id), '{}') AS cases,
             coalesce(array_agg(action), '{}') AS actions
      FROM logged WHERE action = ANY(%(letters)s::text[])) l
"""


def _sweep_batch_postgresql(now, plans: dict[tuple, Plan], batch_size: int, unplanned: list):
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
        "letters": list(LETTER_KINDS),
        "skip": unplanned,
        "now": now,
        "batch": batch_size,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        # The batch bounds the statement's work; compiling it would cost more than it saves
        # (the estimates grow with the due rows, not the batch).
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(_SWEEP_SQL, params)
        claimed, moved, skipped, levels, letter_cases, letter_actions = cursor.fetchone()
        letters_draft(zip(letter_cases, letter_actions, strict=True), now)
    unplanned += skipped
    return Batch(claimed, moved, levels)


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


def _sweep_batch_orm(now, plans: dict[tuple, Plan], batch_size: int, unplanned: list):
    """The same batch for databases without SKIP LOCKED (SQLite runs one worker)."""
    with transaction.atomic():
        rows = list(
            due_cases(now)
            .exclude(pk__in=unplanned)
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
                unplanned.append(pk)
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
        letters_draft(((e.case_id, e.data["action"]) for e in created), now)
    return Batch(len(rows), moved, [e.level for e in created])


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
