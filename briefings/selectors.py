"""Reads for trực báo, with who may see what. A commune council's report is seen and written
by its own Standing Committee and office only; its province's Standing Committee and office
read it (and every round of their schedules); nobody else sees it (404)."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from briefings.models import BriefingReport, BriefingRound, BriefingSchedule, Standing
from conclusions.models import Council
from conclusions.selectors import roles_of


def standing_of(report: BriefingReport, due_on: datetime.date, today: datetime.date) -> str:
    if report.submitted_at is not None:
        sent_on = timezone.localdate(report.submitted_at)
        return Standing.ON_TIME if sent_on <= due_on else Standing.LATE
    return Standing.OVERDUE if today > due_on else Standing.PENDING


def provinces_setting(user) -> QuerySet[Council]:
    """The province councils whose schedules the user sets and reads: their Standing
    Committee or office (every province for an administrator)."""
    provinces = Council.objects.filter(level=Council.Level.PROVINCE, successor__isnull=True)
    roles = roles_of(user)
    if roles.is_admin:
        return provinces.order_by("name")
    return provinces.filter(pk__in=roles.council_ids).order_by("name")


def schedules_visible_to(user) -> QuerySet[BriefingSchedule]:
    roles = roles_of(user)
    schedules = BriefingSchedule.objects.all()
    return schedules if roles.is_admin else schedules.filter(council_id__in=roles.council_ids)


def rounds_visible_to(user) -> QuerySet[BriefingRound]:
    """The rounds of the province's schedules (the province side)."""
    roles = roles_of(user)
    rounds = BriefingRound.objects.all()
    return rounds if roles.is_admin else rounds.filter(schedule__council_id__in=roles.council_ids)


def reports_visible_to(user) -> QuerySet[BriefingReport]:
    """The commune's own reports, and for the province those of its schedules."""
    roles = roles_of(user)
    if roles.is_admin:
        return BriefingReport.objects.all()
    return BriefingReport.objects.filter(
        Q(council_id__in=roles.council_ids) | Q(round__schedule__council_id__in=roles.council_ids)
    )


def reports_to_write(user) -> QuerySet[BriefingReport]:
    """The reports the user's commune council has yet to send ("Việc của tôi")."""
    roles = roles_of(user)
    return BriefingReport.objects.filter(
        council_id__in=roles.council_ids, submitted_at__isnull=True
    )


def may_write(report: BriefingReport, user) -> bool:
    """Only the commune's own Standing Committee or office, and only before it is sent."""
    return report.submitted_at is None and report.council_id in roles_of(user).council_ids


@dataclass
class RoundRow:
    report: BriefingReport
    standing: str

    @property
    def standing_label(self) -> str:
        return Standing(self.standing).label


def round_rows(round_: BriefingRound, today: datetime.date) -> list[RoundRow]:
    """Each commune's report of the round, where it stands and the reminders it was sent:
    two queries for any number."""
    reports = (
        round_.reports.select_related("council", "submitted_by")
        .prefetch_related("reminders")
        .order_by("council__name", "id")
    )
    return [RoundRow(report, standing_of(report, round_.due_on, today)) for report in reports]


def standing_counts(rows: list[RoundRow]) -> dict[str, int]:
    counts = dict.fromkeys(Standing.values, 0)
    for row in rows:
        counts[row.standing] += 1
    return counts
