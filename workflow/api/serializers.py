"""What the API reads (inputs: shape, types and limits only; the services decide the rest) and
what it writes back (cases, notices, events, extensions, figures)."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from conclusions.deadline_spec import MAX_DAYS
from conclusions.models import Committee, ConclusionNotice, Council, SourceKind
from workflow.api.fields import (
    Choice,
    Code,
    CodeList,
    Date,
    EvidenceFile,
    EvidenceList,
    Input,
    Integer,
    Password,
    Text,
)
from workflow.models import Case, CaseEvent, CaseState, Evidence, Extension, Outcome
from workflow.selectors import deadline_explanation
from workflow.transitions import actions_for

ONE_RULE = _("Chọn đúng một cách tính thời hạn: date, working_days hoặc calendar_days.")

# ---------------------------------------------------------------------------- inputs


class TokenInput(Input):
    username = Text(max_length=150)
    password = Password()


class DeadlineInput(Input):
    """{"date": "YYYY-MM-DD"}, {"working_days": N} or {"calendar_days": N}."""

    date = Date(required=False)
    working_days = Integer(required=False, min_value=1, max_value=MAX_DAYS)
    calendar_days = Integer(required=False, min_value=1, max_value=MAX_DAYS)

    def validate(self, attrs: dict) -> dict:
        if len(attrs) != 1:
            raise serializers.ValidationError(str(ONE_RULE))
        return attrs


class RecommendationIn(Input):
    anchor = Text(max_length=30, help_text="Ví dụ: II.1.b")
    text = Text()
    lead_agencies = CodeList(allow_empty=False)
    coordinating_agencies = CodeList(required=False, default=list)
    accountable = Code(required=False, allow_blank=True, default="")
    tracking_committee = Code(
        required=False, allow_blank=True, default="", help_text="Mặc định: Ban theo dõi thông báo"
    )
    deadline = DeadlineInput(required=False, allow_null=True, default=None)


class NoticeIn(Input):
    number = Text(max_length=60, help_text="Ví dụ: 15/TB-HĐND")
    issue_date = Date()
    title = Text(max_length=500)
    signer = Text(max_length=200, required=False, allow_blank=True, default="")
    source_kind = Choice(choices=SourceKind.choices)
    tracking_committee = Code()
    recommendations = RecommendationIn(many=True, allow_empty=False, max_length=200)

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
    letter_number = Text(max_length=60, required=False, allow_blank=True, default="")
    letter_date = Date(required=False, allow_null=True, default=None)
    evidence = EvidenceList(
        child=EvidenceFile(max_length=255),
        required=False,
        default=list,
        max_length=settings.DONDOC_EVIDENCE_MAX_FILES,
        help_text="Tệp minh chứng (multipart/form-data), lặp lại trường cho mỗi tệp",
    )


class ExtensionRequestIn(Input):
    requested_until = Date()
    reason = Text()
    letter_number = Text(max_length=60, required=False, allow_blank=True, default="")


class ExtensionApproveIn(Input):
    approved_until = Date(
        required=False, allow_null=True, default=None, help_text="Mặc định: ngày cơ quan đề nghị"
    )
    note = Text(required=False, allow_blank=True, default="")


class DeadlineQuery(Input):
    start = Date()
    working_days = Integer(required=False, min_value=0, max_value=MAX_DAYS)
    calendar_days = Integer(required=False, min_value=0, max_value=MAX_DAYS)
    council = Code(required=False, help_text="Mã HĐND, để tính cả ngày nghỉ riêng của địa phương")

    def validate_council(self, code: str) -> int:
        council_id = Council.objects.filter(code=code).values_list("pk", flat=True).first()
        if council_id is None:
            raise serializers.ValidationError(
                str(_("Không tìm thấy HĐND có mã “%(code)s”.")) % {"code": code}
            )
        return council_id

    def validate(self, attrs: dict) -> dict:
        if ("working_days" in attrs) == ("calendar_days" in attrs):
            raise serializers.ValidationError(
                str(_("Chọn đúng một trong hai: working_days hoặc calendar_days."))
            )
        return attrs


# ---------------------------------------------------------------------------- outputs


class BodyRef(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class NoticeRef(serializers.ModelSerializer):
    class Meta:
        model = ConclusionNotice
        fields = ["id", "number", "issue_date"]


class CaseSerializer(serializers.ModelSerializer):
    notice = NoticeRef(read_only=True)
    anchor = serializers.CharField(source="recommendation.anchor", read_only=True)
    text = serializers.CharField(source="recommendation.text", read_only=True)
    agency = BodyRef(read_only=True)
    committee = BodyRef(read_only=True)
    coordinating_agencies = BodyRef(many=True, read_only=True)
    state = serializers.ChoiceField(choices=CaseState.choices, read_only=True)
    outcome = serializers.ChoiceField(choices=[("", ""), *Outcome.choices], read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "notice",
            "anchor",
            "text",
            "agency",
            "committee",
            "coordinating_agencies",
            "state",
            "outcome",
            "deadline",
            "original_deadline",
            "is_overdue",
            "escalation_level",
            "extension_pending",
            "opened_at",
            "updated_at",
            "closed_at",
        ]
        read_only_fields = fields


class EvidenceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "original_name", "size", "url"]

    def get_url(self, evidence: Evidence) -> str:
        path = reverse("api:evidence", args=[evidence.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    author = serializers.CharField(source="author.username", read_only=True)
    text = serializers.CharField(read_only=True)
    letter_number = serializers.CharField(read_only=True)
    letter_date = serializers.DateField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)


class ExtensionSerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="case_id", read_only=True)
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.username", read_only=True, allow_null=True
    )

    class Meta:
        model = Extension
        fields = [
            "id",
            "case",
            "status",
            "requested_by",
            "requested_at",
            "requested_until",
            "reason",
            "letter_number",
            "deadline_at_request",
            "decided_by",
            "decided_at",
            "approved_until",
            "decision_note",
        ]
        read_only_fields = fields


class Bilingual(serializers.Serializer):
    vi = serializers.CharField()
    en = serializers.CharField()


class CaseDetailSerializer(CaseSerializer):
    council = BodyRef(read_only=True)
    deadline_explanation = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    reports = ReportSerializer(many=True, read_only=True)
    extensions = ExtensionSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "council",
            "deadline_explanation",
            "actions",
            "reports",
            "extensions",
        ]
        read_only_fields = fields

    @extend_schema_field(Bilingual)
    def get_deadline_explanation(self, case: Case) -> dict[str, str]:
        return {language: deadline_explanation(case, language) for language in ("vi", "en")}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, case: Case) -> list[str]:
        """What this user may do now: start, report, return, close, reopen."""
        return actions_for(case, self.context["request"].user)


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True, allow_null=True)
    data = serializers.DictField(read_only=True)

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "kind",
            "actor",
            "created_at",
            "from_state",
            "to_state",
            "note",
            "data",
            "level",
            "cycle",
        ]
        read_only_fields = fields


class NoticeSerializer(serializers.ModelSerializer):
    council = BodyRef(read_only=True)
    tracking_committee = BodyRef(read_only=True)

    class Meta:
        model = ConclusionNotice
        fields = [
            "id",
            "council",
            "number",
            "issue_date",
            "title",
            "signer",
            "source_kind",
            "status",
            "tracking_committee",
            "created_at",
        ]
        read_only_fields = fields


class NoticeDetailSerializer(NoticeSerializer):
    cases = serializers.SerializerMethodField()

    class Meta(NoticeSerializer.Meta):
        fields = [*NoticeSerializer.Meta.fields, "cases"]
        read_only_fields = fields

    @extend_schema_field(CaseSerializer(many=True))
    def get_cases(self, notice: ConclusionNotice) -> list[dict]:
        """Only the cases this user may see (prefetched by the view as `visible_cases`)."""
        return CaseSerializer(notice.visible_cases, many=True, context=self.context).data


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()


class SkippedDay(serializers.Serializer):
    day = serializers.DateField()
    reason = serializers.CharField()
    reason_en = serializers.CharField()
    weekend = serializers.BooleanField()


class DeadlineResult(serializers.Serializer):
    due = serializers.DateField()
    rule = serializers.CharField()
    start = serializers.DateField()
    amount = serializers.IntegerField()
    moved_from = serializers.DateField(allow_null=True)
    explanation = SkippedDay(many=True)
    summary = serializers.CharField()
    summary_en = serializers.CharField()


class Figures(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    total = serializers.IntegerField()
    open = serializers.IntegerField()
    closed = serializers.IntegerField()
    overdue = serializers.IntegerField()


class OverdueReport(serializers.Serializer):
    as_of = serializers.DateField()
    by_committee = Figures(many=True)
    by_agency = Figures(many=True)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Tiếng Việt")
    detail_en = serializers.CharField(help_text="English")
    code = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )
    errors_en = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )
