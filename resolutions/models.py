"""The council's resolutions and their evaluations; "Lắng nghe và Trao đổi" episodes and
their hotline questions. What is tracked of them (implementing documents, periodic reports,
questions not answered live) are recommendations of a conclusion notice, so every tracked
unit is one Case of the same engine (DESIGN.md, streams)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conclusions.models import Agency, Committee, ConclusionNotice, Council, Recommendation


class Resolution(models.Model):
    """A resolution (nghị quyết) of the council, as its register lists it."""

    class Kind(models.TextChoices):
        NORMATIVE = "normative", _("Quy phạm pháp luật")
        INDIVIDUAL = "individual", _("Cá biệt")

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("Còn hiệu lực")
        AMENDED = "amended", _("Được sửa đổi, bổ sung")
        REPLACED = "replaced", _("Được thay thế")
        EXPIRED = "expired", _("Hết hiệu lực")

    council = models.ForeignKey(
        Council, models.PROTECT, related_name="resolutions", verbose_name=_("HĐND")
    )
    number = models.CharField(_("số, ký hiệu"), max_length=60, help_text=_("Ví dụ: 16/NQ-HĐND"))
    issue_year = models.PositiveSmallIntegerField(_("năm ban hành"), editable=False)
    adopted_on = models.DateField(_("ngày ban hành"))
    title = models.CharField(_("trích yếu"), max_length=500)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    sector = models.CharField(_("lĩnh vực"), max_length=100)
    lead_agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        related_name="resolutions_led",
        verbose_name=_("cơ quan chủ trì tổ chức thực hiện"),
    )
    committee = models.ForeignKey(
        Committee,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="resolutions",
        verbose_name=_("Ban theo dõi"),
        help_text=_("Ban theo dõi, đôn đốc việc triển khai nghị quyết"),
    )
    in_force_from = models.DateField(_("hiệu lực từ"))
    in_force_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=Status.choices, default=Status.IN_FORCE
    )
    amends = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="amended_by",
        verbose_name=_("sửa đổi, bổ sung nghị quyết"),
    )
    replaces = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("thay thế nghị quyết"),
    )
    # The notice that carries the implementation items (source "theo dõi thực hiện nghị quyết").
    notice = models.OneToOneField(
        ConclusionNotice,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="resolution",
        verbose_name=_("thông báo theo dõi thực hiện"),
    )
    created_at = models.DateTimeField(_("ngày vào sổ"), default=timezone.now)

    class Meta:
        verbose_name = _("Nghị quyết")
        verbose_name_plural = _("Nghị quyết")
        ordering = ["-adopted_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "issue_year", "number"],
                name="resolution_number_unique_per_year",
            ),
        ]
        indexes = [models.Index(fields=["council", "in_force_from"], name="resolution_in_force")]

    def __str__(self) -> str:
        return f"{self.number} ({self.adopted_on:%d/%m/%Y})"


class ImplementationItem(models.Model):
    """What the People's Committee owes for a resolution: an implementing document (plan,
    decision) or a periodic implementation report; tracked as the case of its recommendation."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Văn bản triển khai (kế hoạch, quyết định)")
        REPORT = "report", _("Báo cáo tình hình thực hiện định kỳ")

    resolution = models.ForeignKey(
        Resolution, models.CASCADE, related_name="items", verbose_name=_("nghị quyết")
    )
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    recommendation = models.OneToOneField(
        Recommendation,
        models.PROTECT,
        related_name="resolution_item",
        verbose_name=_("kiến nghị theo dõi"),
    )

    class Meta:
        verbose_name = _("Nội dung triển khai nghị quyết")
        verbose_name_plural = _("Nội dung triển khai nghị quyết")
        ordering = ["resolution", "recommendation__position", "id"]

    def __str__(self) -> str:
        return f"{self.resolution.number} · {self.get_kind_display()}"


class Effect(models.TextChoices):
    CONCRETE = "concrete", _("Có kết quả cụ thể")
    UNCLEAR = "unclear", _("Tác động chưa thấy rõ")
    NONE = "none", _("Chưa tác động")


