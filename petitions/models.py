"""Voter petitions (kiến nghị cử tri): a round per council sitting, the meetings with voters it
came from, and each petition. A petition the province must answer is routed: it becomes one
item of its round's carrier notice, so each petition × lead agency is an ordinary Case."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from conclusions.deadline_spec import describe_deadline_spec
from conclusions.models import Committee, ConclusionNotice, Council, Recommendation, Sitting


class Competence(models.TextChoices):
    COMMUNE = "commune", _("Cấp xã")
    PROVINCE = "province", _("Cấp tỉnh")
    CENTRAL = "central", _("Trung ương")


class ForwardReason(models.TextChoices):
    """Why a commune petition was recorded as forwarded instead of opened as a case in the
    commune's own council (petitions/communes.py)."""

    NO_COUNCIL = "no_council", _("Không tìm thấy HĐND cấp xã của địa phương này trên Đôn đốc")
    AMBIGUOUS = "ambiguous", _("Tên địa phương ứng với nhiều HĐND cấp xã")
    NOT_ON_DONDOC = "not_on_dondoc", _("HĐND cấp xã chưa sử dụng Đôn đốc")


class PetitionRound(models.Model):
    """ "Kiến nghị cử tri gửi đến Kỳ họp thứ 7": the petitions compiled before one sitting."""

    council = models.ForeignKey(
        Council, models.PROTECT, related_name="petition_rounds", verbose_name=_("HĐND")
    )
    sitting_name = models.CharField(_("kỳ họp"), max_length=200)
    sitting = models.ForeignKey(
        Sitting,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="petition_rounds",
        verbose_name=_("kỳ họp (lịch kỳ họp)"),
    )
    # The council's own rule for the answers: {"date": "YYYY-MM-DD"}, {"working_days": N} or
    # {"calendar_days": N}, counted from `opened_on` (conclusions.deadline_spec).
    answer_deadline = models.JSONField(_("thời hạn trả lời"), default=dict)
    opened_on = models.DateField(_("ngày tổng hợp, chuyển kiến nghị"))
    # The notice that carries the round's routed petitions as its items (one per petition).
    notice = models.OneToOneField(
        ConclusionNotice,
        models.PROTECT,
        related_name="petition_round",
        verbose_name=_("văn bản chuyển kiến nghị"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    class Meta:
        verbose_name = _("Đợt kiến nghị cử tri")
        verbose_name_plural = _("Đợt kiến nghị cử tri")
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return str(_("Kiến nghị cử tri gửi đến %(sitting)s") % {"sitting": self.sitting_name})

    @property
    def answer_deadline_text(self) -> str:
        spec = dict(self.answer_deadline)
        if "date" in spec:
            day = spec["date"]
            return f"{day[8:10]}/{day[5:7]}/{day[:4]}"
        return describe_deadline_spec(spec) if spec else ""


class VoterMeeting(models.Model):
    """A meeting of deputies with voters (tiếp xúc cử tri) a round's petitions came from."""

    round = models.ForeignKey(
        PetitionRound, models.CASCADE, related_name="meetings", verbose_name=_("đợt")
    )
    held_on = models.DateField(_("ngày tiếp xúc"))
    place = models.CharField(_("địa điểm"), max_length=200)
    deputies_group = models.CharField(_("Tổ đại biểu"), max_length=200)

    class Meta:
        verbose_name = _("Buổi tiếp xúc cử tri")
        verbose_name_plural = _("Buổi tiếp xúc cử tri")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.held_on:%d/%m/%Y} · {self.place} · {self.deputies_group}"


class Petition(models.Model):
    round = models.ForeignKey(
        PetitionRound, models.PROTECT, related_name="petitions", verbose_name=_("đợt")
    )
    # The round's council again, so that the search for repeats reads one table.
    council = models.ForeignKey(Council, models.PROTECT, related_name="+", editable=False)
    number = models.PositiveIntegerField(_("số thứ tự"))
    text = models.TextField(_("nội dung kiến nghị"))
    locality = models.CharField(_("địa phương (xã, phường)"), max_length=200)
    field = models.CharField(_("lĩnh vực"), max_length=200, blank=True)
    committee = models.ForeignKey(
        Committee, models.PROTECT, related_name="petitions", verbose_name=_("Ban theo dõi")
    )
    competence = models.CharField(_("thẩm quyền"), max_length=16, choices=Competence.choices)
    meetings = models.ManyToManyField(
        VoterMeeting, related_name="petitions", blank=True, verbose_name=_("nêu tại buổi")
    )
    # What is asked, without places and formulas (petitions/text.py), and the commune as a key.
    subject = models.TextField(editable=False, default="")
    locality_key = models.CharField(max_length=200, editable=False, default="")
    repeat_of = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="repeats",
        verbose_name=_("kiến nghị lần đầu"),
    )
    # Suggestions the clerk said were not the same petition: never suggested again.
    not_repeats = models.JSONField(default=list, blank=True, editable=False)
    recommendation = models.OneToOneField(
        Recommendation,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="petition",
        verbose_name=_("mục trong văn bản chuyển"),
    )
    # A commune petition: the commune council its locality names, when exactly one does; the
    # petition is an item of that council's notice for the round (CommuneTransfer) if it uses
    # Đôn đốc, otherwise forwarded with the reason.
    commune_council = models.ForeignKey(
        Council,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("HĐND cấp xã"),
    )
    forward_reason = models.CharField(
        _("lý do chỉ ghi nhận đã chuyển"),
        max_length=16,
        choices=ForwardReason.choices,
        blank=True,
    )
    forwarded_to = models.CharField(_("đã chuyển đến"), max_length=200, blank=True)
    forwarded_at = models.DateTimeField(_("ngày chuyển"), null=True, blank=True)
    accepted = models.BooleanField(_("cử tri đồng tình với trả lời"), null=True, blank=True)
    verdict_note = models.TextField(_("ý kiến cử tri"), blank=True)
    verdict_at = models.DateTimeField(_("ngày ghi nhận ý kiến cử tri"), null=True, blank=True)
    verdict_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("ngày vào sổ"), auto_now_add=True)

    class Meta:
        verbose_name = _("Kiến nghị cử tri")
        verbose_name_plural = _("Kiến nghị cử tri")
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="petition_number_unique"),
            models.CheckConstraint(
                name="petition_routed_or_forwarded",
                condition=Q(recommendation__isnull=True) | Q(forwarded_to=""),
            ),
        ]
        indexes = [
            models.Index(fields=["council", "locality_key"], name="petition_locality"),
        ]
        # The trigram index on immutable_unaccent(subject) is PostgreSQL's alone: migration 0002.

    def __str__(self) -> str:
        return f"{self.round.sitting_name} · {self.number}"

    @property
    def sent_to_commune(self) -> bool:
        """Opened as a case of its commune's own council (not merely recorded as forwarded)."""
        return self.commune_council_id is not None and self.recommendation_id is not None

    @property
    def anchor(self) -> str:
        """Its item in the round's carrier notice."""
        return f"KN.{self.number}"


class CommuneTransfer(models.Model):
    """The commune petitions of a round sent to one commune council that uses Đôn đốc: a notice
    of that council (source "Kiến nghị cử tri"), whose items are the petitions, each opening a
    case owned by a committee of the commune council and addressed to its People's Committee."""

    round = models.ForeignKey(
        PetitionRound, models.PROTECT, related_name="commune_transfers", verbose_name=_("đợt")
    )
    council = models.ForeignKey(
        Council, models.PROTECT, related_name="+", verbose_name=_("HĐND cấp xã")
    )
    notice = models.OneToOneField(
        ConclusionNotice,
        models.PROTECT,
        related_name="commune_transfer",
        verbose_name=_("văn bản chuyển kiến nghị"),
    )

    class Meta:
        verbose_name = _("Chuyển kiến nghị đến HĐND cấp xã")
        verbose_name_plural = _("Chuyển kiến nghị đến HĐND cấp xã")
        constraints = [
            models.UniqueConstraint(fields=["round", "council"], name="commune_transfer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.round} → {self.council}"
