"""The notice-intake flow's own process record."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from conclusions.models import ConclusionNotice


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
