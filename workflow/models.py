"""Tracking: cases, their state machine and their append-only event log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from conclusions.models import Agency, Committee, ConclusionNotice, Council, Recommendation
from conclusions.selectors import roles_of


class CaseState(models.TextChoices):
    ASSIGNED = "assigned", _("Đã giao")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    REPORTED = "reported", _("Đã báo cáo")
    CLOSED = "closed", _("Đã đóng")


class Outcome(models.TextChoices):
    IMPLEMENTED = "implemented", _("Hoàn thành")
    PARTIALLY = "partially", _("Hoàn thành một phần")
    EXPLAINED = "explained", _("Đã giải trình")
    ROADMAP = "roadmap", _("Có lộ trình")
    FORWARDED = "forwarded", _("Chuyển cấp có thẩm quyền")
    NOT_IMPLEMENTED = "not_implemented", _("Chưa thực hiện")


class SelfAssessment(models.TextChoices):
    """What the agency itself says of its work when it reports: the claim, which the
    committee's graded `Outcome` verifies (workflow/definitions.py)."""

    DONE = "done", _("Đã hoàn thành")
    PARTIALLY = "partially", _("Hoàn thành một phần")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    CANNOT_DO = "cannot_do", _("Không thể thực hiện")
    ROADMAP = "roadmap", _("Có lộ trình")


class EventKind(models.TextChoices):
    """Everything that can happen to a case; the label is the timeline's."""

    OPENED = "case.opened", _("Giao hồ sơ")
    STARTED = "case.started", _("Bắt đầu thực hiện")
    REPORTED = "case.reported", _("Báo cáo kết quả")
    RETURNED = "case.returned", _("Trả lại: chưa đạt yêu cầu")
    CLOSED = "case.closed", _("Đóng hồ sơ")
    REOPENED = "case.reopened", _("Mở lại hồ sơ")
    COMMENTED = "case.commented", _("Ý kiến")
    ESCALATED = "case.escalated", _("Đôn đốc tự động")
    EXTENSION_REQUESTED = "case.extension_requested", _("Đề nghị gia hạn")
    EXTENSION_APPROVED = "case.extension_approved", _("Chấp thuận gia hạn")
    EXTENSION_REJECTED = "case.extension_rejected", _("Không chấp thuận gia hạn")
    DECIDED = "case.decided", _("Thường trực HĐND quyết định")
    LETTER_DRAFTED = "case.letter_drafted", _("Dự thảo văn bản đôn đốc")
    LETTER_SENT = "case.letter_sent", _("Đã gửi văn bản đôn đốc")
    PUBLISHED = "case.published", _("Công khai thông báo trên trang công khai")
    WITHDRAWN = "case.withdrawn", _("Thôi công khai thông báo")
    # A recorded succession moved the case to the successor council or agency
    # (workflow/successions.py); `data` says from whom, to whom, from which day, on what basis.
    TRANSFERRED = "case.transferred", _("Chuyển cho đơn vị kế thừa")


class Decision(models.TextChoices):
    """What the Standing Committee decides for a case that reached its rung of the ladder."""

    KEEP_URGING = "keep_urging", _("Tiếp tục đôn đốc, ấn định thời hạn mới")
    EXPLANATION_SESSION = "explanation_session", _("Tổ chức phiên giải trình")
    QUESTIONING = "questioning", _("Chất vấn tại kỳ họp")
    RE_SUPERVISION = "re_supervision", _("Tái giám sát")
    SITTING_REPORT = "sitting_report", _("Báo cáo tại kỳ họp HĐND")

    @classmethod
    def ends_urging(cls, value: str) -> bool:
        """Every decision but "keep urging" hands the case over to the council's own means:
        the ladder stops for this cycle."""
        return bool(value) and value != cls.KEEP_URGING


