"""Deadlines of real cases: the council's calendar, and a recommendation's due date."""

from django.db.models import F, Q

from conclusions.models import Recommendation, Sitting
from workflow.calendar import Deadline, Override, WorkingCalendar
from workflow.models import CalendarOverride


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
    start = recommendation.notice.issue_date
    spec = recommendation.deadline_spec or {}
    if "working_days" in spec:
        return calendar.add_working_days(start, spec["working_days"])
    if "calendar_days" in spec:
        return calendar.add_calendar_days(start, spec["calendar_days"])
    if "quarter" in spec:
        return calendar.quarter_end(start, spec["year"], spec["quarter"])
    if "sitting" in spec:
        sitting = Sitting.objects.get(pk=spec["sitting"])
        return calendar.before_sitting(start, sitting.opens_on, sitting.name)
    if recommendation.deadline is not None:
        return calendar.on_date(start, recommendation.deadline)
    return None
