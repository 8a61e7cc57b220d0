"""The figures of each report, computed "as of" a day from the event log
(reports/history.py) and returned as JSON-ready dicts for `ReportSnapshot.figures`:

A. results by agency and by committee, with the appendix of overdue items (also the API's
   `GET /api/v1/reports/results/`, through the same `results_as_of`);
B. one notice, item by item, with the latest report and the committee's assessment;
G. the weekly digest: due in 3/7/15 working days, newly overdue, extensions waiting;
F. the candidates for questioning, explanation or re-supervision (reports/candidates.py).

Every case is counted by the rules of workflow/definitions.py, the ones the dashboard uses."""

import datetime
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from conclusions.models import Agency, Committee, ConclusionNotice, Council
from reports.candidates import candidates_figures
from reports.history import (
    cases_as_of,
    day_end,
    local_day,
    with_urgings,
)
from workflow.calendar import WorkingCalendar
from workflow.deadlines import calendar_for
from workflow.definitions import (
    AGENCY_TURN,
    AS_OF,
    CLAIMED_DONE,
    URGING_KINDS,
    VERIFIED_DONE,
    Result,
    WorkingDayCount,
    due_q,
    is_review_overdue,
    on_time_rate,
    result_expression,
    result_q,
    review_due,
    with_report_day,
)
from workflow.models import (
    Case,
    CaseEvent,
    CaseState,
    EventKind,
    Extension,
    ProgressReport,
)

# The shape of the figures Report A stores; snapshots made before it have no "version" and
# the columns of the first definitions (reports/documents/results.py shows them as they were).
RESULTS_VERSION = 2
WEEKLY_HORIZONS = (3, 7, 15)  # working days
NEWLY_OVERDUE_DAYS = 7
# Progress is written at most PROGRESS_STEPS times, and never for fewer rows than this.
PROGRESS_STEPS, PROGRESS_MIN_ROWS = 20, 2000
REVIEW_KINDS = (EventKind.CLOSED, EventKind.RETURNED, EventKind.REOPENED)
REVIEWED_KINDS = (EventKind.CLOSED, EventKind.RETURNED)  # what stops the review clock
RESULTS = tuple(Result.values)

Progress = Callable[[int], None]


def _no_progress(percent: int) -> None:
    pass


@dataclass
class Tally:
    """Report A's figures for one agency, one committee, or all."""

    total: int = 0
    done_on_time: int = 0
    done_late: int = 0
    partially: int = 0
    in_progress: int = 0
    in_progress_overdue: int = 0
    awaiting_review: int = 0
    not_implemented: int = 0
    explained_or_roadmap: int = 0
    forwarded: int = 0
    due: int = 0  # the deadline in force had passed by the day: the rate's denominator
    due_done_on_time: int = 0  # of those, done on time: the rate's numerator
    claimed_done: int = 0
    verified_done: int = 0
    extensions_requested: int = 0
    extensions_approved: int = 0
    extensions_rejected: int = 0
    urgings: int = 0
    reviews_waiting: int = 0
    reviews_overdue: int = 0
    review_days: list[int] = field(default_factory=list)

    def count(self, result: str, due: bool, claim: str, review_overdue: bool) -> None:
        self.total += 1
        setattr(self, result, getattr(self, result) + 1)
        self.due += due
        self.due_done_on_time += due and result == Result.DONE_ON_TIME
        self.claimed_done += claim == CLAIMED_DONE
        self.verified_done += result in VERIFIED_DONE
        self.reviews_waiting += result == Result.AWAITING_REVIEW
        self.reviews_overdue += review_overdue

    def add_activity(self, extensions: dict | None, urgings: int) -> None:
        for name in ("requested", "approved", "rejected"):
            key = f"extensions_{name}"
            setattr(self, key, getattr(self, key) + (extensions or {}).get(name, 0))
        self.urgings += urgings

    def row(self, *, reviews: bool) -> dict:
        row = asdict(self)
        del row["review_days"]
        row["on_time_rate"] = on_time_rate(self.due_done_on_time, self.due)
        if reviews:
            days = self.review_days
            row["median_review_days"] = statistics.median(days) if days else None
        else:
            for name in ("reviews_waiting", "reviews_overdue"):
                del row[name]
        return row


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


