"""What the API answers: cases, notices, events, extensions, figures, and its errors."""

from django.urls import reverse
from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.utils.serializer_helpers import BindingDict

from api.fields import made_again
from conclusions.models import ConclusionNotice
from workflow.decisions import case_decisions, may_decide
from workflow.models import (
    Case,
    CaseEvent,
    CaseState,
    Decision,
    Evidence,
    Extension,
    Outcome,
    SelfAssessment,
)
from workflow.selectors import deadline_explanation
from workflow.transitions import actions_for

_PLAIN_FIELDS = frozenset(
    {
        serializers.BooleanField,
        serializers.CharField,
        serializers.ChoiceField,
        serializers.DateField,
        serializers.DateTimeField,
        serializers.IntegerField,
    }
)


def _shared(field: serializers.Field) -> bool:
    """Whether one bound `field` may serve every serializer of its class: a plain read-only
    field reads the instance by its `source` and formats the value, and never looks at its
    serializer (`parent`) or the request (`context`); a method field and a nested serializer
    do, so each serializer has its own."""
    return field.read_only and type(field) in _PLAIN_FIELDS and field.default is serializers.empty


class _FieldsBoundOnce:
    # DRF builds, copies and binds every field of every serializer it makes, nested ones
    # too: a fifth of a transition's processor time, for fields that are the same each time.
    # They are built and bound once per class, and a serializer shares those it may
    # (`_shared`) and makes the rest again. (A comment: a docstring here would describe every
    # schema component built on it.)

    @cached_property
    def fields(self) -> BindingDict:
        fields = BindingDict(self)
        for name, field in _bound_once(type(self)).items():
            if _shared(field):
                fields.fields[name] = field  # already bound: by its name, from its class
            else:
                fields[name] = made_again(field)
        return fields


def _bound_once(cls) -> BindingDict:
    bound = cls.__dict__.get("_bound_fields")
    if bound is None:
        bound = cls._bound_fields = super(_FieldsBoundOnce, cls()).fields
    return bound


class Serializer(_FieldsBoundOnce, serializers.Serializer):
    pass


class ModelSerializer(_FieldsBoundOnce, serializers.ModelSerializer):
    pass


