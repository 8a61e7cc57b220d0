"""Reminders to the communes that have not sent their report: once a few working days before
the due date (`BriefingRound.remind_on`) and once when it has passed. Each report gets each
kind exactly once: the `BriefingReminder` row (unique report × kind) is written in the same
transaction as the alert and its deliveries (notifications/alerts.py), so a rerun, or a second
worker racing this one, finds it there (or waits on its insert and then fails it) and writes
nothing. Who is told: the commune council's Standing Committee and office, on the channels
each of them chose for trực báo reminders."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from briefings.models import BriefingReminder, BriefingReport, ReminderKind
from conclusions.models import Membership
from conclusions.selectors import seat_holds_on
from notifications.alerts import alert_send

KIND = "briefing.reminder"
LABEL = _("Nhắc nộp báo cáo trực báo")
WRITERS = (Membership.Role.STANDING, Membership.Role.OFFICE_CLERK)


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Send every reminder due on the day of `now`; returns how many were sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    for kind, due in (
        (ReminderKind.DUE_SOON, Q(round__remind_on__lte=today, round__due_on__gte=today)),
        (ReminderKind.OVERDUE, Q(round__due_on__lt=today)),
    ):
        for report in _unreminded(due, kind):
            sent += _remind(report, kind, today, now)
    return sent


def _unreminded(due: Q, kind: str) -> QuerySet[BriefingReport]:
    return (
        BriefingReport.objects.filter(due, submitted_at__isnull=True)
        .exclude(reminders__kind=kind)
        .select_related("council", "round__schedule")
        .order_by("round__due_on", "id")
    )


def _remind(report: BriefingReport, kind: str, today: datetime.date, now) -> int:
    try:
        with transaction.atomic():
            BriefingReminder.objects.create(report=report, kind=kind, sent_at=now)
            alert_send(
                kind=KIND,
                context=_context(report, kind),
                link=reverse("briefings:report", args=[report.pk]),
                user_ids=_writers(report.council_id, today),
                now=now,
            )
    except IntegrityError:  # another run reminded it first
        return 0
    return 1


def _writers(council_id: int, today: datetime.date) -> list[int]:
    seats = Membership.objects.filter(seat_holds_on(today), council_id=council_id, role__in=WRITERS)
    return sorted(set(seats.values_list("user_id", flat=True)))


def _context(report: BriefingReport, kind: str) -> dict:
    round_ = report.round
    return {
        "reminder": kind,
        "council": report.council.name,
        "title": round_.schedule.title,
        "period_start_on": round_.period_start.isoformat(),
        "period_end_on": round_.period_end.isoformat(),
        "due_on": round_.due_on.isoformat(),
    }
