"""Deadlines of real cases: the council's calendar, and a recommendation's due date."""

import datetime

from django.db.models import F, Q

from conclusions.models import Recommendation, Sitting
from workflow.calendar import Deadline, Override, WorkingCalendar
from workflow.models import CalendarOverride, Case, CaseState


def calendar_for(council_id: int) -> WorkingCalendar:
    """The national calendar with the nationwide and then the council's own overrides."""
    rows = CalendarOverride.objects.filter(
        Q(council__isnull=True) | Q(council_id=council_id)
    ).order_by(F("council_id").asc(nulls_first=True))
    return WorkingCalendar({row.day: Override(row.is_working_day, row.reason) for row in rows})


def recommendation_deadline(
    recommendation: Recommendation, calendar: WorkingCalendar
) -> Deadline | None:
    """The due date a recommendation sets, counted from its notice's issue date."""
    spec = recommendation.deadline_spec or {}
    start = recommendation.notice.issue_date
    if spec:
        return spec_deadline(spec, start, calendar)
    if recommendation.deadline is not None:
        return calendar.on_date(start, recommendation.deadline)
    return None


def spec_deadline(spec: dict, start: datetime.date, calendar: WorkingCalendar) -> Deadline:
    """The due date of a period (conclusions.deadline_spec) counted from `start`."""
    if "working_days" in spec:
        return calendar.add_working_days(start, spec["working_days"])
    if "calendar_days" in spec:
        return calendar.add_calendar_days(start, spec["calendar_days"])
    if "months" in spec:
        return calendar.add_months(start, spec["months"])
    if "quarter" in spec:
        return calendar.quarter_end(start, spec["year"], spec["quarter"])
    if "month" in spec:
        return calendar.month_end(start, spec["year"], spec["month"])
    sitting = Sitting.objects.get(pk=spec["sitting"])
    lead_days = spec.get("lead_days", 1)
    return calendar.before_sitting(start, sitting.opens_on, sitting.name, lead_days)


def deadline_drift(*, day: datetime.date, council_id: int | None = None, limit: int = 500):
    """Open cases whose deadline would differ if counted again on today's calendar, among
    those whose count could include `day`. Issued deadlines never move by themselves: this
    only shows what a calendar change would do, so that someone decides."""
    cases = (
        Case.objects.exclude(state=CaseState.CLOSED)
        .exclude(deadline_explanation={})
        .filter(notice__issue_date__lte=day, deadline__gte=day - datetime.timedelta(days=10))
        .select_related("notice", "recommendation", "agency")
        .order_by("deadline", "id")
    )
    if council_id is not None:
        cases = cases.filter(council_id=council_id)
    calendars: dict[int, WorkingCalendar] = {}
    changes = []
    for case in cases.iterator(chunk_size=1000):
        calendar = calendars.setdefault(case.council_id, calendar_for(case.council_id))
        counted = calendar.recompute(Deadline.from_json(case.deadline_explanation))
        if counted.due != case.deadline:
            changes.append((case, counted))
            if len(changes) == limit:
                break
    return changes
