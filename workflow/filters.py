"""The filters the case list shares with the dashboard.

Every number on the dashboard is a `Bucket` counted by one grouped aggregate, and the link
under it filters the case list with the very same `bucket_q`, so a number and the list
behind it cannot disagree."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conclusions import rules
from workflow.deadlines import calendar_for
from workflow.definitions import (
    Result,
    due_q,
    overdue_on_q,
    result_q,
    review_overdue_q,
    with_agency_done_on,
    with_report_day,
)
from workflow.models import Case, CaseState, Decision

DUE_SOON_WORKING_DAYS = 7
# From this rung up (default ladder: explanation session, report to the sitting) the
# Standing Committee itself decides what happens next.
DECISION_LEVEL = 7


class Bucket:
    """The dashboard's numbers; each `Result` of workflow/definitions.py is one too."""

    OPEN = "open"
    DUE_SOON = "due_soon"
    CLOSED = "closed"
    DUE = "due"
    DUE_DONE_ON_TIME = "due_done_on_time"
    REVIEW_OVERDUE = "review_overdue"
    EXTENSION_PENDING = "extension_pending"
    HIGH_LEVEL = "high_level"
    DECISION = "decision"

    choices = [
        (OPEN, _("Chưa đóng")),
        (DUE_SOON, _("Sắp đến hạn")),
        *Result.choices,
        (CLOSED, _("Đã đóng")),
        (DUE, _("Đã đến hạn")),
        (DUE_DONE_ON_TIME, _("Đã đến hạn, hoàn thành đúng hạn")),
        (REVIEW_OVERDUE, _("Ban đánh giá quá hạn")),
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


def words_q(words: str) -> Q:
    """Cases whose recommendation or notice holds the words, however they were typed
    (with or without diacritics, capitals, combining marks: conclusions.rules.search_key)."""
    key = rules.search_key(words)
    return Q(recommendation__search_key__contains=key) | Q(notice__search_key__contains=key)


def bucket_q(bucket: str, today: datetime.date, horizon: datetime.date) -> Q:
    """The cases a number counts; the queryset carries `with_report_day` (`judged`)."""
    if bucket in Result.values:
        return result_q(bucket, today)
    open_ = ~Q(state=CaseState.CLOSED)
    pending = Q(extension_undecided=True)
    # Waiting for the Standing Committee: no decision yet, or "keep urging" past its date.
    undecided = Q(decision="") | Q(decision=Decision.KEEP_URGING, decision_until__lt=today)
    high = open_ & Q(escalation_level__gte=DECISION_LEVEL) & undecided
    return {
        Bucket.OPEN: open_,
        Bucket.DUE_SOON: open_ & Q(deadline__gte=today, deadline__lte=horizon),
        Bucket.CLOSED: Q(state=CaseState.CLOSED),
        Bucket.DUE: due_q(today),
        Bucket.DUE_DONE_ON_TIME: due_q(today) & result_q(Result.DONE_ON_TIME, today),
        Bucket.REVIEW_OVERDUE: review_overdue_q(today),
        Bucket.EXTENSION_PENDING: pending,
        Bucket.HIGH_LEVEL: high,
        Bucket.DECISION: pending | high,
    }[bucket]


def judged(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Live cases ready for `bucket_q` and `overdue_on_q` (workflow/definitions.py)."""
    return with_agency_done_on(with_report_day(cases))


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
    if bucket or overdue_on:
        cases = judged(cases)
    if bucket:
        today = today or timezone.localdate()
        cases = cases.filter(bucket_q(bucket, today, due_soon_until(today)))
    if overdue_on:
        cases = cases.filter(overdue_on_q(overdue_on))
    return cases
