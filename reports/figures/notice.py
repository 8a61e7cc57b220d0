"""B: one notice, item by item."""

from django.db.models import QuerySet

from conclusions.models import ConclusionNotice
from reports.figures.common import (
    RESULTS,
    RESULTS_VERSION,
    REVIEW_KINDS,
    Progress,
    Tally,
    _iso,
    _item,
    _listed,
    judged_as_of,
)
from reports.history import day_end, local_day
from workflow.models import Case, CaseEvent, CaseState, ProgressReport


def notice_figures(snapshot, cases: QuerySet[Case], progress: Progress) -> dict:
    day, end = snapshot.as_of, day_end(snapshot.as_of)
    notice = ConclusionNotice.objects.select_related("tracking_committee").get(
        pk=snapshot.params["notice"]
    )
    mine = cases.filter(notice=notice)
    rows = (
        _listed(judged_as_of(mine, day))
        .prefetch_related("coordinating_agencies")
        .order_by("recommendation__position", "recommendation_id", "agency__name", "id")
    )
    reports = _latest_per_case(
        ProgressReport.objects.filter(case__in=mine, created_at__lt=end).order_by(
            "-created_at", "-id"
        )
    )
    reviews = _latest_per_case(
        CaseEvent.objects.filter(case__in=mine, kind__in=REVIEW_KINDS, created_at__lt=end).order_by(
            "-created_at", "-id"
        )
    )
    progress(50)
    overall, items = Tally(), []
    for case in rows:
        overall.count(case.result, bool(case.due), case.claim_at, False)
        items.append(
            _item(case, day)
            | {
                "result": case.result,
                "coordinating": [a.name for a in case.coordinating_agencies.all()],
                "outcome": case.outcome_at if case.state_at == CaseState.CLOSED else "",
                "report": _report(reports.get(case.pk)),
                "assessment": _assessment(reviews.get(case.pk)),
            }
        )
    totals = overall.row(reviews=False)
    return {
        "version": RESULTS_VERSION,
        "notice": {
            "id": notice.pk,
            "number": notice.number,
            "issue_date": notice.issue_date.isoformat(),
            "title": notice.title,
            "source_kind": notice.source_kind,
            "committee": notice.tracking_committee.name,
        },
        "totals": {
            key: totals[key]
            for key in ("total", *RESULTS, "due", "due_done_on_time", "on_time_rate")
        },
        "items": items,
    }


def _latest_per_case(rows: QuerySet) -> dict[int, object]:
    latest: dict[int, object] = {}
    for row in rows:
        latest.setdefault(row.case_id, row)
    return latest


def _report(report: ProgressReport | None) -> dict | None:
    if report is None:
        return None
    return {
        "date": local_day(report.created_at).isoformat(),
        "letter_number": report.letter_number,
        "letter_date": _iso(report.letter_date),
        "text": report.text,
        "self_assessment": report.self_assessment,
    }


def _assessment(event: CaseEvent | None) -> dict | None:
    if event is None:
        return None
    return {
        "kind": event.kind.removeprefix("case."),
        "date": local_day(event.created_at).isoformat(),
        "outcome": (event.data or {}).get("outcome", ""),
        "note": event.note,
    }
