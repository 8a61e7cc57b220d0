"""The figures of each report, computed "as of" a day from the event log
(reports/history.py) and returned as JSON-ready dicts for `ReportSnapshot.figures`:

A. results by agency and by committee, with the appendix of overdue items;
B. one notice, item by item, with the latest report and the committee's assessment;
G. the weekly digest: due in 3/7/15 working days, newly overdue, extensions waiting."""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db.models import Q, QuerySet

from conclusions.models import Agency, Committee, ConclusionNotice
from reports.history import (
    cases_as_of,
    day_end,
    local_day,
    open_at,
    with_reminders,
)
from workflow.deadlines import calendar_for
from workflow.models import (
    Case,
    CaseEvent,
    CaseState,
    EventKind,
    Extension,
    Outcome,
    ProgressReport,
)

WEEKLY_HORIZONS = (3, 7, 15)  # working days
NEWLY_OVERDUE_DAYS = 7
# Progress is written at most PROGRESS_STEPS times, and never for fewer rows than this.
PROGRESS_STEPS, PROGRESS_MIN_ROWS = 20, 2000
REVIEW_KINDS = (EventKind.CLOSED, EventKind.RETURNED, EventKind.REOPENED)

# Report A's columns: where a case stands as of the day.
OUTCOME_COLUMN = {
    Outcome.IMPLEMENTED: "done",
    Outcome.PARTIALLY: "done",
    Outcome.EXPLAINED: "explained",
    Outcome.ROADMAP: "explained",
    Outcome.FORWARDED: "forwarded",
    Outcome.NOT_IMPLEMENTED: "not_implemented",
}

Progress = Callable[[int], None]


@dataclass
class Tally:
    """Report A's figures for one agency, one committee, or all."""

    total: int = 0
    done: int = 0
    partially: int = 0  # of `done`
    on_time: int = 0  # in progress, within the deadline in force
    overdue: int = 0  # in progress, past the deadline in force
    not_implemented: int = 0
    explained: int = 0  # explained, or on a roadmap
    forwarded: int = 0
    closed: int = 0
    closed_on_time: int = 0

    def count(self, column: str, outcome: str, closed_on_time: bool | None) -> None:
        self.total += 1
        setattr(self, column, getattr(self, column) + 1)
        self.partially += outcome == Outcome.PARTIALLY and column == "done"
        if closed_on_time is not None:
            self.closed += 1
            self.closed_on_time += closed_on_time


def column_of(state: str, outcome: str, deadline: datetime.date | None, day: datetime.date) -> str:
    if state == CaseState.CLOSED:
        return OUTCOME_COLUMN.get(outcome, "not_implemented")
    return "overdue" if deadline is not None and deadline < day else "on_time"


def closed_in_time(closed_at, closing_deadline: datetime.date | None) -> bool:
    closed_on = local_day(closed_at)
    return closing_deadline is None or closed_on is None or closed_on <= closing_deadline


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _item(case: Case, day: datetime.date) -> dict:
    """A case as a report lists it, frozen as of `day`."""
    return {
        "case": case.pk,
        "notice": case.notice.number,
        "anchor": case.recommendation.anchor,
        "text": case.recommendation.text,
        "agency": case.agency.name,
        "committee": case.committee.name,
        "deadline": _iso(case.deadline_at),
        "original_deadline": _iso(case.original_deadline),
        "state": case.state_at,
    }


