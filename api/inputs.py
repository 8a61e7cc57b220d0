"""What the API reads: shape, types and limits only (the limits are the input rules the web
forms follow too, conclusions/rules.py); the services decide the rest."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.fields import (
    Choice,
    Code,
    CodeList,
    Date,
    EvidenceList,
    Input,
    Integer,
    Password,
    Text,
)
from conclusions import rules
from conclusions.deadline_spec import MAX_DAYS, MAX_LEAD_DAYS, MAX_MONTHS
from conclusions.models import Committee, Council, Sitting, SourceKind, Succession
from workflow.models import Decision, Outcome, SelfAssessment

ONE_RULE = _(
    "Chọn đúng một cách tính thời hạn: date, working_days, calendar_days, months, "
    "quarter + year, month + year hoặc sitting (+ lead_days)."
)
ONE_RULE_OR_TEXT = _(
    "Chọn đúng một cách tính thời hạn: date, working_days, calendar_days, months, "
    "quarter + year, month + year, sitting (+ lead_days) hoặc text."
)
YEAR_NEEDED = _("Cần năm (year) đi kèm quý hoặc tháng.")
LEAD_WITH_SITTING = _("lead_days chỉ dùng với sitting.")
DEADLINE_KINDS = ("date", "working_days", "calendar_days", "months", "quarter", "month", "sitting")


class TokenInput(Input):
    username = Text(max_length=rules.USERNAME)
    password = Password()


class DeadlineInput(Input):
    """{"date": "YYYY-MM-DD"}, {"working_days": N}, {"calendar_days": N}, {"months": N},
    {"quarter": Q, "year": Y}, {"month": M, "year": Y} or {"sitting": id, "lead_days"?: N}."""

    date = Date(required=False)
    working_days = Integer(required=False, min_value=1, max_value=MAX_DAYS)
    calendar_days = Integer(required=False, min_value=1, max_value=MAX_DAYS)
    months = Integer(required=False, min_value=1, max_value=MAX_MONTHS)
    quarter = Integer(required=False, min_value=1, max_value=4)
    month = Integer(required=False, min_value=1, max_value=12)
    year = Integer(required=False, min_value=rules.EARLIEST.year, max_value=rules.LATEST.year)
    sitting = Integer(required=False, min_value=1, max_value=2**62, help_text="Mã số kỳ họp")
    lead_days = Integer(
        required=False,
        min_value=1,
        max_value=MAX_LEAD_DAYS,
        help_text="Số ngày trước khai mạc (thời hạn gửi tài liệu); mặc định: ngày làm việc "
        "cuối cùng trước kỳ họp",
    )

    def validate(self, attrs: dict) -> dict:
        kinds = [kind for kind in DEADLINE_KINDS if kind in attrs]
        if len(kinds) != 1:
            raise serializers.ValidationError(str(ONE_RULE))
        if ("year" in attrs) != (kinds[0] in ("quarter", "month")):
            raise serializers.ValidationError(str(YEAR_NEEDED))
        if "lead_days" in attrs and kinds != ["sitting"]:
            raise serializers.ValidationError(str(LEAD_WITH_SITTING))
        return attrs


def deadline_parts(value: dict | None) -> tuple[datetime.date | None, dict | None]:
    """A DeadlineInput's value as the services take it: a fixed date, or else a rule."""
    rule = dict(value or {})
    return rule.pop("date", None), rule or None


class RecommendationIn(Input):
    anchor = Text(max_length=rules.ANCHOR, help_text="Ví dụ: II.1.b")
    text = Text()
    lead_agencies = CodeList(allow_empty=False)
    coordinating_agencies = CodeList(required=False, default=list)
    accountable = Code(required=False, allow_blank=True, default="")
    tracking_committee = Code(
        required=False, allow_blank=True, default="", help_text="Mặc định: Ban theo dõi thông báo"
    )
    deadline = DeadlineInput(required=False, allow_null=True, default=None)
    deadline_text = Text(
        max_length=rules.DEADLINE_PHRASE,
        required=False,
        allow_blank=True,
        default="",
        help_text="Thời hạn như văn bản ghi, ví dụ “trong quý III/2026”",
    )


