"""What every report's figures share: the constants, Report A's tally, how a case is
listed, how it is judged as of a day, and when its review fell due."""

import datetime
import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.db.models import BooleanField, ExpressionWrapper, QuerySet

from conclusions.models import Council
from reports.history import cases_as_of, local_day
from workflow.calendar import WorkingCalendar
from workflow.deadlines import calendar_for
from workflow.definitions import (
    AS_OF,
    CLAIMED_DONE,
    VERIFIED_DONE,
    Result,
    due_q,
    on_time_rate,
    result_expression,
    review_due,
    with_report_day,
)
from workflow.models import Case, EventKind

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
        "agency": getattr(case, "agency_name_at", None) or case.agency.name,
        "committee": getattr(case, "committee_name_at", None) or case.committee.name,
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
