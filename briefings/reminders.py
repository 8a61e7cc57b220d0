"""Reminders to the communes that have not sent their report: once a few working days before
the due date (`BriefingRound.remind_on`) and once when it has passed. Who is told: the commune
council's Standing Committee and office, on the channels each chose for trực báo reminders.

Each report gets each kind exactly once, in batches: a batch locks the reports it takes
(`FOR UPDATE SKIP LOCKED`, so two workers never take the same report; the second skips what
the first holds), checks again under the lock which of them have the reminder already (one a
worker committed after this one read the list), and writes the `BriefingReminder` rows
(unique report × kind, the last guard), the alerts and their deliveries in the same
transaction (notifications/alerts.py): about ten queries a batch, not ten a report."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from briefings.models import BriefingReminder, BriefingReport, ReminderKind
from conclusions.models import Membership
from conclusions.selectors import seat_holds_on
from notifications.alerts import AlertInput, alerts_send

KIND = "briefing.reminder"
LABEL = _("Nhắc nộp báo cáo trực báo")
WRITERS = (Membership.Role.STANDING, Membership.Role.OFFICE_CLERK)
BATCH = 500


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Send every reminder due on the day of `now`; returns how many were sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    for kind, due in (
        (ReminderKind.DUE_SOON, Q(round__remind_on__lte=today, round__due_on__gte=today)),
        (ReminderKind.OVERDUE, Q(round__due_on__lt=today)),
    ):
        while True:
            taken, reminded = _remind_batch(due, kind, today, now)
            sent += reminded
            if taken < BATCH:
                break
    return sent


def _remind_batch(due: Q, kind: str, today: datetime.date, now) -> tuple[int, int]:
    """Take up to BATCH reports not reminded of `kind` and remind them: (taken, reminded)."""
    with transaction.atomic():
        taken = list(
            BriefingReport.objects.filter(due, submitted_at__isnull=True)
            .exclude(reminders__kind=kind)
            .order_by("id")
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("id", flat=True)[:BATCH]
        )
        done = BriefingReminder.objects.filter(report_id__in=taken, kind=kind)
        reports = list(
            BriefingReport.objects.filter(pk__in=taken)
            .exclude(pk__in=done.values("report_id"))
            .select_related("council", "round__schedule")
            .order_by("id")
        )
        BriefingReminder.objects.bulk_create(
            [BriefingReminder(report=report, kind=kind, sent_at=now) for report in reports]
        )
        writers = _writers({report.council_id for report in reports}, today)
        alerts_send(
            [
                AlertInput(
                    KIND,
                    _context(report, kind),
                    reverse("briefings:report", args=[report.pk]),
                    tuple(writers[report.council_id]),
                )
                for report in reports
            ],
            now=now,
        )
    return len(taken), len(reports)


def _writers(council_ids: set[int], today: datetime.date) -> dict[int, set[int]]:
    seats = Membership.objects.filter(
        seat_holds_on(today), council_id__in=council_ids, role__in=WRITERS
    ).values_list("council_id", "user_id")
    writers: dict[int, set[int]] = defaultdict(set)
    for council_id, user_id in seats:
        writers[council_id].add(user_id)
    return writers


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
