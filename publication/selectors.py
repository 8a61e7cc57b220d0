"""What a council's public page shows: only the notices its Standing Committee published,
their items with agencies, deadlines, state and the committee's assessment once closed, and
the council's on-time rate by agency. No evidence, no person's name but the signer's."""

from dataclasses import dataclass

from django.db.models import Count, Max, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from conclusions.models import ConclusionNotice, Council
from reports.figures import results_as_of
from workflow.models import Case, CaseEvent, EventKind
from workflow.progress import Progress, progress_by_notice


@dataclass(frozen=True)
class PublicItem:
    anchor: str
    text: str
    agency: str
    coordinating: list[str]
    deadline: object
    deadline_text: str
    state: str
    state_label: str
    outcome: str
    assessment: str


def published_notices(council: Council) -> QuerySet[ConclusionNotice]:
    return ConclusionNotice.objects.filter(
        council=council,
        status=ConclusionNotice.Status.ISSUED,
        published_at__isnull=False,
    ).order_by("-issue_date", "-id")


def council_page(code: str) -> Council:
    return get_object_or_404(Council, code=code)


def publication_version(council: Council) -> str:
    """Changes whenever a notice is published or withdrawn, so a cached page never shows a
    withdrawn notice (every web process sees the same database, whatever its cache)."""
    state = published_notices(council).aggregate(n=Count("pk"), last=Max("published_at"))
    last = state["last"].timestamp() if state["last"] else 0
    return f"{state['n']}-{last}"


def notices_with_progress(council: Council) -> list[tuple[ConclusionNotice, Progress]]:
    notices = list(published_notices(council).select_related("tracking_committee"))
    progress = progress_by_notice(Case.objects.filter(notice__in=[n.pk for n in notices]))
    return [(notice, progress.get(notice.pk, Progress())) for notice in notices]


def notices_progress_of(notice: ConclusionNotice) -> Progress:
    return progress_by_notice(Case.objects.filter(notice=notice)).get(notice.pk, Progress())


def agency_rates(council: Council) -> list[dict]:
    """The council's on-time rate by agency today, as Report A counts it."""
    figures = results_as_of(Case.objects.filter(council=council), timezone.localdate())
    return [row for row in figures["by_agency"] if row["due"]]


def published_notice(council: Council, pk: int) -> ConclusionNotice:
    return get_object_or_404(published_notices(council).select_related("tracking_committee"), pk=pk)


def public_items(notice: ConclusionNotice) -> list[PublicItem]:
    closings = CaseEvent.objects.filter(kind=EventKind.CLOSED).order_by("-created_at", "-id")
    cases = (
        Case.objects.filter(notice=notice)
        .select_related("recommendation", "agency")
        .prefetch_related("coordinating_agencies", Prefetch("events", closings, "closings"))
        .order_by("recommendation__position", "agency__name", "id")
    )
    return [
        PublicItem(
            anchor=case.recommendation.anchor,
            text=case.recommendation.text,
            agency=case.agency.name,
            coordinating=[agency.name for agency in case.coordinating_agencies.all()],
            deadline=case.deadline,
            deadline_text=case.recommendation.deadline_phrase,
            state=case.state,
            state_label=case.get_state_display(),
            outcome=case.get_outcome_display() if case.outcome else "",
            assessment=case.closings[0].note if case.outcome and case.closings else "",
        )
        for case in cases
    ]
