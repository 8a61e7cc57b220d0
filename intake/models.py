"""The notice-intake flow's own process record."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from conclusions.models import ConclusionNotice, Council


class NoticeIntakeProcess(Process):
    """One run of the notice-intake flow (intake/flows.py): register, check, approve, issue."""

    notice = models.OneToOneField(
        ConclusionNotice,
        models.PROTECT,
        related_name="intake_process",
        verbose_name=_("thông báo"),
    )
    approved = models.BooleanField(_("đã phê duyệt"), default=False)
    review_note = models.TextField(_("ý kiến của Thường trực HĐND"), blank=True)

    class Meta:
        verbose_name = _("Tiếp nhận thông báo kết luận")
        verbose_name_plural = _("Tiếp nhận thông báo kết luận")
        # "manage" is the permission viewflow adds for undo/cancel; declared here so the
        # migration does not depend on whether the flow module was imported.
        default_permissions = ("add", "change", "delete", "view", "manage")
        db_table = "workflow_noticeintakeprocess"  # kept from before the move to intake/


class PendingImport(models.Model):
    """A spreadsheet read and waiting for its uploader to confirm it (intake.imports): its
    rows as text, so that the confirmation checks them again against the data of that
    moment. Confirmed once: `confirmed_at` is set in the transaction that writes the rows."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.SlugField(_("loại dữ liệu nhập"), max_length=50)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("người nhập")
    )
    council = models.ForeignKey(Council, models.CASCADE, related_name="+", verbose_name=_("HĐND"))
    filename = models.CharField(_("tên tệp"), max_length=255)
    options = models.JSONField(_("tùy chọn"), default=dict, blank=True)
    rows = models.JSONField(_("các dòng"), default=list, blank=True)
    ignored_headers = models.JSONField(_("cột không dùng"), default=list, blank=True)
    created_at = models.DateTimeField(_("tải lên lúc"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("nhập lúc"), null=True, blank=True)
    summary = models.TextField(_("kết quả"), blank=True)

    class Meta:
        verbose_name = _("Tệp nhập chờ xác nhận")
        verbose_name_plural = _("Tệp nhập chờ xác nhận")
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return self.filename
