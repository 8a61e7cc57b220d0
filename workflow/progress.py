"""A notice's progress: its items (one case per recommendation × lead agency) by state, and
the share closed as implemented, for any number of notices in one query."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from workflow.models import Case, CaseState, Outcome


@dataclass(frozen=True)
class Progress:
    total: int = 0
    implemented: int = 0  # closed as implemented ("Hoàn thành")
    by_state: tuple[tuple[str, str, int], ...] = ()  # (state, its label, cases)

    @property
    def percent(self) -> int:
        """Items done over all items, in whole percent (what the bar shows)."""
        return round(100 * self.implemented / self.total) if self.total else 0


def progress_by_notice(cases: QuerySet[Case]) -> dict[int, Progress]:
    """The progress of every notice among `cases` (already scoped to what may be shown)."""
    per_state = {state: Count("pk", filter=Q(state=state)) for state in CaseState.values}
    rows = (
        cases.order_by()
        .values("notice_id")
        .annotate(
            total=Count("pk"),
            implemented=Count("pk", filter=Q(state=CaseState.CLOSED, outcome=Outcome.IMPLEMENTED)),
            **per_state,
        )
    )
    return {
        row["notice_id"]: Progress(
            total=row["total"],
            implemented=row["implemented"],
            by_state=tuple((state, label, row[state]) for state, label in CaseState.choices),
        )
        for row in rows
    }
