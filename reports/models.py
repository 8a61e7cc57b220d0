"""Reports frozen "as of" a day."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conclusions.models import Council
from reports.registry import kind_choices


class ReportSnapshot(models.Model):
    """A report's figures frozen "as of" a day, so that it reopens and prints the same later,
    whatever the cases did since (reports/snapshots.py builds it)."""

    class Kind(models.TextChoices):
        RESULTS = "results", _("Kết quả thực hiện theo cơ quan, theo Ban")
        NOTICE = "notice", _("Kết quả thực hiện một thông báo kết luận")
        WEEKLY = "weekly", _("Đến hạn, quá hạn trong tuần")
        CANDIDATES = "candidates", _("Đề xuất giải trình, chất vấn, tái giám sát (chuẩn bị kỳ họp)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang chờ")
        RUNNING = "running", _("Đang tổng hợp")
        DONE = "done", _("Hoàn thành")
        FAILED = "failed", _("Lỗi")

    council = models.ForeignKey(
        Council, models.PROTECT, related_name="report_snapshots", verbose_name=_("HĐND")
    )
    kind = models.CharField(_("loại báo cáo"), max_length=16, choices=kind_choices)
    # The filters chosen (ids, with their names as they were, for the document's heading).
    params = models.JSONField(_("điều kiện lọc"), default=dict, blank=True)
    as_of = models.DateField(_("số liệu tính đến ngày"))
    figures = models.JSONField(_("số liệu"), default=dict, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    error = models.TextField(_("lỗi"), blank=True)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("người lập")
    )
    created_at = models.DateTimeField(_("thời điểm lập"), default=timezone.now)
    finished_at = models.DateTimeField(_("thời điểm xong"), null=True, blank=True)

    class Meta:
        verbose_name = _("Báo cáo đã lập")
        verbose_name_plural = _("Báo cáo đã lập")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["council", "-created_at"], name="snapshot_council_time"),
            models.Index(fields=["created_by", "-created_at"], name="snapshot_author_time"),
        ]
        db_table = "workflow_reportsnapshot"  # kept from before the move to reports/

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.as_of:%d/%m/%Y}"