class Audience(models.TextChoices):
    """Who is told: the rungs of a ladder and the notification rules name people this way."""

    AGENCY_OFFICERS = "agency_officers", _("Cán bộ cơ quan chủ trì")
    AGENCY_HEAD = "agency_head", _("Lãnh đạo cơ quan chủ trì")
    COORDINATING = "coordinating", _("Cán bộ cơ quan phối hợp")
    COMMITTEE = "committee", _("Ban theo dõi")
    OFFICE = "office", _("Văn phòng")
    ACCOUNTABLE = "accountable", _("Cán bộ UBND chịu trách nhiệm")
    ACCOUNTABLE_HEAD = "accountable_head", _("Lãnh đạo UBND chịu trách nhiệm")
    STANDING = "standing", _("Thường trực HĐND")
    COUNCIL = "council", _("HĐND (Thường trực và Văn phòng)")
    DECIDERS = "deciders", _("Người quyết định gia hạn")


def _is_lead_officer(case: "Case", user) -> bool:
    return case.agency_id in roles_of(user).agency_ids


def _is_owning_committee_member(case: "Case", user) -> bool:
    """The reviewer of a report: the owning committee for an agency's report, the Standing
    Committee for a council body's (the council's own task: a committee does not judge its
    own work, and the Standing Committee follows these tasks itself)."""
    roles = roles_of(user)
    if case.agency.kind == Agency.Kind.COUNCIL_BODY:
        return case.council_id in roles.standing_council_ids
    return case.committee_id in roles.committee_ids


def _is_standing_committee(case: "Case", user) -> bool:
    return case.council_id in roles_of(user).standing_council_ids


