"""What was concluded and to whom: councils, their bodies, agencies, notices, recommendations."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from conclusions.deadline_spec import describe_deadline_spec
from conclusions.rules import search_key


class SearchKeyManager(models.Manager):
    """Rows inserted in bulk (which skips `save`) get their search key too."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for row in objs:
            fill_search_key(row)
        return super().bulk_create(objs, *args, **kwargs)


class Council(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Cấp tỉnh")
        DISTRICT = "district", _("Cấp huyện (đã bãi bỏ)")
        COMMUNE = "commune", _("Cấp xã")

    code = models.SlugField(_("mã"), unique=True)
    name = models.CharField(_("tên"), max_length=200)
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("HĐND cấp trên"),
    )
    place = models.CharField(_("địa danh"), max_length=100, help_text=_("Dùng ở dòng “…, ngày …”"))
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("đơn vị kế thừa (sáp nhập)"),
    )
    committee_decides_extensions = models.BooleanField(
        _("Ban được ủy quyền quyết định gia hạn"),
        default=False,
        help_text=_("Nếu không, Thường trực HĐND quyết định mọi đề nghị gia hạn."),
    )
    sitting_lead_days = models.PositiveSmallIntegerField(
        _("số ngày gửi tài liệu trước kỳ họp"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_(
            "Thời hạn “trước kỳ họp” là ngày làm việc cuối cùng trước ngày khai mạc ít nhất "
            "chừng ấy ngày, để kịp gửi tài liệu cho đại biểu."
        ),
    )
    # The committee's own clock: how long it has to review a report (workflow/definitions.py).
    review_working_days = models.PositiveSmallIntegerField(
        _("thời hạn Ban đánh giá báo cáo (ngày làm việc)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("Tính từ ngày cơ quan gửi báo cáo; mặc định 10 ngày làm việc."),
    )
    # After the last rung of the ladder an overdue case is urged again and again
    # (workflow/escalation.py), until it is reported or the Standing Committee decides.
    repeat_working_days = models.PositiveSmallIntegerField(
        _("nhắc lại sau bậc đôn đốc cuối (ngày làm việc)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_(
            "Hồ sơ quá hạn đã qua bậc đôn đốc cuối được nhắc lại sau mỗi chừng ấy ngày làm việc, "
            "cho đến khi cơ quan báo cáo hoặc Thường trực HĐND có quyết định."
        ),
    )
    urging_answer_days = models.PositiveSmallIntegerField(
        _("thời hạn trả lời công văn đôn đốc (ngày)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_(
            "Hồ sơ chưa có báo cáo sau chừng ấy ngày kể từ công văn đôn đốc của Ban được chuyển "
            "ngay lên bậc Thường trực HĐND quyết định."
        ),
    )

    class Meta:
        verbose_name = _("Hội đồng nhân dân")
        verbose_name_plural = _("Hội đồng nhân dân")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Committee(models.Model):
    class Kind(models.TextChoices):
        LEGAL = "legal", _("Ban Pháp chế")
        ECONOMY_BUDGET = "economy_budget", _("Ban Kinh tế - Ngân sách")
        CULTURE_SOCIETY = "culture_society", _("Ban Văn hóa - Xã hội")
        ETHNIC = "ethnic", _("Ban Dân tộc")
        URBAN = "urban", _("Ban Đô thị")
        ECONOMY_SOCIETY = "economy_society", _("Ban Kinh tế - Xã hội")

    council = models.ForeignKey(
        Council, models.PROTECT, related_name="committees", verbose_name=_("HĐND")
    )
    code = models.SlugField(_("mã"), unique=True)
    kind = models.CharField(_("loại"), max_length=32, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=200)

    class Meta:
        verbose_name = _("Ban của HĐND")
        verbose_name_plural = _("Các Ban của HĐND")
        ordering = ["council", "name"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Sở, ban, ngành")
        PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
        COMMUNE_OFFICE = "commune_office", _("Cơ quan cấp xã")
        OTHER = "other", _("Cơ quan khác")
        # "UBND các xã, phường": a province's recommendation to every commune People's
        # Committee under it; issuing opens one case per commune (workflow.services).
        COMMUNE_COMMITTEES = "commune_committees", _("UBND các xã, phường (mỗi xã một hồ sơ)")
        # A body of the council itself (a committee, the office, a deputies' group) given a
        # task of the council's own plans; its members hold agency-officer seats in it.
        COUNCIL_BODY = "council_body", _("Cơ quan của HĐND (Ban, Văn phòng, Tổ đại biểu)")

    council = models.ForeignKey(
        Council, models.PROTECT, related_name="agencies", verbose_name=_("địa bàn (HĐND)")
    )
    code = models.SlugField(_("mã"), unique=True)
    kind = models.CharField(_("loại"), max_length=32, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=200)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("cơ quan cấp trên"),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    committee = models.ForeignKey(
        "Committee",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="council_bodies",
        verbose_name=_("Ban của HĐND (với cơ quan của HĐND)"),
        help_text=_("Chỉ với loại “Cơ quan của HĐND”: Ban nhận nhiệm vụ, nếu là một Ban"),
    )
    # Set by a recorded succession (Succession): the agency is then read-only history.
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("cơ quan kế thừa (hợp nhất)"),
    )

    class Meta:
        verbose_name = _("Cơ quan")
        verbose_name_plural = _("Cơ quan")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def is_council_body(self) -> bool:
        return self.kind == self.Kind.COUNCIL_BODY


class AgencyAlias(models.Model):
    """Another way notices name an agency: a short form ("Sở LĐ-TB&XH", "UBND tỉnh"), an
    older name, a common misspelling. Read when a signed notice is parsed; diacritics, case
    and the separators of short forms (-, &, ",", "và") do not matter."""

    agency = models.ForeignKey(
        Agency, models.CASCADE, related_name="aliases", verbose_name=_("cơ quan")
    )
    name = models.CharField(_("tên gọi khác"), max_length=200)

    class Meta:
        verbose_name = _("Tên gọi khác của cơ quan")
        verbose_name_plural = _("Tên gọi khác của cơ quan")
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="agency_alias_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's seat in one council body; roles come only from here."""

    class Role(models.TextChoices):
        STANDING = "standing", _("Thường trực HĐND")
        COMMITTEE_MEMBER = "committee_member", _("Thành viên Ban")
        AGENCY_OFFICER = "agency_officer", _("Cán bộ cơ quan")
        OFFICE_CLERK = "office_clerk", _("Chuyên viên Văn phòng")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="memberships",
        verbose_name=_("người dùng"),
    )
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    council = models.ForeignKey(
        Council, models.CASCADE, related_name="memberships", verbose_name=_("HĐND")
    )
    committee = models.ForeignKey(
        Committee,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("Ban"),
    )
    agency = models.ForeignKey(
        Agency,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("cơ quan"),
    )
    is_head = models.BooleanField(_("lãnh đạo"), default=False)
    # A seat holds from `valid_from` to `valid_to` included; blank means open-ended.
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("Thành viên")
        verbose_name_plural = _("Thành viên")
        constraints = [
            models.CheckConstraint(
                name="membership_body_matches_role",
                condition=(
                    Q(role="committee_member", committee__isnull=False, agency__isnull=True)
                    | Q(role="agency_officer", agency__isnull=False, committee__isnull=True)
                    | Q(
                        role__in=["standing", "office_clerk"],
                        committee__isnull=True,
                        agency__isnull=True,
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        body = self.committee or self.agency or self.council
        return f"{self.user} · {self.get_role_display()} · {body}"


class Term(models.Model):
    """A council's term (nhiệm kỳ), e.g. 2021–2026: reports can be limited to the cases
    opened during one."""

    council = models.ForeignKey(
        Council, models.CASCADE, related_name="terms", verbose_name=_("HĐND")
    )
    name = models.CharField(_("nhiệm kỳ"), max_length=30, help_text=_("Ví dụ: 2021–2026"))
    starts_on = models.DateField(_("bắt đầu"))
    ends_on = models.DateField(_("kết thúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("Nhiệm kỳ")
        verbose_name_plural = _("Nhiệm kỳ")
        ordering = ["council", "-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="term_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.council} · {_('nhiệm kỳ')} {self.name}"


class Succession(models.Model):
    """From `on`, these councils (or agencies) continue as that one: the 2025 mergers.
    Recorded by workflow.successions, which moves the predecessors' open cases to the
    successor in the same transaction; the predecessors are read-only history after it."""

    class Kind(models.TextChoices):
        COUNCIL = "council", _("HĐND")
        AGENCY = "agency", _("Cơ quan")

    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    on = models.DateField(_("từ ngày"))
    basis = models.CharField(
        _("căn cứ"),
        max_length=300,  # rules.BASIS
        help_text=_("Ví dụ: Nghị quyết 202/2025/QH15"),
    )
    from_councils = models.ManyToManyField(
        Council, blank=True, related_name="successions_out", verbose_name=_("các HĐND trước")
    )
    to_council = models.ForeignKey(
        Council,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="successions_in",
        verbose_name=_("HĐND kế thừa"),
    )
    from_agencies = models.ManyToManyField(
        Agency, blank=True, related_name="successions_out", verbose_name=_("các cơ quan trước")
    )
    to_agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="successions_in",
        verbose_name=_("cơ quan kế thừa"),
    )
    carry_memberships = models.BooleanField(_("chuyển thành viên sang"), default=False)
    moved_cases = models.PositiveIntegerField(_("số hồ sơ đã chuyển"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người ghi nhận"),
    )
    recorded_at = models.DateTimeField(_("thời điểm ghi nhận"), auto_now_add=True)

    class Meta:
        verbose_name = _("Sáp nhập, hợp nhất")
        verbose_name_plural = _("Sáp nhập, hợp nhất")
        ordering = ["-on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="succession_target_matches_kind",
                condition=Q(kind="council", to_council__isnull=False, to_agency__isnull=True)
                | Q(kind="agency", to_agency__isnull=False, to_council__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.successor} ({self.on:%d/%m/%Y})"

    @property
    def successor(self) -> "Council | Agency":
        return self.to_council or self.to_agency  # type: ignore[return-value]


class Sitting(models.Model):
    """A council sitting (kỳ họp), a possible deadline: "trước kỳ họp cuối năm"."""

    council = models.ForeignKey(
        Council, models.CASCADE, related_name="sittings", verbose_name=_("HĐND")
    )
    name = models.CharField(_("tên kỳ họp"), max_length=200)
    opens_on = models.DateField(_("ngày khai mạc"))

    class Meta:
        verbose_name = _("Kỳ họp")
        verbose_name_plural = _("Kỳ họp")
        ordering = ["-opens_on"]

    def __str__(self) -> str:
        return f"{self.name} ({self.opens_on:%d/%m/%Y})"


class SourceKind(models.TextChoices):
    THEMATIC_SUPERVISION = "thematic_supervision", _("Giám sát chuyên đề")
    EXPLANATION_SESSION = "explanation_session", _("Phiên giải trình")
    QUESTIONING = "questioning", _("Chất vấn")
    LISTEN_AND_DISCUSS = "listen_and_discuss", _("Chương trình “Lắng nghe và Trao đổi”")
    VOTER_PETITIONS = "voter_petitions", _("Kiến nghị cử tri")
    RESOLUTION_FOLLOW_UP = "resolution_follow_up", _("Theo dõi thực hiện nghị quyết")


class ConclusionNotice(models.Model):
    """A signed Thông báo kết luận; its recommendations become tracked cases once issued."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang tiếp nhận")
        ISSUED = "issued", _("Đã ban hành")

    council = models.ForeignKey(
        Council, models.PROTECT, related_name="notices", verbose_name=_("HĐND ban hành")
    )
    number = models.CharField(_("số, ký hiệu"), max_length=60, help_text=_("Ví dụ: 15/TB-HĐND"))
    issue_year = models.PositiveSmallIntegerField(_("năm ban hành"), editable=False)
    issue_date = models.DateField(_("ngày ban hành"))
    title = models.CharField(_("trích yếu"), max_length=500)
    signer = models.CharField(_("người ký"), max_length=200, blank=True)
    source_kind = models.CharField(_("nguồn"), max_length=32, choices=SourceKind.choices)
    tracking_committee = models.ForeignKey(
        Committee,
        models.PROTECT,
        related_name="tracked_notices",
        verbose_name=_("Ban theo dõi"),
    )
    attachment = models.FileField(_("tệp văn bản"), upload_to="notices/%Y/", blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người vào sổ"),
    )
    created_at = models.DateTimeField(_("ngày vào sổ"), auto_now_add=True)
    # rules.search_key of the number and title; a trigram index on PostgreSQL (migration 0007).
    search_key = models.TextField(editable=False, blank=True, default="")
    # Shown on the council's public page since then (workflow.publication); None: not shown.
    published_at = models.DateTimeField(_("công khai từ"), null=True, blank=True, editable=False)

    SEARCHED = ("number", "title")
    objects = SearchKeyManager()

    class Meta:
        verbose_name = _("Thông báo kết luận")
        verbose_name_plural = _("Thông báo kết luận")
        ordering = ["-issue_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "issue_year", "number"], name="notice_number_unique_per_year"
            ),
        ]
        indexes = [
            models.Index(
                fields=["council", "-issue_date"],
                name="notice_published",
                condition=Q(published_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.issue_date:%d/%m/%Y})"

    def save(self, *args, **kwargs) -> None:
        fill_search_key(self, kwargs)
        super().save(*args, **kwargs)


class Recommendation(models.Model):
    """One numbered item of a notice's "Kết luận, kiến nghị" section."""

    notice = models.ForeignKey(
        ConclusionNotice,
        models.CASCADE,
        related_name="recommendations",
        verbose_name=_("thông báo"),
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    anchor = models.CharField(_("mục"), max_length=30, help_text=_("Ví dụ: II.1.b"))
    text = models.TextField(_("nội dung kiến nghị"))
    tracking_committee = models.ForeignKey(
        Committee,
        models.PROTECT,
        related_name="recommendations",
        verbose_name=_("Ban theo dõi"),
    )
    deadline = models.DateField(
        _("thời hạn"), null=True, blank=True, help_text=_("Để trống nếu thực hiện thường xuyên")
    )
    # A period instead of a date: {"working_days": 10}, {"calendar_days": 30},
    # {"months": 6}, {"quarter": 3, "year": 2026}, {"month": 5, "year": 2026} or
    # {"sitting": <id>, "lead_days": 10}; see conclusions.deadline_spec.
    deadline_spec = models.JSONField(_("cách tính thời hạn"), default=dict, blank=True)
    deadline_phrase = models.CharField(
        _("thời hạn như văn bản ghi"),
        max_length=300,
        blank=True,
        help_text=_("Ví dụ: “trong quý III/2026”, “trước kỳ họp thường lệ cuối năm 2026”"),
    )
    accountable = models.ForeignKey(
        Agency,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="accountable_for",
        verbose_name=_("cơ quan chịu trách nhiệm"),
    )
    lead_agencies = models.ManyToManyField(
        Agency, related_name="led_recommendations", verbose_name=_("cơ quan chủ trì")
    )
    coordinating_agencies = models.ManyToManyField(
        Agency,
        related_name="coordinated_recommendations",
        blank=True,
        verbose_name=_("cơ quan phối hợp"),
    )
    # rules.search_key of the text; a trigram index on PostgreSQL (migration 0007).
    search_key = models.TextField(editable=False, blank=True, default="")
    SEARCHED = ("text",)
    objects = SearchKeyManager()

    class Meta:
        verbose_name = _("Kiến nghị")
        verbose_name_plural = _("Kiến nghị")
        ordering = ["notice", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "anchor"], name="recommendation_anchor_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notice.number} · {self.anchor}"

    def save(self, *args, **kwargs) -> None:
        fill_search_key(self, kwargs)
        super().save(*args, **kwargs)

    @property
    def deadline_text(self) -> str:
        """The deadline as the notice writes it: a date, a period, or "" for ongoing work."""
        if self.deadline_spec:
            return describe_deadline_spec(self.deadline_spec)
        return f"{self.deadline:%d/%m/%Y}" if self.deadline else ""


class DocumentKind(models.TextChoices):
    """The documents whose signature and distribution a council sets (DocumentSetting)."""

    COMMITTEE_LETTER = "committee_letter", _("Công văn đôn đốc của Ban")
    STANDING_LETTER = "standing_letter", _("Văn bản đôn đốc của Thường trực HĐND")
    REPORT = "report", _("Báo cáo (mọi loại, trừ loại có thiết lập riêng)")
    REPORT_RESULTS = "report.results", _("Báo cáo A: kết quả theo cơ quan, theo Ban")
    REPORT_NOTICE = "report.notice", _("Báo cáo B: kết quả một thông báo kết luận")
    REPORT_CANDIDATES = "report.candidates", _("Báo cáo F: đề xuất giải trình, chất vấn")
    REPORT_WEEKLY = "report.weekly", _("Báo cáo G: đến hạn, quá hạn trong tuần")


class DocumentSetting(models.Model):
    """How a council (or one of its committees) issues one kind of document in the layout of
    Decree 30/2020: the issuing body under the council's name, the symbol after the number,
    the signature block (TM./KT. lines, the title, the signer's name) and the distribution
    list ("Nơi nhận"). A field left blank takes the default (conclusions.selectors)."""

    council = models.ForeignKey(
        Council, models.CASCADE, related_name="document_settings", verbose_name=_("HĐND")
    )
    committee = models.ForeignKey(
        Committee,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="document_settings",
        verbose_name=_("Ban"),
        help_text=_("Để trống nếu áp dụng cho văn bản của Thường trực HĐND"),
    )
    kind = models.CharField(_("loại văn bản"), max_length=32, choices=DocumentKind.choices)
    issuer = models.CharField(
        _("cơ quan ban hành"),
        max_length=200,
        blank=True,
        help_text=_("Dòng dưới tên HĐND, ví dụ “THƯỜNG TRỰC HĐND”, “BAN VĂN HÓA - XÃ HỘI”"),
    )
    symbol = models.CharField(
        _("ký hiệu"),
        max_length=40,
        blank=True,
        help_text=_("Sau số văn bản, ví dụ “BC-HĐND”, “HĐND-VHXH”"),
    )
    capacity = models.TextField(
        _("thẩm quyền, chức vụ người ký"),
        blank=True,
        help_text=_(
            "Mỗi dòng một dòng, ví dụ “TM. THƯỜNG TRỰC HĐND”, “KT. CHỦ TỊCH”, “PHÓ CHỦ TỊCH”"
        ),
    )
    signer = models.CharField(_("họ và tên người ký"), max_length=200, blank=True)
    recipients = models.TextField(
        _("nơi nhận"),
        blank=True,
        help_text=_(
            "Mỗi dòng một nơi nhận, ví dụ “Thường trực Tỉnh ủy”, “UBND tỉnh”, “Các Ban HĐND”, "
            "“Lưu: VT”; không ghi cơ quan ban hành"
        ),
    )

    class Meta:
        verbose_name = _("Thể thức văn bản (người ký, nơi nhận)")
        verbose_name_plural = _("Thể thức văn bản (người ký, nơi nhận)")
        ordering = ["council", "committee", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "committee", "kind"], name="document_setting_unique"
            ),
            models.UniqueConstraint(
                fields=["council", "kind"],
                condition=Q(committee__isnull=True),
                name="document_setting_council_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.committee or self.council}"


def fill_search_key(row, save_kwargs: dict | None = None) -> None:
    """The row's search key from its `SEARCHED` fields; a save limited to some fields
    refreshes the key when one of them is among those."""
    row.search_key = search_key(" ".join(getattr(row, name) for name in row.SEARCHED))
    fields = (save_kwargs or {}).get("update_fields")
    if fields is not None and set(fields) & set(row.SEARCHED):
        save_kwargs["update_fields"] = [*fields, "search_key"]