class NoticeIn(Input):
    number = Text(max_length=rules.NUMBER, help_text="Ví dụ: 15/TB-HĐND")
    issue_date = Date()
    title = Text(max_length=rules.TITLE)
    signer = Text(max_length=rules.SIGNER, required=False, allow_blank=True, default="")
    source_kind = Choice(choices=SourceKind.choices)
    tracking_committee = Code()
    recommendations = RecommendationIn(
        many=True, allow_empty=False, max_length=rules.RECOMMENDATIONS
    )

    def validate(self, attrs: dict) -> dict:
        """Committee codes become committees, in one query; unknown codes are refused."""
        items = attrs["recommendations"]
        codes = {attrs["tracking_committee"]} | {i["tracking_committee"] for i in items}
        committees = Committee.objects.select_related("council").filter(code__in=codes - {""})
        found = {c.code: c for c in committees}
        notice_committee = found.get(attrs["tracking_committee"])
        errors = {}
        if notice_committee is None:
            errors["tracking_committee"] = [_unknown_committee(attrs["tracking_committee"])]
        for index, item in enumerate(items):
            code = item["tracking_committee"]
            problem = _item_committee_problem(code, found, notice_committee)
            if problem:
                errors[f"recommendations[{index}].tracking_committee"] = [problem]
            item["tracking_committee"] = found.get(code)
        if errors:
            raise serializers.ValidationError(errors)
        attrs["tracking_committee"] = notice_committee
        return attrs


def _unknown_committee(code: str) -> str:
    return str(_("Không tìm thấy Ban có mã “%(code)s”.")) % {"code": code}


def _item_committee_problem(code: str, found: dict, notice_committee) -> str:
    if not code:
        return ""
    if code not in found:
        return _unknown_committee(code)
    if notice_committee and found[code].council_id != notice_committee.council_id:
        return str(_("Ban “%(code)s” không thuộc HĐND ban hành thông báo.")) % {"code": code}
    return ""


class NoteIn(Input):
    note = Text(required=False, allow_blank=True, default="")


class ReturnIn(Input):
    reason = Text(help_text="Lý do trả lại (chưa đạt yêu cầu)")


class CloseIn(Input):
    outcome = Choice(choices=Outcome.choices)
    note = Text(required=False, allow_blank=True, default="")


class ReportIn(Input):
    text = Text()
    self_assessment = Choice(
        choices=SelfAssessment.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=(
            "Cơ quan tự đánh giá: done, partially, in_progress, cannot_do, roadmap; "
            "để trống là không nêu (không tính vào số cơ quan báo hoàn thành)"
        ),
    )
    letter_number = Text(max_length=rules.NUMBER, required=False, allow_blank=True, default="")
    letter_date = Date(required=False, allow_null=True, default=None)
    evidence = EvidenceList(
        required=False,
        default=list,
        help_text="Tệp minh chứng (multipart/form-data), lặp lại trường cho mỗi tệp",
    )


class ExtensionRequestIn(Input):
    requested_until = Date()
    reason = Text()
    letter_number = Text(max_length=rules.NUMBER, required=False, allow_blank=True, default="")


class ExtensionApproveIn(Input):
    approved_until = Date(
        required=False, allow_null=True, default=None, help_text="Mặc định: ngày cơ quan đề nghị"
    )
    note = Text(required=False, allow_blank=True, default="")


class DeadlineQuery(Input):
    """`/api/v1/calendar/deadline/`: from `start`, exactly one rule (the kinds of
    conclusions.deadline_spec, a fixed `date`, or `text`, the deadline as a notice writes it)."""

    start = Date(help_text="Ngày bắt đầu tính (thường là ngày ban hành thông báo)")
    council = Code(required=False, help_text="Mã HĐND, để tính cả ngày nghỉ riêng của địa phương")
    date = Date(required=False, help_text="Hạn là một ngày cố định")
    working_days = Integer(required=False, min_value=0, max_value=MAX_DAYS)
    calendar_days = Integer(required=False, min_value=0, max_value=MAX_DAYS)
    months = Integer(required=False, min_value=1, max_value=MAX_MONTHS)
    quarter = Integer(required=False, min_value=1, max_value=4)
    month = Integer(required=False, min_value=1, max_value=12)
    year = Integer(required=False, min_value=rules.EARLIEST.year, max_value=rules.LATEST.year)
    sitting = Integer(required=False, min_value=1, max_value=2**62, help_text="Mã số kỳ họp")
    lead_days = Integer(
        required=False,
        min_value=1,
        max_value=MAX_LEAD_DAYS,
        help_text="Số ngày trước khai mạc; mặc định: thời hạn gửi tài liệu của HĐND "
        "(Council.sitting_lead_days)",
    )
    text = Text(
        required=False,
        max_length=rules.DEADLINE_PHRASE,
        help_text="Thời hạn như văn bản ghi: “trong quý III/2026”, “15 ngày làm việc”, "
        "“trước kỳ họp cuối năm 2026” … (kỳ họp cần council)",
    )

    def validate_council(self, code: str) -> int:
        return council_of_code(code).pk

    def validate(self, attrs: dict) -> dict:
        kinds = [kind for kind in (*DEADLINE_KINDS, "text") if kind in attrs]
        if len(kinds) != 1:
            raise serializers.ValidationError(str(ONE_RULE_OR_TEXT))
        if ("year" in attrs) != (kinds[0] in ("quarter", "month")):
            raise serializers.ValidationError(str(YEAR_NEEDED))
        if "lead_days" in attrs and kinds != ["sitting"]:
            raise serializers.ValidationError(str(LEAD_WITH_SITTING))
        return attrs