class Evaluation(models.Model):
    """The effect class of a resolution as of a day, by whom and why. The latest evaluation
    on or before a day is the resolution's class on that day (Report D)."""

    resolution = models.ForeignKey(
        Resolution, models.CASCADE, related_name="evaluations", verbose_name=_("nghị quyết")
    )
    as_of = models.DateField(_("đánh giá tại ngày"))
    effect = models.CharField(_("mức độ tác động"), max_length=16, choices=Effect.choices)
    note = models.TextField(_("lý do, nhận xét"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("người đánh giá")
    )
    created_at = models.DateTimeField(_("thời điểm ghi"), default=timezone.now)

    class Meta:
        verbose_name = _("Đánh giá nghị quyết")
        verbose_name_plural = _("Đánh giá nghị quyết")
        ordering = ["resolution", "-as_of", "-id"]
        indexes = [models.Index(fields=["resolution", "as_of"], name="evaluation_as_of")]

    def __str__(self) -> str:
        return f"{self.resolution.number} · {self.as_of:%d/%m/%Y} · {self.get_effect_display()}"


class Programme(models.Model):
    """One episode of "Lắng nghe và Trao đổi": a date, a topic, the agencies taking part."""

    council = models.ForeignKey(
        Council, models.PROTECT, related_name="programmes", verbose_name=_("HĐND")
    )
    aired_on = models.DateField(_("ngày phát sóng"))
    topic = models.CharField(_("chủ đề"), max_length=500)
    committee = models.ForeignKey(
        Committee,
        models.PROTECT,
        related_name="programmes",
        verbose_name=_("Ban phụ trách"),
        help_text=_("Ban tham mưu chương trình, theo dõi kết luận"),
    )
    agencies = models.ManyToManyField(
        Agency, related_name="programmes", blank=True, verbose_name=_("cơ quan tham gia")
    )
    notice = models.OneToOneField(
        ConclusionNotice,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="programme",
        verbose_name=_("thông báo kết luận"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    created_at = models.DateTimeField(_("ngày tạo"), default=timezone.now)

    class Meta:
        verbose_name = _("Chương trình “Lắng nghe và Trao đổi”")
        verbose_name_plural = _("Chương trình “Lắng nghe và Trao đổi”")
        ordering = ["-aired_on", "-id"]

    def __str__(self) -> str:
        return f"{self.topic} ({self.aired_on:%d/%m/%Y})"


class HotlineQuestion(models.Model):
    """A question called in to the programme's hotline. The caller's name and phone are kept
    only with their consent and shown only to the council's office."""

    programme = models.ForeignKey(
        Programme, models.CASCADE, related_name="questions", verbose_name=_("chương trình")
    )
    received_at = models.DateTimeField(_("thời điểm nhận"))
    locality = models.CharField(_("địa phương"), max_length=200, blank=True)
    text = models.TextField(_("nội dung câu hỏi"))
    answered_live = models.BooleanField(_("đã trả lời trực tiếp"), default=False)
    agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="hotline_questions",
        verbose_name=_("cơ quan trả lời"),
    )
    caller_consent = models.BooleanField(_("người gọi đồng ý lưu thông tin"), default=False)
    caller_name = models.CharField(_("họ tên người gọi"), max_length=200, blank=True)
    caller_phone = models.CharField(_("số điện thoại người gọi"), max_length=20, blank=True)
    recommendation = models.OneToOneField(
        Recommendation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="hotline_question",
        verbose_name=_("kiến nghị trong thông báo kết luận"),
    )

    class Meta:
        verbose_name = _("Câu hỏi đường dây nóng")
        verbose_name_plural = _("Câu hỏi đường dây nóng")
        ordering = ["programme", "received_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="hotline_caller_only_with_consent",
                condition=Q(caller_consent=True) | Q(caller_name="", caller_phone=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.received_at:%H:%M}"
