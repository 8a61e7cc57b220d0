"""The filters the case list shares with the dashboard.

Every number on the dashboard is a `Bucket` counted by one grouped aggregate, and the link
under it filters the case list with the very same `bucket_q`, so a number and the list
behind it cannot disagree."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow.deadlines import calendar_for
from workflow.models import Case, CaseState, Extension

DUE_SOON_WORKING_DAYS = 7
# From this rung up (default ladder: explanation session, report to the sitting) the
# Standing Committee itself decides what happens next.
DECISION_LEVEL = 7


class Bucket:
    OPEN = "open"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    CLOSED = "closed"
    CLOSED_ON_TIME = "closed_on_time"
    CLOSED_LATE = "closed_late"
    EXTENSION_PENDING = "extension_pending"
    HIGH_LEVEL = "high_level"
    DECISION = "decision"

    choices = [
        (OPEN, _("Chưa đóng")),
        (DUE_SOON, _("Sắp đến hạn")),
        (OVERDUE, _("Quá hạn")),
        (CLOSED, _("Đã đóng")),
        (CLOSED_ON_TIME, _("Đóng đúng hạn")),
        (CLOSED_LATE, _("Đóng quá hạn")),
        (DECISION, _("Chờ Thường trực HĐND quyết định")),
        (EXTENSION_PENDING, _("Chờ quyết định gia hạn")),
        (HIGH_LEVEL, _("Đôn đốc từ mức 7")),
    ]
    values = [value for value, _label in choices]


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The first instant of `day` in the council's time zone."""
    return datetime.datetime.combine(day, datetime.time(), tzinfo=ZoneInfo(settings.TIME_ZONE))


def due_soon_until(today: datetime.date) -> datetime.date:
    """The last day counted as "due soon": seven working days ahead on the national calendar
    (with nationwide overrides), the same for every council so that links stay shareable."""
    return calendar_for(None).shift_working_days(today, DUE_SOON_WORKING_DAYS)


def bucket_q(bucket: str, today: datetime.date, horizon: datetime.date) -> Q:
    open_ = ~Q(state=CaseState.CLOSED)
    closed = Q(state=CaseState.CLOSED)
    late = closed & Q(closed_at__date__gt=F("deadline"))
    pending = Q(pk__in=Extension.objects.filter(status=Extension.Status.PENDING).values("case_id"))
    high = open_ & Q(escalation_level__gte=DECISION_LEVEL)
    return {
        Bucket.OPEN: open_,
        Bucket.DUE_SOON: open_ & Q(deadline__gte=today, deadline__lte=horizon),
        Bucket.OVERDUE: open_ & Q(deadline__lt=today),
        Bucket.CLOSED: closed,
        Bucket.CLOSED_ON_TIME: closed
        & (
            Q(deadline__isnull=True)
            | Q(closed_at__isnull=True)
            | Q(closed_at__date__lte=F("deadline"))
        ),
        Bucket.CLOSED_LATE: late,
        Bucket.EXTENSION_PENDING: pending,
        Bucket.HIGH_LEVEL: high,
        Bucket.DECISION: pending | high,
    }[bucket]


def overdue_on_q(day: datetime.date) -> Q:
    """Overdue at the end of `day`, judged on today's deadline and closing date (the chart's
    definition): the deadline had passed and the case was not closed by then."""
    return Q(deadline__lt=day) & (Q(closed_at__isnull=True) | Q(closed_at__date__gt=day))


def filter_cases(
    cases: QuerySet[Case],
    *,
    committee=None,
    agency=None,
    source_kind: str = "",
    period_from: datetime.date | None = None,
    period_to: datetime.date | None = None,
    bucket: str = "",
    overdue_on: datetime.date | None = None,
    today: datetime.date | None = None,
    **_ignored,
) -> QuerySet[Case]:
    """The dashboard's and the case list's filters. The period is when the case was assigned
    (the day it opened), so a past period keeps its cases whatever happened to them since."""
    if committee:
        cases = cases.filter(committee=committee)
    if agency:
        cases = cases.filter(agency=agency)
    if source_kind:
        cases = cases.filter(notice__source_kind=source_kind)
    if period_from:
        cases = cases.filter(opened_at__gte=local_midnight(period_from))
    if period_to:
        cases = cases.filter(opened_at__lt=local_midnight(period_to + datetime.timedelta(days=1)))
    if bucket:
        today = today or timezone.localdate()
        cases = cases.filter(bucket_q(bucket, today, due_soon_until(today)))
    if overdue_on:
        cases = cases.filter(overdue_on_q(overdue_on))
    return cases