def council_of_code(code: str) -> Council:
    council = Council.objects.filter(code=code).first()
    if council is None:
        raise serializers.ValidationError(
            str(_("Không tìm thấy HĐND có mã “%(code)s”.")) % {"code": code}
        )
    return council


class AsOfQuery(Input):
    """A report's figures as of a day (today by default, never later), of one council or of
    all the user's."""

    as_of = Date(required=False, help_text="Mặc định: hôm nay; không được sau hôm nay")
    council = Code(required=False, help_text="Mã HĐND")

    def validate_as_of(self, day: datetime.date) -> datetime.date:
        if day > timezone.localdate():
            raise serializers.ValidationError(str(_("Ngày tính số liệu không được sau hôm nay.")))
        return day

    def validate_council(self, code: str) -> Council:
        return council_of_code(code)


class ResultsQuery(AsOfQuery):
    """`GET /api/v1/reports/results/`: the day, and the same filters as Report A."""

    committee = Code(required=False, help_text="Mã Ban theo dõi")
    period_from = Date(required=False, help_text="Kiến nghị giao từ ngày")
    period_to = Date(required=False, help_text="Kiến nghị giao đến ngày")

    def validate_committee(self, code: str) -> Committee:
        committee = Committee.objects.filter(code=code).first()
        if committee is None:
            raise serializers.ValidationError(_unknown_committee(code))
        return committee

    def validate(self, attrs: dict) -> dict:
        start, end = attrs.get("period_from"), attrs.get("period_to")
        if start and end and start > end:
            raise serializers.ValidationError(
                {"period_to": [str(_("Kỳ báo cáo: ngày bắt đầu phải trước ngày kết thúc."))]}
            )
        council, committee = attrs.get("council"), attrs.get("committee")
        if council and committee and committee.council_id != council.pk:
            raise serializers.ValidationError(
                {
                    "committee": [
                        str(_("Ban “%(code)s” không thuộc HĐND đã chọn."))
                        % {"code": committee.code}
                    ]
                }
            )
        attrs.setdefault("as_of", timezone.localdate())
        return attrs


class DecisionIn(Input):
    """`POST /api/v1/cases/{id}/decision/`: the Standing Committee's decision."""

    decision = Choice(
        choices=Decision.choices,
        help_text=(
            "keep_urging (với until), explanation_session, questioning (với sitting), "
            "re_supervision, sitting_report"
        ),
    )
    sitting = Integer(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=2**63 - 1,  # PostgreSQL's bigint
        help_text="Id kỳ họp của HĐND",
    )
    until = Date(
        required=False,
        allow_null=True,
        default=None,
        help_text="Thời hạn mới khi tiếp tục đôn đốc (YYYY-MM-DD)",
    )
    note = Text(required=False, allow_blank=True, default="")

    def validate_sitting(self, pk: int | None) -> Sitting | None:
        if pk is None:
            return None
        sitting = Sitting.objects.filter(pk=pk).first()
        if sitting is None:
            raise serializers.ValidationError(
                str(_("Không tìm thấy kỳ họp có id %(id)s.")) % {"id": pk}
            )
        return sitting


class SuccessionInput(Input):
    """`POST /api/v1/successions/` (and `…/preview/`): from a day, these councils or agencies
    continue as that one. `from` is declared below: it is a Python keyword."""

    kind = Choice(choices=Succession.Kind.choices, help_text="council | agency")
    to = Code(help_text="Mã đơn vị kế thừa")
    on = Date(help_text="Ngày bắt đầu kế thừa (YYYY-MM-DD), không sau hôm nay")
    basis = Text(
        required=False,
        allow_blank=True,
        default="",
        max_length=rules.BASIS,
        help_text="Căn cứ, ví dụ “Nghị quyết 202/2025/QH15”",
    )
    carry_memberships = serializers.BooleanField(
        required=False, default=False, help_text="Chuyển các thành viên sang đơn vị kế thừa"
    )


SuccessionInput._declared_fields["from"] = CodeList(
    min_length=1, help_text="Mã các đơn vị trước sáp nhập"
)
