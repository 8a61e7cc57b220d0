"""Live figures for the dashboard, counted by the rules of workflow/definitions.py (the ones
Report A and the API count with "as of" a day). Every number is a `Bucket` (workflow/
filters.py) counted by one grouped aggregate. Whatever the number of cases, the dashboard
costs one aggregate (grouped by committee, agency and state, each number a `COUNT(*) FILTER`:
few groups, so PostgreSQL hashes them in memory), one chart query and a few small look-ups."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, transaction
from django.db.models import Count, F, Func, IntegerField, Q, QuerySet, Sum

from conclusions.models import Agency, Committee
from workflow.definitions import (
    Result,
    on_time_rate,
    with_agency_done_on,
)
from workflow.filters import (
    Bucket,
    bucket_q,
    due_soon_until,
    judged,
    local_midnight,
)
from workflow.models import Case, CaseState

CHART_POINTS = 60
GROUPING_WORK_MEM = "64MB"
CHART_DEFAULT_DAYS = 90


def percent_text(value: float | None) -> str:
    """ "85,7%" (Vietnamese decimal comma), or a dash when there is nothing to divide."""
    return "—" if value is None else f"{100 * value:.1f}%".replace(".", ",")


class DaysLate(Func):
    """Whole days from the deadline to `today` (positive when overdue)."""

    output_field = IntegerField()

    def __init__(self, today: datetime.date) -> None:
        super().__init__(F("deadline"))
        self.today = today

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return f"(julianday(%s) - julianday({column}))", [self.today.isoformat(), *params]

    def as_postgresql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return f"(%s::date - {column})", [self.today, *params]


# Counted with a filter each: the nine results, then the other numbers.
COUNTED = (
    *Result.values,
    Bucket.DUE_SOON,
    Bucket.DUE,
    Bucket.DUE_DONE_ON_TIME,
    Bucket.REVIEW_OVERDUE,
    Bucket.EXTENSION_PENDING,
    Bucket.HIGH_LEVEL,
    Bucket.DECISION,
)


@dataclass
class Counts:
    total: int = 0
    open: int = 0
    closed: int = 0
    due_soon: int = 0
    due: int = 0
    due_done_on_time: int = 0
    review_overdue: int = 0
    extension_pending: int = 0
    high_level: int = 0
    decision: int = 0
    overdue_days: int = 0
    done_on_time: int = 0
    done_late: int = 0
    partially: int = 0
    in_progress: int = 0
    in_progress_overdue: int = 0
    awaiting_review: int = 0
    not_implemented: int = 0
    explained_or_roadmap: int = 0
    forwarded: int = 0

    @property
    def on_time_rate(self) -> float | None:
        """Done on time, of the cases due (workflow/definitions.py)."""
        return on_time_rate(self.due_done_on_time, self.due)

    @property
    def on_time_text(self) -> str:
        return percent_text(self.on_time_rate)

    def add(self, row: dict) -> None:
        for name in COUNTED:
            setattr(self, name, getattr(self, name) + row[name])
        n = row["total"]
        self.total += n
        if row["state"] == CaseState.CLOSED:
            self.closed += n
        else:
            self.open += n
        self.overdue_days += row["overdue_days"] or 0


@dataclass
class Row:
    """One committee or agency on the dashboard."""

    id: int
    name: str
    counts: Counts


@dataclass
class Figures:
    today: datetime.date
    horizon: datetime.date
    totals: Counts = field(default_factory=Counts)
    by_state: dict[str, int] = field(default_factory=dict)
    by_committee: list[Row] = field(default_factory=list)
    by_agency: list[Row] = field(default_factory=list)
    # The council's own tasks (committees, office, deputies' groups), apart from the executive
    # agencies' rows.
    by_council_body: list[Row] = field(default_factory=list)

    def most_overdue_agencies(self, limit: int = 10) -> list[Row]:
        late = [row for row in self.by_agency if row.counts.overdue_days > 0]
        return sorted(late, key=lambda row: (-row.counts.overdue_days, row.name))[:limit]


def dashboard_figures(cases: QuerySet[Case], today: datetime.date) -> Figures:
    """Every count of the dashboard from one aggregate over the (already scoped) cases."""
    horizon = due_soon_until(today)
    figures = Figures(today=today, horizon=horizon)
    committees: dict[int, Counts] = defaultdict(Counts)
    agencies: dict[int, Counts] = defaultdict(Counts)
    for row in _grouped(cases, today, horizon):
        figures.totals.add(row)
        committees[row["committee_id"]].add(row)
        agencies[row["agency_id"]].add(row)
        figures.by_state[row["state"]] = figures.by_state.get(row["state"], 0) + row["total"]
    figures.by_committee = _named(Committee.objects.all(), committees)
    bodies = Agency.objects.filter(kind=Agency.Kind.COUNCIL_BODY)
    figures.by_agency = _named(Agency.objects.exclude(kind=Agency.Kind.COUNCIL_BODY), agencies)
    figures.by_council_body = _named(bodies, agencies)
    return figures


def _grouped(
    cases: QuerySet[Case],
    today: datetime.date,
    horizon: datetime.date,
    by: tuple[str, ...] = ("committee_id", "agency_id"),
) -> list[dict]:
    """Every number of the dashboard, each a `COUNT(*) FILTER`, per group `by` and state."""
    counts = {name: Count("id", filter=bucket_q(name, today, horizon)) for name in COUNTED}
    late = bucket_q(Result.IN_PROGRESS_OVERDUE, today, horizon)
    rows = (
        judged(cases)
        .order_by()
        .values(*by, "state")
        .annotate(total=Count("id"), overdue_days=Sum(DaysLate(today), filter=late), **counts)
    )
    with _room_to_hash(rows.db):
        return list(rows)


@contextmanager
def _room_to_hash(alias: str) -> Iterator[None]:
    """PostgreSQL expects nearly one group per case (it cannot tell that a council's bodies
    and states make a few hundred), so with the default `work_mem` it sorts every case to
    group them, spilling to disk at a province's 100,000; with room it hashes them in memory
    (`bench_dashboard`). The setting lasts until the end of the transaction opened here."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{GROUPING_WORK_MEM}'")
        yield


