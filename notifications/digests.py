"""Daily and weekly digests: cases due in 15, 7 and 3 working days, newly overdue cases and
extensions waiting for a decision, from the selectors the reports use.

A digest is stored with its content and one email delivery, so the outbox sends, retries and
dead-letters it like any message. The unique (user, period) row makes a second run for the
same day or week write nothing: nobody gets the same digest twice."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.models import Channel, Delivery, Digest, DigestFrequency, NotificationSettings
from workflow.models import Case
from workflow.selectors import (
    cases_due_within,
    cases_newly_overdue,
    extensions_awaiting_decision,
)

DUE_WINDOWS = (3, 7, 15)  # working days; each case is listed under the nearest window
LIST_LIMIT = 50  # cases listed per section; the count says how many there are in all


@dataclass(frozen=True)
class Period:
    frequency: str
    key: str  # "2026-06-10" or "2026-W24"
    since: datetime.date  # first day whose newly overdue cases this digest reports


def period_of(frequency: str, today: datetime.date) -> Period:
    if frequency == DigestFrequency.WEEKLY:
        year, week, _ = today.isocalendar()
        return Period(frequency, f"{year}-W{week:02d}", today - datetime.timedelta(days=6))
    return Period(frequency, today.isoformat(), today)


def digests_create(*, now: datetime.datetime | None = None) -> int:
    """Write today's (or this week's) digest for everyone who asked for one and has not had
    it yet; nothing before DONDOC_DIGEST_HOUR. Returns how many digests were written."""
    now = timezone.localtime(now or timezone.now())
    if now.hour < settings.DONDOC_DIGEST_HOUR:
        return 0
    subscribers = NotificationSettings.objects.filter(
        user__is_active=True,
        digest__in=[DigestFrequency.DAILY, DigestFrequency.WEEKLY],
    ).select_related("user")
    written = 0
    for choice in subscribers:
        period = period_of(choice.digest, now.date())
        if not Digest.objects.filter(user=choice.user, period=period.key).exists():
            written += digest_create(user=choice.user, period=period, today=now.date(), now=now)
    return written


def digest_create(*, user, period: Period, today: datetime.date, now: datetime.datetime) -> int:
    """One digest and its email, or nothing if there is nothing to tell or it exists."""
    content = digest_content(user, today=today, since=period.since)
    if not (content["due_count"] or content["overdue_count"] or content["extensions_count"]):
        return 0
    if period.frequency == DigestFrequency.WEEKLY:
        content["week"] = period.key
    try:
        with transaction.atomic():
            digest = Digest.objects.create(
                user=user, frequency=period.frequency, period=period.key, content=content
            )
            Delivery.objects.create(
                digest=digest, recipient=user, channel=Channel.EMAIL, next_attempt_at=now
            )
    except IntegrityError:  # another run wrote it first
        return 0
    return 1


def digest_content(user, *, today: datetime.date, since: datetime.date) -> dict:
    due, seen = [], set()
    due_count = 0
    for days in DUE_WINDOWS:
        cases = cases_due_within(user, today=today, working_days=days).exclude(pk__in=seen)
        rows = list(_listed(cases)[:LIST_LIMIT])
        due_count += _count(cases, rows)
        seen |= {case.pk for case in rows}
        due += [_case(case, within=days) for case in rows]
    overdue = cases_newly_overdue(user, since=since, today=today)
    overdue_rows = list(_listed(overdue)[:LIST_LIMIT])
    waiting = extensions_awaiting_decision(user).select_related(
        "case__notice", "case__recommendation", "case__agency"
    )
    waiting_rows = list(waiting[:LIST_LIMIT])
    return {
        "day": today.isoformat(),
        "due": due[:LIST_LIMIT],
        "due_count": due_count,
        "overdue": [_case(case) for case in overdue_rows],
        "overdue_count": _count(overdue, overdue_rows),
        "extensions": [_extension(e) for e in waiting_rows],
        "extensions_count": _count(waiting, waiting_rows),
    }


def _listed(cases):
    return cases.select_related("notice", "recommendation", "agency").order_by("deadline", "id")


def _count(queryset, rows: list) -> int:
    return queryset.count() if len(rows) == LIST_LIMIT else len(rows)


def _case(case: Case, within: int | None = None) -> dict:
    return {
        "case_id": case.pk,
        "notice": case.notice.number,
        "anchor": case.recommendation.anchor,
        "agency": case.agency.name,
        "deadline": case.deadline.isoformat() if case.deadline else None,
        "within": within,
    }


def _extension(extension) -> dict:
    return _case(extension.case) | {
        "until": extension.requested_until.isoformat(),
        "reason": extension.reason[:300],
    }