def _listed(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related("notice", "recommendation", "agency", "committee")


# --- A: results by agency and by committee


def results_figures(snapshot, cases: QuerySet[Case], progress: Progress) -> dict:
    day = snapshot.as_of
    total = cases.filter(opened_at__lt=day_end(day)).count()
    rows = (
        cases_as_of(cases, day)
        .order_by()
        .values_list(
            "committee_id",
            "agency_id",
            "state_at",
            "outcome_at",
            "deadline_at",
            "closed_at_d",
            "closing_deadline",
        )
    )
    overall = Tally()
    committees: dict[int, Tally] = defaultdict(Tally)
    agencies: dict[int, Tally] = defaultdict(Tally)
    step = max(PROGRESS_MIN_ROWS, total // PROGRESS_STEPS)
    for seen, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        committee_id, agency_id, state, outcome, deadline, closed_at, closing_deadline = row
        column = column_of(state, outcome, deadline, day)
        on_time = closed_in_time(closed_at, closing_deadline) if state == CaseState.CLOSED else None
        for tally in (overall, committees[committee_id], agencies[agency_id]):
            tally.count(column, outcome, on_time)
        if seen % step == 0:
            progress(90 * seen // max(total, 1))
    overdue = _listed(with_reminders(open_at(cases_as_of(cases, day)), day)).filter(
        deadline_at__lt=day
    )
    appendix = [
        _item(case, day)
        | {"days_overdue": (day - case.deadline_at).days, "reminders": case.reminders}
        for case in overdue.order_by(
            "deadline_at", "notice__number", "recommendation__position", "id"
        )
    ]
    return {
        "totals": asdict(overall),
        "by_agency": _rows(Agency, agencies),
        "by_committee": _rows(Committee, committees),
        "overdue": appendix,
    }


def _rows(model, tallies: dict[int, Tally]) -> list[dict]:
    names = dict(model.objects.filter(pk__in=list(tallies)).values_list("pk", "name"))
    rows = [{"id": pk, "name": names.get(pk, "")} | asdict(t) for pk, t in tallies.items()]
    return sorted(rows, key=lambda row: row["name"])


# --- B: one notice, item by item


def notice_figures(snapshot, cases: QuerySet[Case], progress: Progress) -> dict:
    day, end = snapshot.as_of, day_end(snapshot.as_of)
    notice = ConclusionNotice.objects.select_related("tracking_committee").get(
        pk=snapshot.params["notice"]
    )
    mine = cases.filter(notice=notice)
    rows = (
        _listed(cases_as_of(mine, day))
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
        on_time = (
            closed_in_time(case.closed_at_d, case.closing_deadline)
            if case.state_at == CaseState.CLOSED
            else None
        )
        column = column_of(case.state_at, case.outcome_at, case.deadline_at, day)
        overall.count(column, case.outcome_at, on_time)
        items.append(
            _item(case, day)
            | {
                "coordinating": [a.name for a in case.coordinating_agencies.all()],
                "outcome": case.outcome_at if case.state_at == CaseState.CLOSED else "",
                "report": _report(reports.get(case.pk)),
                "assessment": _assessment(reviews.get(case.pk)),
            }
        )
    return {
        "notice": {
            "id": notice.pk,
            "number": notice.number,
            "issue_date": notice.issue_date.isoformat(),
            "title": notice.title,
            "source_kind": notice.source_kind,
            "committee": notice.tracking_committee.name,
        },
        "totals": asdict(overall),
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


# --- G: the weekly digest


def weekly_figures(snapshot, cases: QuerySet[Case], progress: Progress) -> dict:
    day, end = snapshot.as_of, day_end(snapshot.as_of)
    calendar = calendar_for(snapshot.council_id)
    horizons = {n: calendar.shift_working_days(day, n) for n in WEEKLY_HORIZONS}
    since = day - datetime.timedelta(days=NEWLY_OVERDUE_DAYS)
    rows = _listed(open_at(cases_as_of(cases, day))).filter(
        deadline_at__gte=since, deadline_at__lte=horizons[WEEKLY_HORIZONS[-1]]
    )
    groups: dict[str, list[dict]] = {"newly_overdue": []} | {
        f"due_{n}": [] for n in WEEKLY_HORIZONS
    }
    for case in rows.order_by("deadline_at", "notice__number", "recommendation__position", "id"):
        groups[_weekly_group(case.deadline_at, day, horizons)].append(_item(case, day))
    progress(60)
    waiting = (
        Extension.objects.filter(case__in=cases, requested_at__lt=end)
        .filter(Q(decided_at__isnull=True) | Q(decided_at__gte=end))
        .select_related("case__notice", "case__recommendation", "case__agency")
        .order_by("requested_at", "id")
    )
    return {
        "horizons": {str(n): d.isoformat() for n, d in horizons.items()},
        "since": since.isoformat(),
        **groups,
        "extensions": [_waiting(extension) for extension in waiting],
    }


def _weekly_group(deadline: datetime.date, day: datetime.date, horizons) -> str:
    if deadline < day:
        return "newly_overdue"
    return next(f"due_{n}" for n in WEEKLY_HORIZONS if deadline <= horizons[n])


def _waiting(extension: Extension) -> dict:
    case = extension.case
    return {
        "case": case.pk,
        "notice": case.notice.number,
        "anchor": case.recommendation.anchor,
        "agency": case.agency.name,
        "requested_at": local_day(extension.requested_at).isoformat(),
        "deadline": _iso(extension.deadline_at_request),
        "requested_until": extension.requested_until.isoformat(),
        "reason": extension.reason,
    }


BUILDERS: dict[str, Callable[..., dict]] = {
    "results": results_figures,
    "notice": notice_figures,
    "weekly": weekly_figures,
}
