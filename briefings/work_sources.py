"""Trực báo in "Việc của tôi" (workflow/work.py): the reports the user's commune council has
yet to send, by due date."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from briefings.models import BriefingReport
from briefings.selectors import reports_to_write
from workflow.work import WorkItem


class ReportsToSend:
    name = "briefing.report"

    def count(self, user, today: datetime.date) -> int:
        return reports_to_write(user).count()

    def items(self, user, today: datetime.date, limit: int) -> list[WorkItem]:
        rows = (
            reports_to_write(user)
            .select_related("council", "round__schedule__council")
            .order_by("round__due_on", "round__created_at", "id")[:limit]
        )
        return [self._item(report) for report in rows]

    def _item(self, report: BriefingReport) -> WorkItem:
        round_ = report.round
        return WorkItem(
            source=self.name,
            id=report.pk,
            expected=_("Chờ gửi báo cáo trực báo"),
            title=f"{round_.schedule.title} · {round_.period_text}",
            excerpt=str(report.council),
            url=reverse("briefings:report", args=[report.pk]),
            since=round_.created_at,
            deadline=round_.due_on,
            party=str(round_.schedule.council),
        )


SOURCES = [ReportsToSend()]