class BodyRef(Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class NoticeRef(ModelSerializer):
    class Meta:
        model = ConclusionNotice
        fields = ["id", "number", "issue_date"]


class CaseSerializer(ModelSerializer):
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


class EvidenceSerializer(ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "original_name", "size", "url"]

    def get_url(self, evidence: Evidence) -> str:
        path = reverse("api:evidence", args=[evidence.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ReportSerializer(Serializer):
    id = serializers.IntegerField(read_only=True)
    author = serializers.CharField(source="author.username", read_only=True)
    text = serializers.CharField(read_only=True)
    letter_number = serializers.CharField(read_only=True)
    letter_date = serializers.DateField(read_only=True, allow_null=True)
    self_assessment = serializers.ChoiceField(
        choices=[("", ""), *SelfAssessment.choices], read_only=True
    )
    created_at = serializers.DateTimeField(read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)


class ExtensionSerializer(ModelSerializer):
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


class DecisionSerializer(Serializer):
    """A decision of the Standing Committee, as its event recorded it."""

    id = serializers.IntegerField(read_only=True)
    case = serializers.IntegerField(source="case_id", read_only=True)
    decision = serializers.ChoiceField(
        source="data.decision", choices=Decision.choices, read_only=True
    )
    sitting = serializers.IntegerField(source="data.sitting", read_only=True, allow_null=True)
    sitting_name = serializers.CharField(source="data.sitting_name", read_only=True)
    until = serializers.DateField(source="data.until", read_only=True, allow_null=True)
    note = serializers.CharField(read_only=True)
    level = serializers.IntegerField(source="data.level", read_only=True)
    decided_by = serializers.CharField(source="actor.username", read_only=True, allow_null=True)
    decided_at = serializers.DateTimeField(source="created_at", read_only=True)


class Bilingual(serializers.Serializer):
    vi = serializers.CharField()
    en = serializers.CharField()


class CaseDetailSerializer(CaseSerializer):
    council = BodyRef(read_only=True)
    deadline_explanation = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    reports = ReportSerializer(many=True, read_only=True)
    extensions = ExtensionSerializer(many=True, read_only=True)
    decision = serializers.ChoiceField(choices=[("", ""), *Decision.choices], read_only=True)
    decisions = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "council",
            "deadline_explanation",
            "actions",
            "reports",
            "extensions",
            "decision",
            "decision_until",
            "decisions",
        ]
        read_only_fields = fields

    @extend_schema_field(Bilingual)
    def get_deadline_explanation(self, case: Case) -> dict[str, str]:
        return {language: deadline_explanation(case, language) for language in ("vi", "en")}

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, case: Case) -> list[str]:
        """What this user may do now: start, report, return, close, reopen, decision."""
        user = self.context["request"].user
        return actions_for(case, user) + (["decision"] if may_decide(case, user) else [])

    @extend_schema_field(DecisionSerializer(many=True))
    def get_decisions(self, case: Case) -> list[dict]:
        """The Standing Committee's decisions on the case, newest first."""
        decisions = getattr(case, "decision_events", None)  # read by the view, if it did
        return DecisionSerializer(
            case_decisions(case) if decisions is None else decisions, many=True
        ).data


class EventSerializer(ModelSerializer):
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


class NoticeSerializer(ModelSerializer):
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


class NotificationSerializer(serializers.Serializer):
    """One in-app notification, worded in the recipient's language (the view composes it as
    `message`, the way the "Thông báo" page does)."""

    id = serializers.IntegerField(read_only=True)
    kind = serializers.CharField(
        source="message.kind", read_only=True, help_text="case.reported, case.escalated, …"
    )
    case = serializers.SerializerMethodField()
    title = serializers.CharField(source="message.title", read_only=True)
    text = serializers.CharField(source="message.body", read_only=True)
    link = serializers.CharField(
        source="message.link", read_only=True, help_text="Trang hồ sơ / the case page"
    )
    language = serializers.CharField(source="message.language", read_only=True)
    created = serializers.DateTimeField(source="created_at", read_only=True)
    read = serializers.SerializerMethodField()
    read_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def get_case(self, delivery) -> int | None:
        return delivery.event.case_id if delivery.event_id else None

    def get_read(self, delivery) -> bool:
        return delivery.read_at is not None


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
    """`due` is null for a deadline written as "thường xuyên" (none); `spec` is the rule as
    stored on a recommendation (conclusions.deadline_spec, or {"date": …}); `text` the words
    it was read from, when asked with `text`."""

    due = serializers.DateField(allow_null=True)
    rule = serializers.CharField()
    start = serializers.DateField()
    amount = serializers.IntegerField(allow_null=True)
    moved_from = serializers.DateField(allow_null=True)
    explanation = SkippedDay(many=True)
    summary = serializers.CharField()
    summary_en = serializers.CharField()
    spec = serializers.JSONField(allow_null=True)
    text = serializers.CharField(allow_blank=True)


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


class ResultsRow(serializers.Serializer):
    """One agency or committee in Report A's figures (workflow/definitions.py)."""

    code = serializers.CharField()
    name = serializers.CharField()
    total = serializers.IntegerField()
    done_on_time = serializers.IntegerField()
    done_late = serializers.IntegerField()
    partially = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    in_progress_overdue = serializers.IntegerField()
    awaiting_review = serializers.IntegerField()
    not_implemented = serializers.IntegerField()
    explained_or_roadmap = serializers.IntegerField()
    forwarded = serializers.IntegerField()
    due = serializers.IntegerField(help_text="Đã đến hạn: mẫu số của on_time_rate")
    due_done_on_time = serializers.IntegerField(help_text="Tử số của on_time_rate")
    on_time_rate = serializers.FloatField(allow_null=True, help_text="0..1; null nếu chưa đến hạn")
    claimed_done = serializers.IntegerField()
    verified_done = serializers.IntegerField()
    extensions_requested = serializers.IntegerField()
    extensions_approved = serializers.IntegerField()
    extensions_rejected = serializers.IntegerField()
    urgings = serializers.IntegerField()


class CommitteeResultsRow(ResultsRow):
    reviews_waiting = serializers.IntegerField()
    reviews_overdue = serializers.IntegerField()
    median_review_days = serializers.FloatField(
        allow_null=True, help_text="Ngày làm việc từ báo cáo đến khi Ban đóng hoặc trả lại"
    )


class ResultsTotals(CommitteeResultsRow):
    code = None
    name = None


class ResultsReport(serializers.Serializer):
    as_of = serializers.DateField()
    totals = ResultsTotals()
    by_agency = ResultsRow(many=True)
    by_committee = CommitteeResultsRow(many=True)
    definitions = serializers.DictField(child=Bilingual())


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
