"""Time the escalation sweep against a naive per-case loop and a hand-written SQL floor,
each on identical data, and print the ratios. PostgreSQL, in a scratch database of its own; as a
superuser (each run starts after a CHECKPOINT)."""

import time
from collections.abc import Callable
from contextlib import contextmanager

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models.signals import post_save
from django.utils import timezone

from devtools.scratch import ScratchCommand
from devtools.synthetic import build_cases
from workflow.escalation import BATCH_SIZE, Planner, due_cases, escalate_due
from workflow.eventlog import event_log_unlocked
from workflow.models import CaseEvent, EventKind

# The same writes as the sweep (level, a future next time, one event with the same data),
# without the working-day planning a hand-written statement cannot do.
_FLOOR_SQL = """
WITH moved AS (
    UPDATE workflow_case SET escalation_level = escalation_level + 1,
                             next_escalation_at = next_escalation_at + interval '30 days',
                             updated_at = %(now)s
    WHERE next_escalation_at <= %(now)s AND state <> 'closed'
    RETURNING id, state, escalation_level, ladder_cycle
)
INSERT INTO workflow_caseevent
    (case_id, kind, created_at, from_state, to_state, note, data, level, cycle)
SELECT id, %(escalated)s, %(now)s, state, state, '',
       jsonb_build_object('level', escalation_level, 'from_level', escalation_level - 1,
                          'action', 'reminder'),
       escalation_level, ladder_cycle
FROM moved
"""


class Command(ScratchCommand):
    help = "Đo tốc độ quét đôn đốc / Benchmark the escalation sweep (PostgreSQL)."

    def add_work_arguments(self, parser) -> None:
        parser.add_argument("--cases", type=int, default=1_000_000)
        parser.add_argument("--due", type=int, default=100_000)
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument(
            "--skip-naive", action="store_true", help="leave out the (slow) naive loop"
        )

    def check_options(self, *, cases: int, due: int, **options) -> None:
        if not 0 < due <= cases:
            raise CommandError("--due must be between 1 and --cases.")

    def work(self, *, cases: int, due: int, batch_size: int, skip_naive: bool) -> None:
        now = timezone.now()
        self.stdout.write(f"Building {cases:,} cases, {due:,} due …")
        build_cases(cases=cases, due=due, now=now)
        self._report(cases, due, self._measure(now, batch_size, skip_naive))

    def _measure(self, now, batch_size: int, skip_naive: bool) -> dict[str, float]:
        snapshot = _snapshot(now)
        runs = {
            "SQL floor": lambda: _floor(now),
            "sweep": lambda: escalate_due(now, batch_size=batch_size),
            "naive loop": lambda: _naive_loop(now),
        }
        if skip_naive:
            del runs["naive loop"]
        timings = {}
        for name, run in runs.items():
            _settle()
            timings[name] = _timed(run)
            if name == "sweep":
                timings["sweep, nothing due"] = _timed(lambda: escalate_due(now))
            _restore(snapshot)
        return timings

    def _report(self, cases: int, due: int, timings: dict[str, float]) -> None:
        sweep = timings["sweep"]
        self.stdout.write(f"\n{'method':<22}{'seconds':>10}{'× sweep':>10}")
        for name, seconds in timings.items():
            self.stdout.write(f"{name:<22}{seconds:>10.3f}{seconds / sweep:>10.2f}")
        naive = timings.get("naive loop")
        self.stdout.write(
            f"\nN={cases:,} M={due:,}: "
            + (f"sweep is {naive / sweep:.1f}× faster than the naive loop, " if naive else "")
            + f"{sweep / timings['SQL floor']:.2f}× the SQL floor; nothing due costs "
            f"{100 * timings['sweep, nothing due'] / sweep:.2f}% of the sweep."
        )
        self.stdout.write(
            f"Per due case: sweep {1e6 * sweep / due:.0f} µs, "
            f"SQL floor {1e6 * timings['SQL floor'] / due:.0f} µs."
        )


def _timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


@contextmanager
def _events_unobserved():
    """Mute post_save receivers of CaseEvent (notification fan-out), so that both the loop
    and the sweep are timed on the escalation writes alone."""
    saved = post_save.receivers
    post_save.receivers = [r for r in saved if r[0][1] != id(CaseEvent)]
    post_save.sender_receivers_cache.clear()
    try:
        yield
    finally:
        post_save.receivers = saved
        post_save.sender_receivers_cache.clear()


def _naive_loop(now) -> None:
    """What a first version would do: one case at a time, a save and an event each."""
    with _events_unobserved():
        _naive_steps(now)


def _naive_steps(now) -> None:
    planner = Planner(now)
    for case in due_cases(now).iterator(chunk_size=2000):
        with transaction.atomic():
            plan = planner.plan(case.council_id, case.deadline, case.extension_pending)
            old_level = case.escalation_level
            case.escalation_level = max(old_level, plan.level)
            case.next_escalation_at = plan.next_at
            case.save()
            if plan.level > old_level:
                CaseEvent.objects.create(
                    case=case,
                    kind=EventKind.ESCALATED,
                    created_at=now,
                    from_state=case.state,
                    to_state=case.state,
                    level=plan.level,
                    cycle=case.ladder_cycle,
                    data={"level": plan.level, "from_level": old_level, "action": plan.action},
                )


def _floor(now) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_FLOOR_SQL, {"now": now, "escalated": EventKind.ESCALATED})


def _snapshot(now) -> list[tuple]:
    return list(due_cases(now).values_list("id", "escalation_level", "next_escalation_at"))


def _restore(snapshot: list[tuple]) -> None:
    """Put the due cases back as they were and forget the events the last run wrote."""
    ids = [row[0] for row in snapshot]
    with event_log_unlocked("bench: forget the last run's events"), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE workflow_case c SET escalation_level = s.level, next_escalation_at = s.at "
            "FROM unnest(%s::bigint[], %s::int[], %s::timestamptz[]) AS s(id, level, at) "
            "WHERE c.id = s.id",
            [ids, [row[1] for row in snapshot], [row[2] for row in snapshot]],
        )
        cursor.execute(
            "DELETE FROM workflow_caseevent WHERE kind = %s AND case_id = ANY(%s)",
            [EventKind.ESCALATED, ids],
        )


def _settle() -> None:
    """Each run starts alike: unbloated, and with every page the last run (or the build)
    dirtied already written, so that no run pays for another's checkpoint. Outside a
    transaction."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE workflow_case, workflow_caseevent")
        cursor.execute("CHECKPOINT")