def judged_as_of(cases: QuerySet[Case], day: datetime.date) -> QuerySet[Case]:
    """The cases open by the end of `day`, each with its `result` and whether it was `due`,
    by the rules of workflow/definitions.py over the figures as of that day."""
    return with_report_day(cases_as_of(cases, day), AS_OF).annotate(
        result=result_expression(day, AS_OF),
        due=ExpressionWrapper(due_q(day, AS_OF), output_field=BooleanField()),
    )


class ReviewClock:
    """When the committee should have reviewed a report: the day the report's event recorded,
    else (reports sent before it was recorded) counted now on the council's calendar."""

    def __init__(self) -> None:
        self.calendars: dict[int, WorkingCalendar] = {}
        self.days: dict[int, int] = {}

    def calendar(self, council_id: int) -> WorkingCalendar:
        if council_id not in self.calendars:
            self.calendars[council_id] = calendar_for(council_id)
        return self.calendars[council_id]

    def due(self, council_id: int, recorded: str | None, reported_at) -> datetime.date | None:
        if recorded:
            return datetime.date.fromisoformat(recorded)
        if reported_at is None:
            return None
        if council_id not in self.days:
            self.days[council_id] = Council.objects.get(pk=council_id).review_working_days
        return review_due(self.calendar(council_id), local_day(reported_at), self.days[council_id])


# --- A: results by agency and by committee


def results_figures(snapshot, cases: QuerySet[Case], progress: Progress) -> dict:
    return {"version": RESULTS_VERSION} | results_as_of(
        cases, snapshot.as_of, progress=progress, appendix=True
    )


