"""What the petitions API reads and answers (shape, types and limits; petitions.services
decides the rest)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.fields import REQUIRED, Choice, Code, CodeList, Date, Input, Integer, Text
from api.serializers import BodyRef, NoticeRef
from conclusions import rules
from conclusions.deadline_spec import MAX_DAYS
from petitions.models import Competence, ForwardReason, Petition, PetitionRound, VoterMeeting
from petitions.outcomes import PetitionOutcome, petition_outcome
from workflow.models import Case, CaseState, Outcome

MAX_ID = 2**62
PLACE = 200  # a sitting's name, a locality, a field, a place, a deputies' group
ONE_ANSWER_RULE = _(
    "Chọn đúng một cách tính thời hạn trả lời: date, working_days hoặc calendar_days."
)


class Boolean(serializers.BooleanField):
    default_error_messages = REQUIRED | {"invalid": _("Chỉ nhận true hoặc false.")}


class AnswerRuleIn(Input):
    """{"date": "YYYY-MM-DD"}, {"working_days": N} or {"calendar_days": N}, counted from the
    day the round is opened."""

    date = Date(required=False)
    working_days = Integer(required=False, min_value=1, max_value=MAX_DAYS)
    calendar_days = Integer(required=False, min_value=1, max_value=MAX_DAYS)

    def validate(self, attrs: dict) -> dict:
        if len(attrs) != 1:
            raise serializers.ValidationError(str(ONE_ANSWER_RULE))
        return attrs


class MeetingIn(Input):
    date = Date(help_text="Ngày tiếp xúc cử tri")
    place = Text(max_length=PLACE)
    deputies_group = Text(max_length=PLACE, help_text="Tổ đại biểu")


class PetitionRoundIn(Input):
    council = Code(help_text="Mã HĐND")
    sitting_name = Text(max_length=PLACE, help_text="Ví dụ: Kỳ họp thứ 7")
    answer_deadline = AnswerRuleIn()
    meetings = MeetingIn(many=True, required=False, default=list, max_length=rules.RECOMMENDATIONS)


class PetitionIn(Input):
    round = Integer(min_value=1, max_value=MAX_ID, help_text="Số định danh (id) của đợt")
    text = Text()
    locality = Text(max_length=PLACE, help_text="Xã, phường")
    field = Text(max_length=PLACE, required=False, allow_blank=True, default="")
    committee = Code(help_text="Mã Ban theo dõi")
    competence = Choice(choices=Competence.choices)
    lead_agencies = CodeList(required=False, default=list)
    coordinating_agencies = CodeList(required=False, default=list)
    meetings = serializers.ListField(
        child=Integer(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=rules.CODES,
        help_text="Các buổi tiếp xúc cử tri của đợt (id)",
    )


class RepeatOfIn(Input):
    petition = Integer(
        min_value=1, max_value=MAX_ID, allow_null=True, help_text="Kiến nghị lần đầu; null: bỏ"
    )


class NotRepeatIn(Input):
    petition = Integer(
        min_value=1, max_value=MAX_ID, help_text="Kiến nghị được gợi ý nhưng là kiến nghị khác"
    )


class VerdictIn(Input):
    accepted = Boolean()
    note = Text(required=False, allow_blank=True, default="")


class RouteIn(Input):
    lead_agencies = CodeList(allow_empty=False)
    coordinating_agencies = CodeList(required=False, default=list)


class GradeIn(Input):
    case = Integer(min_value=1, max_value=MAX_ID, help_text="Hồ sơ của kiến nghị (id)")
    outcome = Choice(choices=PetitionOutcome.choices)
    note = Text(required=False, allow_blank=True, default="")


# ----------------------------------------------------------------------------- answers


class MeetingSerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="held_on", read_only=True)

    class Meta:
        model = VoterMeeting
        fields = ["id", "date", "place", "deputies_group"]


class PetitionRoundSerializer(serializers.ModelSerializer):
    council = BodyRef(read_only=True)
    notice = NoticeRef(read_only=True)
    answer_deadline = serializers.DictField(child=serializers.JSONField(), read_only=True)
    meetings = MeetingSerializer(many=True, read_only=True)

    class Meta:
        model = PetitionRound
        fields = [
            "id",
            "council",
            "sitting_name",
            "answer_deadline",
            "opened_on",
            "notice",
            "meetings",
        ]


class RoundRef(serializers.ModelSerializer):
    class Meta:
        model = PetitionRound
        fields = ["id", "sitting_name", "opened_on"]


class PetitionCaseSerializer(serializers.ModelSerializer):
    agency = BodyRef(read_only=True)
    state = serializers.ChoiceField(choices=CaseState.choices, read_only=True)
    outcome = serializers.ChoiceField(choices=[("", ""), *Outcome.choices], read_only=True)
    petition_outcome = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Case
        fields = ["id", "agency", "state", "outcome", "petition_outcome", "deadline", "is_overdue"]

    @extend_schema_field(serializers.ChoiceField(choices=[("", ""), *PetitionOutcome.choices]))
    def get_petition_outcome(self, case) -> str:
        return petition_outcome(case.outcome) if case.state == CaseState.CLOSED else ""


class VerdictSerializer(serializers.Serializer):
    accepted = serializers.BooleanField()
    note = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class SuggestionSerializer(serializers.Serializer):
    petition = serializers.IntegerField(source="petition.pk")
    round = serializers.IntegerField(source="petition.round_id")
    score = serializers.FloatField(help_text="0..1, càng lớn càng giống")
    sitting_name = serializers.CharField(source="petition.round.sitting_name")
    text = serializers.CharField(source="petition.text")


class PetitionSerializer(serializers.ModelSerializer):
    round = RoundRef(read_only=True)
    committee = BodyRef(read_only=True)
    competence = serializers.ChoiceField(choices=Competence.choices, read_only=True)
    times_raised = serializers.SerializerMethodField()
    verdict = serializers.SerializerMethodField()
    questioning_candidate = serializers.SerializerMethodField()
    commune_council = BodyRef(
        read_only=True,
        allow_null=True,
        help_text="HĐND cấp xã nhận kiến nghị thuộc thẩm quyền cấp xã (khi xác định được)",
    )
    forward_reason = serializers.ChoiceField(
        choices=[("", ""), *ForwardReason.choices],
        read_only=True,
        help_text="Vì sao kiến nghị cấp xã chỉ được ghi nhận đã chuyển, không mở hồ sơ",
    )

    class Meta:
        model = Petition
        fields = [
            "id",
            "round",
            "number",
            "text",
            "locality",
            "field",
            "committee",
            "competence",
            "repeat_of",
            "times_raised",
            "forwarded_to",
            "verdict",
            "questioning_candidate",
            "created_at",
            "commune_council",
            "forward_reason",
        ]

    def get_times_raised(self, petition) -> int:
        return self.context["raised"].get(petition.pk, 1)

    @extend_schema_field(VerdictSerializer(allow_null=True))
    def get_verdict(self, petition):
        if petition.accepted is None:
            return None
        return {
            "accepted": petition.accepted,
            "note": petition.verdict_note,
            "recorded_at": serializers.DateTimeField().to_representation(petition.verdict_at),
        }

    def get_questioning_candidate(self, petition) -> bool:
        return petition.accepted is False or self.get_times_raised(petition) >= 3


class PetitionDetailSerializer(PetitionSerializer):
    cases = serializers.SerializerMethodField()
    meetings = MeetingSerializer(many=True, read_only=True)
    repeat_suggestions = serializers.SerializerMethodField()

    class Meta(PetitionSerializer.Meta):
        fields = [*PetitionSerializer.Meta.fields, "meetings", "cases", "repeat_suggestions"]

    @extend_schema_field(PetitionCaseSerializer(many=True))
    def get_cases(self, petition):
        return PetitionCaseSerializer(self.context["cases"], many=True).data

    @extend_schema_field(SuggestionSerializer(many=True))
    def get_repeat_suggestions(self, petition):
        return SuggestionSerializer(self.context["suggestions"], many=True).data
