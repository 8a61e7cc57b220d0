"""Trực báo (DOMAIN.md "Two levels"; seed 003): on a schedule its province sets, each commune
council's Standing Committee or office reports up. A schedule makes one round per period, and
each round one report per commune council, written by the daily job (briefings/tasks.py), so
nothing depends on someone opening a page. Whether a report is on time, late, not yet sent or
overdue is derived from its round's due date and its submission, never stored."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conclusions.models import Council


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    HALF_YEARLY = "half_yearly", _("6 tháng")
    YEARLY = "yearly", _("Hằng năm")
    ONCE = "once", _("Một lần")


class BriefingSchedule(models.Model):
    """What the province asks of its communes, and how often."""

    council = models.ForeignKey(
        Council,
        models.PROTECT,
        related_name="briefing_schedules",
        verbose_name=_("HĐND cấp tỉnh"),
    )
    title = models.CharField(_("tên"), max_length=300)
    frequency = models.CharField(_("định kỳ"), max_length=16, choices=Frequency.choices)
    starts_on = models.DateField(
        _("từ kỳ bắt đầu ngày"), help_text=_("Kỳ báo cáo đầu tiên là kỳ chứa ngày này")
    )
    ends_on = models.DateField(
        _("đến ngày"),
        null=True,
        blank=True,
        help_text=_("Một lần: ngày cuối của kỳ báo cáo; định kỳ: để trống nếu không hạn"),
    )
    due_working_days = models.PositiveSmallIntegerField(
        _("hạn nộp (số ngày làm việc sau cuối kỳ)"), default=5
    )
    # Empty: every commune council under the province when a round opens.
    communes = models.ManyToManyField(
        Council, blank=True, related_name="+", verbose_name=_("các HĐND xã, phường")
    )
    # Stopped: it opens no new round; the rounds already opened stay. Started again, it asks
    # only for the periods that end from `resumed_on` on, never those that ended while stopped.
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    # Raised by every change: a form sent from an older page is a conflict, never a lost update.
    version = models.PositiveIntegerField(_("phiên bản"), default=0, editable=False)
    resumed_on = models.DateField(_("áp dụng lại từ ngày"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người lập"),
    )
    created_at = models.DateTimeField(_("thời điểm lập"), default=timezone.now)

    class Meta:
        verbose_name = _("Lịch trực báo")
        verbose_name_plural = _("Lịch trực báo")
        ordering = ["council", "title", "id"]

    def __str__(self) -> str:
        return self.title


class BriefingRound(models.Model):
    """One period of a schedule: the reports of its communes are due on `due_on`."""

    schedule = models.ForeignKey(
        BriefingSchedule, models.CASCADE, related_name="rounds", verbose_name=_("lịch trực báo")
    )
    period_start = models.DateField(_("kỳ từ ngày"))
    period_end = models.DateField(_("kỳ đến ngày"))
    due_on = models.DateField(_("hạn nộp"))
    # From this day the communes that have not sent their report are reminded (a few working
    # days before `due_on`, by the province's calendar).
    remind_on = models.DateField(_("nhắc từ ngày"))
    created_at = models.DateTimeField(_("thời điểm mở"), default=timezone.now)

    class Meta:
        verbose_name = _("Kỳ trực báo")
        verbose_name_plural = _("Các kỳ trực báo")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "period_start"], name="briefing_round_once_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} ({self.period_text})"

    @property
    def period_text(self) -> str:
        return f"{self.period_start:%d/%m/%Y} – {self.period_end:%d/%m/%Y}"


class BriefingReport(models.Model):
    """One commune council's report for one round: a draft until it is sent, read-only after."""

    round = models.ForeignKey(
        BriefingRound, models.CASCADE, related_name="reports", verbose_name=_("kỳ trực báo")
    )
    council = models.ForeignKey(
        Council, models.PROTECT, related_name="briefing_reports", verbose_name=_("HĐND xã, phường")
    )
    results = models.TextField(_("kết quả hoạt động"), blank=True)
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    # The commune's figures (reports/queries.py) on the day it sent the report.
    figures = models.JSONField(_("số liệu"), default=dict, blank=True)
    figures_on = models.DateField(_("số liệu tính đến ngày"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("thời điểm gửi"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người gửi"),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)
    # Raised by every change: a form sent from an older page is a conflict, never a lost update.
    version = models.PositiveIntegerField(_("phiên bản"), default=0, editable=False)

    class Meta:
        verbose_name = _("Báo cáo trực báo")
        verbose_name_plural = _("Báo cáo trực báo")
        ordering = ["round", "council__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "council"], name="briefing_report_once"),
        ]
        indexes = [
            # The communes' inboxes: their reports not sent yet.
            models.Index(
                fields=["council", "round"],
                condition=Q(submitted_at__isnull=True),
                name="briefing_report_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council} · {self.round}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Standing(models.TextChoices):
    """Where a report stands against its round's due date (derived, never stored)."""

    ON_TIME = "on_time", _("Đã nộp đúng hạn")
    LATE = "late", _("Nộp muộn")
    PENDING = "pending", _("Chưa nộp")
    OVERDUE = "overdue", _("Quá hạn, chưa nộp")


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Sắp đến hạn nộp")
    OVERDUE = "overdue", _("Quá hạn nộp")


class BriefingReminder(models.Model):
    """One reminder of one kind for one report: the unique pair makes it go out exactly once,
    whatever the number of runs or workers."""

    report = models.ForeignKey(
        BriefingReport, models.CASCADE, related_name="reminders", verbose_name=_("báo cáo")
    )
    kind = models.CharField(_("loại"), max_length=16, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(_("thời điểm nhắc"), default=timezone.now)

    class Meta:
        verbose_name = _("Lượt nhắc trực báo")
        verbose_name_plural = _("Lượt nhắc trực báo")
        constraints = [
            models.UniqueConstraint(fields=["report", "kind"], name="briefing_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.get_kind_display()}"