class Case(ConcurrentTransitionMixin, models.Model):
    """One recommendation × one lead agency, owned by the tracking committee."""

    recommendation = models.ForeignKey(
        Recommendation, models.PROTECT, related_name="cases", verbose_name=_("kiến nghị")
    )
    # The five below copy the recommendation's context once, at opening, so that the
    # visibility filter and the hot lists are single-table index scans.
    notice = models.ForeignKey(
        ConclusionNotice, models.PROTECT, related_name="cases", verbose_name=_("thông báo")
    )
    # Their own indexes are the lists' (council, deadline, id) and the like below.
    council = models.ForeignKey(
        Council, models.PROTECT, related_name="+", db_index=False, verbose_name=_("HĐND")
    )
    committee = models.ForeignKey(
        Committee,
        models.PROTECT,
        related_name="cases",
        db_index=False,
        verbose_name=_("Ban theo dõi"),
    )
    agency = models.ForeignKey(
        Agency,
        models.PROTECT,
        related_name="cases",
        db_index=False,
        verbose_name=_("cơ quan chủ trì"),
    )
    # The People's Committee answerable for the recommendation ("UBND tỉnh chỉ đạo ..."): its
    # officers are told when the case is overdue, and see it (read-only).
    accountable = models.ForeignKey(
        Agency,
        models.PROTECT,
        null=True,
        blank=True,
        db_index=False,  # case_accountable_state below starts with it
        related_name="accountable_cases",
        verbose_name=_("cơ quan chịu trách nhiệm"),
    )
    coordinating_agencies = models.ManyToManyField(
        Agency, related_name="coordinated_cases", blank=True, verbose_name=_("cơ quan phối hợp")
    )
    state = FSMField(
        _("trạng thái"), default=CaseState.ASSIGNED, choices=CaseState.choices, protected=True
    )
    outcome = models.CharField(_("kết quả"), max_length=32, choices=Outcome.choices, blank=True)
    deadline = models.DateField(_("thời hạn"), null=True, blank=True)
    original_deadline = models.DateField(_("thời hạn ban đầu"), null=True, blank=True)
    deadline_explanation = models.JSONField(_("cách tính thời hạn"), default=dict, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("mức đôn đốc"), default=0)
    next_escalation_at = models.DateTimeField(_("lần đôn đốc tới"), null=True, blank=True)
    # The ladder restarts (a new cycle) when an extension is approved or the case reopens.
    ladder_cycle = models.PositiveSmallIntegerField(_("vòng đôn đốc"), default=0)
    # A timely request for more time holds the ladder (escalation_plan.py); any request, timely
    # or not, waits for the Standing Committee's decision (the dashboard's "Chờ quyết định gia
    # hạn", read from the case's own row rather than from the country's requests).
    extension_pending = models.BooleanField(_("đang chờ quyết định gia hạn"), default=False)
    extension_undecided = models.BooleanField(
        _("có đề nghị gia hạn chờ quyết định"), default=False, db_default=False
    )
    opened_at = models.DateTimeField(_("ngày mở"), default=timezone.now)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    closed_at = models.DateTimeField(_("ngày đóng"), null=True, blank=True)
    # The latest report, stamped when it is sent (workflow/definitions.py): the agency is
    # judged by it, and the committee's review clock runs from it.
    reported_at = models.DateTimeField(_("ngày báo cáo gần nhất"), null=True, blank=True)
    deadline_when_reported = models.DateField(
        _("thời hạn có hiệu lực khi báo cáo"), null=True, blank=True
    )
    review_due = models.DateField(_("hạn Ban đánh giá báo cáo"), null=True, blank=True)
    # The Standing Committee's latest decision in this ladder cycle (workflow/decisions.py);
    # "keep urging" holds the ladder until `decision_until`, the others stop it.
    decision = models.CharField(
        _("quyết định của Thường trực HĐND"), max_length=32, choices=Decision.choices, blank=True
    )
    decision_until = models.DateField(_("tiếp tục đôn đốc đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("Hồ sơ theo dõi")
        verbose_name_plural = _("Hồ sơ theo dõi")
        ordering = ["deadline", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "agency"], name="case_unique_per_agency"
            ),
        ]
        indexes = [
            # The case list of a council, a committee or an agency, in its order: its first
            # page reads 25 rows in order instead of sorting all the body's cases. The notices
            # of a committee's or an agency's cases (the list's filter) are read from the
            # index alone.
            models.Index(fields=["council", "deadline", "id"], name="case_council_list"),
            models.Index(
                fields=["committee", "deadline", "id"],
                include=["notice"],
                name="case_committee_notices",
            ),
            models.Index(
                fields=["agency", "deadline", "id"], include=["notice"], name="case_agency_notices"
            ),
            models.Index(fields=["agency", "state", "deadline"], name="case_agency_state"),
            models.Index(fields=["committee", "state", "deadline"], name="case_committee_state"),
            # A council's dashboard (its counts and its chart) reads only this index, not the
            # council's rows scattered over the table: one page of the index holds some 70
            # cases, one page of the table often one of the council's.
            models.Index(
                fields=["council", "state", "deadline"],
                include=[
                    "committee",
                    "agency",
                    "outcome",
                    "reported_at",
                    "closed_at",
                    "deadline_when_reported",
                    "review_due",
                    "escalation_level",
                    "decision",
                    "decision_until",
                    "extension_undecided",
                    "id",
                ],
                name="case_council_figures",
            ),
            models.Index(
                fields=["accountable", "state", "deadline"], name="case_accountable_state"
            ),
            models.Index(
                fields=["next_escalation_at"],
                condition=Q(next_escalation_at__isnull=False) & ~Q(state="closed"),
                name="case_escalation_due",
            ),
            # The dashboard's "waiting for the Standing Committee" list: open cases from rung 7
            # up (workflow/filters.py DECISION_LEVEL), highest first.
            models.Index(
                fields=["council", "-escalation_level", "deadline", "id"],
                condition=Q(escalation_level__gte=7) & ~Q(state="closed"),
                name="case_decision_level",
            ),
            # The dashboard's requests for more time waiting for a decision.
            models.Index(
                fields=["council"],
                condition=Q(extension_undecided=True),
                name="case_extension_undecided",
            ),
            # "Việc của tôi" of a committee: its reports waiting, by the day review is due.
            models.Index(
                fields=["committee", "review_due", "reported_at"],
                condition=Q(state="reported"),
                name="case_committee_review",
            ),
            # Periods ("assigned from … to …") and reports "as of" a day.
            models.Index(fields=["council", "opened_at"], name="case_council_opened"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.recommendation.anchor} · {self.agency}"

    @property
    def is_overdue(self) -> bool:
        """The agency is late: its deadline has passed and it has not reported (a report
        waiting for review is on the committee's clock, workflow/definitions.py)."""
        return (
            self.state in (CaseState.ASSIGNED, CaseState.IN_PROGRESS)
            and self.deadline is not None
            and self.deadline < timezone.localdate()
        )

    @transition(
        field=state,
        source=CaseState.ASSIGNED,
        target=CaseState.IN_PROGRESS,
        permission=_is_lead_officer,
    )
    def start(self) -> None:
        """The lead agency acknowledges the case and starts work."""

    @transition(
        field=state,
        source=CaseState.IN_PROGRESS,
        target=CaseState.REPORTED,
        permission=_is_lead_officer,
    )
    def report(self) -> None:
        """The lead agency reports its results."""

    @transition(
        field=state,
        source=CaseState.REPORTED,
        target=CaseState.IN_PROGRESS,
        permission=_is_owning_committee_member,
    )
    def send_back(self) -> None:
        """The committee finds the report unsatisfactory ("chưa đạt yêu cầu")."""

    @transition(
        field=state,
        source=CaseState.REPORTED,
        target=CaseState.CLOSED,
        permission=_is_owning_committee_member,
    )
    def close(self, outcome: str) -> None:
        self.outcome = outcome
        self.closed_at = timezone.now()

    @transition(
        field=state,
        source=CaseState.CLOSED,
        target=CaseState.IN_PROGRESS,
        permission=_is_standing_committee,
    )
    def reopen(self) -> None:
        self.outcome = ""
        self.closed_at = None
        self.restart_ladder()

    def restart_ladder(self) -> None:
        """A new cycle: every rung may be reached again (after a reopening or an extension)."""
        self.ladder_cycle += 1
        self.escalation_level = 0
        self.decision, self.decision_until = "", None


class Extension(models.Model):
    """An agency's request to move its deadline, and the decision on it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ quyết định")
        APPROVED = "approved", _("Đã chấp thuận")
        REJECTED = "rejected", _("Không chấp thuận")

    case = models.ForeignKey(
        Case, models.CASCADE, related_name="extensions", verbose_name=_("hồ sơ")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("người đề nghị")
    )
    requested_at = models.DateTimeField(_("ngày đề nghị"), default=timezone.now)
    requested_until = models.DateField(_("đề nghị gia hạn đến"))
    reason = models.TextField(_("lý do"))
    letter_number = models.CharField(_("số công văn"), max_length=60, blank=True)
    deadline_at_request = models.DateField(_("thời hạn khi đề nghị"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người quyết định"),
    )
    decided_at = models.DateTimeField(_("ngày quyết định"), null=True, blank=True)
    approved_until = models.DateField(_("gia hạn đến"), null=True, blank=True)
    decision_note = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        verbose_name = _("Gia hạn")
        verbose_name_plural = _("Gia hạn")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="pending"), name="extension_one_pending"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "requested_at"], name="extension_status"),
        ]

    def __str__(self) -> str:
        return f"#{self.case_id} → {self.requested_until:%d/%m/%Y}"


class EscalationStep(models.Model):
    """One rung of a council's escalation ladder; councils without rows use the defaults."""

    class Unit(models.TextChoices):
        WORKING_DAYS = "working_days", _("ngày làm việc")
        CALENDAR_DAYS = "calendar_days", _("ngày")

    class Action(models.TextChoices):
        REMINDER = "reminder", _("Nhắc hạn")
        WARNING = "warning", _("Cảnh báo đến hạn")
        URGING_LETTER = "urging_letter", _("Công văn đôn đốc của Ban")
        STANDING_LETTER = "standing_letter", _("Văn bản của Thường trực HĐND")
        EXPLANATION_LISTING = "explanation_listing", _("Đề xuất giải trình, chất vấn")
        SITTING_REPORT = "sitting_report", _("Báo cáo kỳ họp, đề xuất tái giám sát")
        # Not a rung of its own: the reminders sent again after the last rung
        # (Council.repeat_working_days apart), numbered on from the last rung's level.
        REPEAT = "repeat_reminder", _("Nhắc lại sau bậc đôn đốc cuối")

    council = models.ForeignKey(
        Council, models.CASCADE, related_name="escalation_steps", verbose_name=_("HĐND")
    )
    level = models.PositiveSmallIntegerField(_("mức"))
    name = models.CharField(_("tên"), max_length=100)
    offset = models.SmallIntegerField(
        _("độ lệch so với thời hạn"), help_text=_("Âm: trước thời hạn; dương: sau thời hạn")
    )
    unit = models.CharField(_("đơn vị"), max_length=16, choices=Unit.choices)
    action = models.CharField(_("hành động"), max_length=32, choices=Action.choices)
    audience = models.JSONField(_("người được báo"), default=list, blank=True)

    class Meta:
        verbose_name = _("Bậc đôn đốc")
        verbose_name_plural = _("Thang đôn đốc")
        ordering = ["council", "level"]
        constraints = [
            models.UniqueConstraint(fields=["council", "level"], name="escalation_step_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.level}. {self.name}"


class CalendarOverride(models.Model):
    """A local change to the national calendar: an extra day off, or a Saturday worked."""

    council = models.ForeignKey(
        Council,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_overrides",
        verbose_name=_("HĐND"),
        help_text=_("Để trống nếu áp dụng toàn quốc"),
    )
    day = models.DateField(_("ngày"))
    is_working_day = models.BooleanField(_("là ngày làm việc"))
    reason = models.CharField(_("lý do"), max_length=200)

    class Meta:
        verbose_name = _("Điều chỉnh lịch làm việc")
        verbose_name_plural = _("Điều chỉnh lịch làm việc")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["council", "day"], name="calendar_override_unique"),
            models.UniqueConstraint(
                fields=["day"],
                condition=Q(council__isnull=True),
                name="calendar_override_national_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} · {self.reason}"


class CaseEvent(models.Model):
    """Append-only record of everything that happened to a case; also the outbox source."""

    # PROTECT, and a trigger in the database: a case that has a history is never deleted.
    case = models.ForeignKey(Case, models.PROTECT, related_name="events", verbose_name=_("hồ sơ"))
    kind = models.CharField(_("loại sự kiện"), max_length=40, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    from_state = models.CharField(_("từ trạng thái"), max_length=20, blank=True)
    to_state = models.CharField(_("sang trạng thái"), max_length=20, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)
    level = models.PositiveSmallIntegerField(_("mức đôn đốc"), null=True, blank=True)
    cycle = models.PositiveSmallIntegerField(_("vòng đôn đốc"), null=True, blank=True)

    class Meta:
        verbose_name = _("Sự kiện")
        verbose_name_plural = _("Nhật ký sự kiện")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"], name="event_case_time")]
        constraints = [
            # Each level of each ladder cycle is reached once, however many sweeps run.
            models.UniqueConstraint(
                fields=["case", "cycle", "level"],
                condition=Q(kind=EventKind.ESCALATED),
                name="event_escalation_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.case_id}"


class ProgressReport(models.Model):
    """What the lead agency reported, with its official letter and evidence."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="reports", verbose_name=_("hồ sơ"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("người báo cáo")
    )
    text = models.TextField(_("nội dung báo cáo"))
    letter_number = models.CharField(_("số công văn"), max_length=60, blank=True)
    letter_date = models.DateField(_("ngày công văn"), null=True, blank=True)
    # Blank: not stated (reports made before the question was asked, or through the API
    # without it).
    self_assessment = models.CharField(
        _("cơ quan tự đánh giá"), max_length=16, choices=SelfAssessment.choices, blank=True
    )
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        verbose_name = _("Báo cáo kết quả")
        verbose_name_plural = _("Báo cáo kết quả")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.letter_number or f"{self.created_at:%d/%m/%Y}"


class Evidence(models.Model):
    report = models.ForeignKey(
        ProgressReport, models.CASCADE, related_name="evidence", verbose_name=_("báo cáo")
    )
    file = models.FileField(_("tệp minh chứng"), upload_to="evidence/%Y/%m/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveBigIntegerField(_("dung lượng"))

    class Meta:
        verbose_name = _("Minh chứng")
        verbose_name_plural = _("Minh chứng")

    def __str__(self) -> str:
        return self.original_name


class UrgingLetter(models.Model):
    """A letter the ladder drafts when a case reaches a rung that is a letter: the committee's
    urging letter to the agency, or the Standing Committee's letter to the chair of the
    agency's People's Committee. One letter lists every case of one agency and one committee
    that reached that rung while the draft was open; the office numbers it and sends it
    (workflow/letters.py), and then its content is frozen."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Công văn đôn đốc của Ban")
        STANDING = "standing", _("Văn bản của Thường trực HĐND gửi Chủ tịch UBND")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        SENT = "sent", _("Đã gửi")

    council = models.ForeignKey(Council, models.PROTECT, related_name="+", verbose_name=_("HĐND"))
    committee = models.ForeignKey(
        Committee, models.PROTECT, related_name="+", verbose_name=_("Ban theo dõi")
    )
    agency = models.ForeignKey(
        Agency, models.PROTECT, related_name="urging_letters", verbose_name=_("cơ quan")
    )
    addressee = models.ForeignKey(
        Agency,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("UBND chịu trách nhiệm"),
    )
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    drafted_at = models.DateTimeField(_("ngày dự thảo"), default=timezone.now)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("số thứ tự trong năm"), null=True, blank=True)
    sent_on = models.DateField(_("ngày gửi"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người vào sổ"),
    )
    # What was sent, frozen when it was sent: the items, the signature, the distribution.
    content = models.JSONField(_("nội dung đã gửi"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Văn bản đôn đốc")
        verbose_name_plural = _("Văn bản đôn đốc")
        ordering = ["-drafted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "agency", "kind"],
                condition=Q(status="draft"),
                name="letter_one_open_draft",
            ),
            models.UniqueConstraint(
                fields=["council", "year", "number"],
                condition=~Q(number=""),
                name="letter_number_unique_per_year",
            ),
        ]
        indexes = [models.Index(fields=["council", "status", "-drafted_at"], name="letter_queue")]

    def __str__(self) -> str:
        return self.number or _("Dự thảo #%(id)s") % {"id": self.pk}


class LetterItem(models.Model):
    """One case in a letter: a case is urged by each kind of letter once per ladder cycle."""

    letter = models.ForeignKey(
        UrgingLetter, models.CASCADE, related_name="items", verbose_name=_("văn bản")
    )
    case = models.ForeignKey(
        Case, models.PROTECT, related_name="letter_items", verbose_name=_("hồ sơ")
    )
    kind = models.CharField(_("loại"), max_length=16, choices=UrgingLetter.Kind.choices)
    cycle = models.PositiveSmallIntegerField(_("vòng đôn đốc"))

    class Meta:
        verbose_name = _("Kiến nghị trong văn bản đôn đốc")
        verbose_name_plural = _("Kiến nghị trong văn bản đôn đốc")
        constraints = [
            models.UniqueConstraint(fields=["case", "cycle", "kind"], name="letter_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.letter} · #{self.case_id}"


class NoticeEventKind(models.TextChoices):
    """A step of a notice's intake that someone must now act on (intake/flows.py)."""

    REGISTERED = "notice.registered", _("Thông báo chờ Ban theo dõi kiểm tra")
    CHECKED = "notice.checked", _("Thông báo chờ Thường trực HĐND phê duyệt")
    RETURNED = "notice.returned", _("Thông báo được trả lại để Ban kiểm tra lại")
    APPROVED = "notice.approved", _("Thông báo đã được phê duyệt, hồ sơ đã mở")


class NoticeEvent(models.Model):
    """A step of a notice's intake, before it has cases: the outbox source of the
    notifications that tell the next person a notice waits for them. Append-only."""

    notice = models.ForeignKey(
        "conclusions.ConclusionNotice",
        models.CASCADE,
        related_name="intake_events",
        verbose_name=_("thông báo"),
    )
    kind = models.CharField(_("loại sự kiện"), max_length=40, choices=NoticeEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    note = models.TextField(_("ghi chú"), blank=True)
    link = models.CharField(_("trang cần mở"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Sự kiện tiếp nhận thông báo")
        verbose_name_plural = _("Sự kiện tiếp nhận thông báo")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} · {self.notice_id}"


class CalendarFeed(models.Model):
    """A user's personal iCalendar feed: the secret in its address is the only key, so a new
    secret revokes the old address (workflow/agenda.py)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("người dùng"),
    )
    token = models.CharField(_("mã bí mật"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("thời điểm tạo"), default=timezone.now)

    class Meta:
        verbose_name = _("Lịch cá nhân (iCalendar)")
        verbose_name_plural = _("Lịch cá nhân (iCalendar)")

    def __str__(self) -> str:
        return str(self.user)
