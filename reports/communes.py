"""Two levels of councils (since 1 July 2025): a province council sees, read-only, a roll-up
of its commune and ward councils: per council its open, overdue and closed cases and its
on-time rate, counted by the aggregate of each commune's own dashboard (reports/queries.py),
and the overdue cases behind each number. The province never acts on them, and its people do
not see the communes' case pages: the roll-up lists what a province needs to urge the commune."""

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet

from conclusions.models import Council
from conclusions.selectors import roles_of
from reports.queries import Counts, counts_by_council
from workflow.definitions import Result, result_q
from workflow.filters import judged
from workflow.models import Case


@dataclass
class CommuneRow:
    council: Council
    counts: Counts
    overdue: list[Case] = field(default_factory=list)


def provinces_of(user) -> QuerySet[Council]:
    """The province councils whose Standing Committee or office the user sits in (every
    province for an administrator), those with commune councils under them."""
    provinces = Council.objects.filter(
        level=Council.Level.PROVINCE, children__level=Council.Level.COMMUNE
    ).distinct()
    roles = roles_of(user)
    if roles.is_admin:
        return provinces.order_by("name")
    return provinces.filter(pk__in=roles.council_ids).order_by("name")


def communes_of(province: Council) -> QuerySet[Council]:
    return province.children.filter(level=Council.Level.COMMUNE, successor__isnull=True)


def commune_rollup(province: Council, today: datetime.date) -> list[CommuneRow]:
    """One row per commune council of the province: two queries whatever their number."""
    communes = list(communes_of(province).order_by("name"))
    cases = Case.objects.filter(council__in=communes)
    counts = counts_by_council(cases, today)
    rows = {c.pk: CommuneRow(c, counts.get(c.pk, Counts())) for c in communes}
    overdue = (
        judged(cases)
        .filter(result_q(Result.IN_PROGRESS_OVERDUE, today))
        .select_related("notice", "recommendation", "agency", "committee")
        .order_by("council_id", "deadline", "id")
    )
    for case in overdue:
        rows[case.council_id].overdue.append(case)
    return list(rows.values())


def rollup_totals(rows: list[CommuneRow]) -> Counts:
    total = Counts()
    for row in rows:
        for name, value in vars(row.counts).items():
            setattr(total, name, getattr(total, name) + value)
    return total