def _named(bodies: QuerySet, counts: dict[int, Counts]) -> list[Row]:
    """The rows of the bodies among `bodies` that have counts."""
    names = {body.pk: str(body) for body in bodies.filter(pk__in=list(counts))}
    rows = [Row(pk, name, counts[pk]) for pk, name in names.items()]
    return sorted(rows, key=lambda row: row.name)


def chart_range(
    today: datetime.date, period_from: datetime.date | None, period_to: datetime.date | None
) -> tuple[datetime.date, datetime.date, int]:
    """First and last day of the overdue chart and the step in days between its points."""
    last = min(period_to or today, today)
    first = period_from or last - datetime.timedelta(days=CHART_DEFAULT_DAYS - 1)
    first = min(first, last)
    step = max(1, -(-((last - first).days + 1) // CHART_POINTS))
    return first, last, step


def chart_days(first: datetime.date, last: datetime.date, step: int) -> list[datetime.date]:
    days = [first + datetime.timedelta(days=i) for i in range(0, (last - first).days + 1, step)]
    return days if days[-1] == last else [*days, last]


def overdue_series(
    cases: QuerySet[Case],
    first: datetime.date,
    last: datetime.date,
    step: int,
    *,
    vendor: str | None = None,
) -> list[tuple[datetime.date, int]]:
    """How many of `cases` were in progress overdue (`overdue_on_q`) on each chart day.

    A case is overdue on the days [deadline + 1, the day the agency reported - 1]: it adds
    one on the day after its deadline and takes one away on the day it reported (or closed
    without a report), so a running sum of those steps gives every point from one pass over
    the cases."""
    days = chart_days(first, last, step)
    relevant = (
        with_agency_done_on(cases)
        .filter(deadline__lt=last)
        .filter(_not_done_before_q(first))
        .annotate(done_on=F("agency_done_on"))
    )
    if (vendor or connection.vendor) == "postgresql":
        counts = _series_postgresql(relevant, days)
    else:
        counts = _series_orm(relevant, days)
    return list(zip(days, counts, strict=True))


def _not_done_before_q(first: datetime.date) -> Q:
    """`agency_done_on` unset or from `first` on, asked of the stored instants: the chart
    passes over most of a council's cases, and turning each one's instant into a local day
    costs more than the rest of its reading."""
    done = Q(state__in=(CaseState.REPORTED, CaseState.CLOSED))
    since = local_midnight(first)
    return (
        ~done
        | Q(reported_at__gte=since)
        | Q(reported_at__isnull=True, closed_at__gte=since)
        | Q(reported_at__isnull=True, closed_at__isnull=True)
    )


_SERIES_SQL = """
WITH c AS MATERIALIZED (
    SELECT deadline, done_on FROM ({cases}) AS s(deadline, done_on)
    WHERE done_on IS NULL OR done_on > deadline + 1
), steps AS MATERIALIZED (
    SELECT day, sum(n) AS n FROM (
        SELECT deadline + 1 AS day, count(*) AS n FROM c GROUP BY 1
        UNION ALL
        SELECT done_on, -count(*) FROM c WHERE done_on IS NOT NULL GROUP BY 1
    ) AS both_ends GROUP BY day
)
SELECT coalesce(sum(steps.n), 0)::int
FROM unnest(%s::date[]) WITH ORDINALITY AS b(day, i)
LEFT JOIN steps ON steps.day <= b.day
GROUP BY b.i ORDER BY b.i
"""


def _series_postgresql(cases: QuerySet[Case], days: list[datetime.date]) -> list[int]:
    inner = cases.order_by()
    try:
        sql, params = inner.values_list("deadline", "done_on").query.sql_with_params()
    except EmptyResultSet:  # a user who may see no case at all
        return [0] * len(days)
    with connections[inner.db].cursor() as cursor:  # where the cases are read (a replica)
        cursor.execute(_SERIES_SQL.format(cases=sql), [*params, days])
        return [n for (n,) in cursor.fetchall()]


def _series_orm(cases: QuerySet[Case], days: list[datetime.date]) -> list[int]:
    """The same running sum for SQLite: two grouped queries, the sum in Python."""
    steps: dict[datetime.date, int] = defaultdict(int)
    rows = cases.order_by().values("deadline", "done_on").annotate(n=Count("id"))
    one = datetime.timedelta(days=1)
    for row in rows:
        deadline, done_on = row["deadline"], row["done_on"]
        if done_on is not None and done_on <= deadline + one:
            continue
        steps[deadline + one] += row["n"]
        if done_on is not None:
            steps[done_on] -= row["n"]
    return _running(sorted(steps.items()), days)


def _running(steps: Iterable[tuple[datetime.date, int]], days: list[datetime.date]) -> list[int]:
    pending, total, result = list(steps), 0, []
    for day in days:
        while pending and pending[0][0] <= day:
            total += pending.pop(0)[1]
        result.append(total)
    return result


def counts_by_council(cases: QuerySet[Case], today: datetime.date) -> dict[int, Counts]:
    """The dashboard's totals of each council among `cases`, counted by the same aggregate as
    each council's own dashboard (reports/communes.py: the province's roll-up)."""
    totals: dict[int, Counts] = defaultdict(Counts)
    for row in _grouped(cases, today, due_soon_until(today), by=("council_id",)):
        totals[row["council_id"]].add(row)
    return totals
