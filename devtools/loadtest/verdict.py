"""After the load: was every accepted transition written once, and does each case stand where
its accepted transitions lead? And the figures: requests, rates, latencies, refusals."""

from collections import Counter, defaultdict

from django.db.models import Count

from devtools.loadtest.clients import TRANSITIONS, Tally
from workflow.models import Case, CaseEvent, CaseState, EventKind


def lost_updates(accepted: Counter) -> list[str]:
    """Cases whose events or final state differ from the transitions the API accepted."""
    logged = (
        CaseEvent.objects.filter(kind__in=TRANSITIONS.values())
        .order_by()
        .values("case_id", "kind")
        .annotate(count=Count("id"))
        .values_list("case_id", "kind", "count")
    )
    events = Counter({(case_id, kind): count for case_id, kind, count in logged})
    states = dict(Case.objects.values_list("id", "state"))
    problems = [
        f"case {case_id}: {kind} accepted {accepted[(case_id, kind)]}×, logged {count}×"
        for (case_id, kind), count in (events | accepted).items()
        if events[(case_id, kind)] != accepted[(case_id, kind)]
    ]
    by_case: dict[int, dict[str, int]] = defaultdict(dict)
    for (case_id, kind), count in accepted.items():
        by_case[case_id][kind] = count
    for case_id, state in states.items():
        expected = _final_state(by_case[case_id])
        if state != expected:
            problems.append(
                f"case {case_id}: state {state}, accepted transitions lead to {expected}"
            )
    return problems


def _final_state(done: dict[str, int]) -> str:
    if not done.get(EventKind.STARTED):
        return CaseState.ASSIGNED
    if done.get(EventKind.CLOSED):
        return CaseState.CLOSED
    if done.get(EventKind.REPORTED, 0) > done.get(EventKind.RETURNED, 0):
        return CaseState.REPORTED
    return CaseState.IN_PROGRESS


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95 + 0.5) - 1)] if ordered else 0.0


def p50(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 0.0


def summary(tally: Tally, seconds: float) -> list[str]:
    """A line per operation, its p50 and p95 also as multiples of the trivial GET's in the
    same run, and the ratio the issue asks about: any transition's p50 against /me/'s."""
    base50, base95 = p50(tally.latencies["me"]) or 1e-9, p95(tally.latencies["me"]) or 1e-9
    lines = [
        f"{'operation':<10}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p50 ×me':>9}{'p95 ×me':>9}{'409':>7}{'5xx':>6}"
    ]
    names = ["me", "list", "view", "start", "report", "close", "return"]
    for name in [n for n in names if tally.latencies.get(n)]:
        values = tally.latencies[name]
        conflicts = tally.statuses[(name, 409)]
        server = sum(
            n for (op, status), n in tally.statuses.items() if op == name and status >= 500
        )
        lines.append(
            f"{name:<10}{len(values):>10}{len(values) / seconds:>9.1f}"
            f"{p50(values) * 1000:>9.1f}{p95(values) * 1000:>9.1f}"
            f"{p50(values) / base50:>9.1f}{p95(values) / base95:>9.1f}{conflicts:>7}{server:>6}"
        )
    every = [v for values in tally.latencies.values() for v in values]
    lines.append(f"{'all':<10}{len(every):>10}{len(every) / seconds:>9.1f}")
    moves = [v for name in TRANSITIONS for v in tally.latencies.get(name, [])]
    if moves:
        lines.append(
            f"one transition: p50 {p50(moves) * 1000:.1f} ms = {p50(moves) / base50:.1f}× "
            f"the trivial authenticated GET (/api/v1/me/, p50 {base50 * 1000:.1f} ms) "
            "in the same run"
        )
    return lines


def server_errors(tally: Tally) -> int:
    return sum(n for (_op, status), n in tally.statuses.items() if status >= 500)