def results_as_of(
    cases: QuerySet[Case],
    day: datetime.date,
    *,
    progress: Progress = _no_progress,
    appendix: bool = False,
) -> dict:
    """Report A's figures over `cases` (already scoped and filtered) as of `day`: totals, a row
    per agency and per committee, and, if asked, the overdue items."""
    total = cases.filter(opened_at__lt=day_end(day)).count()
    rows = (
        judged_as_of(cases, day)
        .order_by()
        .values_list(
            "committee_id",
            "agency_id",
            "council_id",
            "result",
            "due",
            "claim_at",
            "reported_at_d",
            "review_due_at",
        )
    )
    overall = Tally()
    committees: dict[int, Tally] = defaultdict(Tally)
    agencies: dict[int, Tally] = defaultdict(Tally)
    clock = ReviewClock()
    step = max(PROGRESS_MIN_ROWS, total // PROGRESS_STEPS)
    for seen, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        committee_id, agency_id, council_id, result, due, claim, reported_at, recorded = row
        late = result == Result.AWAITING_REVIEW and is_review_overdue(
            clock.due(council_id, recorded, reported_at), day
        )
        for tally in (overall, committees[committee_id], agencies[agency_id]):
            tally.count(result, bool(due), claim, late)
        if seen % step == 0:
            progress(80 * seen // max(total, 1))
    _add_activity(cases, day, overall, committees, agencies)
    _add_review_days(cases, day, clock, overall, committees)
    progress(90)
    figures = {
        "as_of": day.isoformat(),
        "totals": overall.row(reviews=True),
        "by_agency": _rows(Agency, agencies, reviews=False),
        "by_committee": _rows(Committee, committees, reviews=True),
    }
    if appendix:
        figures["overdue"] = _overdue_items(cases, day)
    return figures


def _add_activity(cases, day, overall: Tally, committees, agencies) -> None:
    """Extensions asked and decided, and urging steps received, by the end of `day`."""
    end = day_end(day)
    scope = cases.filter(opened_at__lt=end).values("pk")
    extensions = (
        Extension.objects.filter(case__in=scope, requested_at__lt=end)
        .order_by()
        .values("case__committee_id", "case__agency_id")
        .annotate(
            requested=Count("id"),
            approved=Count("id", filter=Q(status=Extension.Status.APPROVED, decided_at__lt=end)),
            rejected=Count("id", filter=Q(status=Extension.Status.REJECTED, decided_at__lt=end)),
        )
    )
    urgings = (
        CaseEvent.objects.filter(case__in=scope, kind__in=URGING_KINDS, created_at__lt=end)
        .order_by()
        .values("case__committee_id", "case__agency_id")
        .annotate(n=Count("id"))
    )
    for row in extensions:
        for tally in _tallies(row, overall, committees, agencies):
            tally.add_activity(row, 0)
    for row in urgings:
        for tally in _tallies(row, overall, committees, agencies):
            tally.add_activity(None, row["n"])


def _tallies(row: dict, overall: Tally, committees, agencies) -> Iterable[Tally]:
    return (overall, committees[row["case__committee_id"]], agencies[row["case__agency_id"]])


def _add_review_days(cases, day, clock: ReviewClock, overall: Tally, committees) -> None:
    """How many working days each review took, from the report to the closing or the return,
    for the reviews made by the end of `day`."""
    end = day_end(day)
    events = (
        CaseEvent.objects.filter(
            case__in=cases.filter(opened_at__lt=end).values("pk"),
            kind__in=(EventKind.REPORTED, *REVIEWED_KINDS),
            created_at__lt=end,
        )
        .order_by("case_id", "created_at", "id")
        .values_list("case_id", "case__committee_id", "case__council_id", "kind", "created_at")
    )
    reported: dict[int, datetime.date] = {}
    reviews: dict[int, list[tuple[int, datetime.date, datetime.date]]] = defaultdict(list)
    for case_id, committee_id, council_id, kind, created_at in events.iterator(chunk_size=5000):
        if kind == EventKind.REPORTED:
            reported[case_id] = local_day(created_at)
        elif case_id in reported:
            reviews[council_id].append((committee_id, reported.pop(case_id), local_day(created_at)))
    for council_id, done in reviews.items():
        first = min(start for _c, start, _e in done)
        count = WorkingDayCount(clock.calendar(council_id), first, day)
        for committee_id, start, stop in done:
            days = count.between(start, stop)
            overall.review_days.append(days)
            committees[committee_id].review_days.append(days)


def _rows(model, tallies: dict[int, Tally], *, reviews: bool) -> list[dict]:
    bodies = model.objects.filter(pk__in=list(tallies)).values_list("pk", "code", "name")
    names = {pk: (code, name) for pk, code, name in bodies}
    rows = [
        {"id": pk, "code": names.get(pk, ("", ""))[0], "name": names.get(pk, ("", ""))[1]}
        | tally.row(reviews=reviews)
        for pk, tally in tallies.items()
        if tally.total  # a body with activity on cases opened later is not a row
    ]
    return sorted(rows, key=lambda row: row["name"])


def _overdue_items(cases: QuerySet[Case], day: datetime.date) -> list[dict]:
    """The appendix: cases in progress past their deadline, with every urging they had."""
    overdue = _listed(
        with_urgings(
            with_report_day(cases_as_of(cases, day), AS_OF).filter(
                result_q(Result.IN_PROGRESS_OVERDUE, day, AS_OF)
            ),
            day,
        )
    )
    return [
        _item(case, day)
        | {
            "days_overdue": (day - case.deadline_at).days,
            "reminders": case.reminders,
            "urgings": case.urgings,
        }
        for case in overdue.order_by(
            "deadline_at", "notice__number", "recommendation__position", "id"
        )
    ]


# --- B: one notice, item by item


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


# --- G: the weekly digest


def weekly_figures(snapshot, cases: QuerySet[Case], progress: Progress) -> dict:
    day, end = snapshot.as_of, day_end(snapshot.as_of)
    calendar = calendar_for(snapshot.council_id)
    horizons = {n: calendar.shift_working_days(day, n) for n in WEEKLY_HORIZONS}
    since = day - datetime.timedelta(days=NEWLY_OVERDUE_DAYS)
    # The agency's turn only: a report waiting for review is on the committee's clock.
    rows = _listed(cases_as_of(cases, day)).filter(
        state_at__in=AGENCY_TURN,
        deadline_at__gte=since,
        deadline_at__lte=horizons[WEEKLY_HORIZONS[-1]],
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
    "candidates": candidates_figures,
}
