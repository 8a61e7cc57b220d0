"""A: results by agency and by committee."""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from conclusions.models import Agency, Committee, Succession
from reports.figures.common import (
    PROGRESS_MIN_ROWS,
    PROGRESS_STEPS,
    RESULTS_VERSION,
    REVIEWED_KINDS,
    Progress,
    ReviewClock,
    Tally,
    _item,
    _listed,
    _no_progress,
    judged_as_of,
)
from reports.history import bodies_as_of, cases_as_of, day_end, local_day, with_urgings
from workflow.definitions import (
    AS_OF,
    URGING_KINDS,
    Result,
    WorkingDayCount,
    is_review_overdue,
    result_q,
    with_report_day,
)
from workflow.models import Case, CaseEvent, EventKind, Extension


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
            "committee_at",
            "agency_at",
            "council_at",
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
        "by_agency": _with_took_over(_rows(Agency, agencies, reviews=False), day),
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
        bodies_as_of(Extension.objects.filter(case__in=scope, requested_at__lt=end), day, "case_id")
        .order_by()
        .values("committee_at", "agency_at")
        .annotate(
            requested=Count("id"),
            approved=Count("id", filter=Q(status=Extension.Status.APPROVED, decided_at__lt=end)),
            rejected=Count("id", filter=Q(status=Extension.Status.REJECTED, decided_at__lt=end)),
        )
    )
    urgings = (
        bodies_as_of(
            CaseEvent.objects.filter(case__in=scope, kind__in=URGING_KINDS, created_at__lt=end),
            day,
            "case_id",
        )
        .order_by()
        .values("committee_at", "agency_at")
        .annotate(n=Count("id"))
    )
    for row in extensions:
        for tally in _tallies(row, overall, committees, agencies):
            tally.add_activity(row, 0)
    for row in urgings:
        for tally in _tallies(row, overall, committees, agencies):
            tally.add_activity(None, row["n"])


def _tallies(row: dict, overall: Tally, committees, agencies) -> Iterable[Tally]:
    return (overall, committees[row["committee_at"]], agencies[row["agency_at"]])


def _add_review_days(cases, day, clock: ReviewClock, overall: Tally, committees) -> None:
    """How many working days each review took, from the report to the closing or the return,
    for the reviews made by the end of `day`."""
    end = day_end(day)
    events = (
        bodies_as_of(
            CaseEvent.objects.filter(
                case__in=cases.filter(opened_at__lt=end).values("pk"),
                kind__in=(EventKind.REPORTED, *REVIEWED_KINDS),
                created_at__lt=end,
            ),
            day,
            "case_id",
        )
        .order_by("case_id", "created_at", "id")
        .values_list("case_id", "committee_at", "council_at", "kind", "created_at")
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


def _with_took_over(rows: list[dict], day: datetime.date) -> list[dict]:
    """Each agency's `took_over`: the agencies merged into it by the end of `day` (name and
    day, in the order they came), for the note "Tiếp nhận từ: …" (one query)."""
    links = (
        Succession.from_agencies.through.objects.filter(
            succession__to_agency_id__in=[row["id"] for row in rows], succession__on__lte=day
        )
        .order_by("succession__on", "agency__name")
        .values_list("succession__to_agency_id", "agency__name", "succession__on")
    )
    took_over: dict[int, list[dict]] = defaultdict(list)
    for agency_id, name, on in links:
        took_over[agency_id].append({"name": name, "on": on.isoformat()})
    return [row | {"took_over": took_over.get(row["id"], [])} for row in rows]


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
