"""Resolutions, evaluations, programmes and hotline questions (issue #13): thin views over
resolutions.services and resolutions.selectors. A department sees only what is addressed to
it; callers' name and phone only the council's office."""

from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import validated
from api.fields import Choice, Code, CodeList, Date, Input, Text
from api.inputs import AsOfQuery, DeadlineInput, deadline_parts
from api.parsers import JSONParser
from api.views.common import ID
from conclusions import rules
from conclusions.models import Agency, Committee
from conclusions.services import refusal
from resolutions.documents import effect_sentence
from resolutions.figures import resolution_figures
from resolutions.models import (
    Effect,
    Evaluation,
    HotlineQuestion,
    ImplementationItem,
    Programme,
    Resolution,
)
from resolutions.selectors import (
    may_see_callers,
    programmes_visible_to,
    questions_visible_to,
    resolutions_visible_to,
)
from resolutions.services import (
    ItemInput,
    evaluation_record,
    programme_create,
    programme_notice,
    question_add,
    resolution_register,
)
from workflow.errors import CaseNotFound
from workflow.models import Case, CaseState
from workflow.selectors import cases_visible_to

# ------------------------------------------------------------------------------- inputs


class ItemIn(Input):
    kind = Choice(choices=ImplementationItem.Kind.choices)
    text = Text()
    lead_agency = Code(required=False, allow_blank=True, default="")
    deadline = DeadlineInput(required=False, allow_null=True, default=None)


class ResolutionIn(Input):
    number = Text(max_length=rules.NUMBER, help_text="Ví dụ: 16/NQ-HĐND")
    date = Date(help_text="Ngày ban hành")
    title = Text(max_length=rules.TITLE)
    kind = Choice(choices=Resolution.Kind.choices)
    field = Text(max_length=100, help_text="Lĩnh vực, ví dụ “Lao động, việc làm”")
    lead_agency = Code(help_text="Mã cơ quan chủ trì tổ chức thực hiện")
    committee = Code(required=False, allow_blank=True, default="", help_text="Mã Ban theo dõi")
    in_force_from = Date()
    in_force_to = Date(required=False, allow_null=True, default=None)
    status = Choice(choices=Resolution.Status.choices, required=False)
    amends = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**62)
    replaces = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**62
    )
    items = ItemIn(many=True, required=False, default=list, max_length=rules.RECOMMENDATIONS)


class EvaluationIn(Input):
    as_of = Date()
    effect = Choice(choices=Effect.choices)
    note = Text(required=False, allow_blank=True, default="")


class ProgrammeIn(Input):
    committee = Code(help_text="Mã Ban phụ trách chương trình")
    date = Date(help_text="Ngày phát sóng")
    topic = Text(max_length=rules.TITLE)
    agencies = CodeList(required=False, default=list)


class QuestionIn(Input):
    received_at = serializers.DateTimeField()
    question = Text()
    locality = Text(max_length=200, required=False, allow_blank=True, default="")
    answered_live = serializers.BooleanField(required=False, default=False)
    agency = Code(required=False, allow_blank=True, default="")
    caller_consent = serializers.BooleanField(required=False, default=False)
    caller_name = Text(max_length=200, required=False, allow_blank=True, default="")
    caller_phone = Text(max_length=20, required=False, allow_blank=True, default="")


class ProgrammeNoticeIn(Input):
    number = Text(max_length=rules.NUMBER, required=False, allow_blank=True, default="")
    issue_date = Date(required=False, allow_null=True, default=None)
    title = Text(max_length=rules.TITLE, required=False, allow_blank=True, default="")
    deadline = DeadlineInput(required=False, allow_null=True, default=None)


class ResolutionsQuery(AsOfQuery):
    """`GET /api/v1/reports/resolutions/`: Report D as of a day."""


# ------------------------------------------------------------------------------ answers


class CaseBrief(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code", read_only=True)
    anchor = serializers.CharField(source="recommendation.anchor", read_only=True)
    text = serializers.CharField(source="recommendation.text", read_only=True)

    class Meta:
        model = Case
        fields = ["id", "anchor", "text", "agency", "state", "outcome", "deadline"]


class EvaluationOut(serializers.ModelSerializer):
    evaluated_by = serializers.CharField(source="evaluated_by.username", read_only=True)

    class Meta:
        model = Evaluation
        fields = ["id", "as_of", "effect", "note", "evaluated_by", "created_at"]


class ResolutionOut(serializers.ModelSerializer):
    council = serializers.CharField(source="council.code", read_only=True)
    date = serializers.DateField(source="adopted_on", read_only=True)
    field = serializers.CharField(source="sector", read_only=True)
    lead_agency = serializers.CharField(source="lead_agency.code", read_only=True)
    committee = serializers.SerializerMethodField()

    class Meta:
        model = Resolution
        fields = [
            "id",
            "council",
            "number",
            "date",
            "title",
            "kind",
            "field",
            "lead_agency",
            "committee",
            "in_force_from",
            "in_force_to",
            "status",
            "amends",
            "replaces",
            "notice",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_committee(self, resolution: Resolution) -> str | None:
        return resolution.committee.code if resolution.committee else None


class ImplementationOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ImplementationItem.Kind.choices)
    cases = CaseBrief(many=True)


class ResolutionDetailOut(ResolutionOut):
    amended_by = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    replaced_by = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    implementation = serializers.SerializerMethodField()
    evaluations = EvaluationOut(many=True, read_only=True)
    lacking_documents = serializers.SerializerMethodField()

    class Meta(ResolutionOut.Meta):
        fields = [
            *ResolutionOut.Meta.fields,
            "amended_by",
            "replaced_by",
            "implementation",
            "evaluations",
            "lacking_documents",
        ]

    @extend_schema_field(ImplementationOut(many=True))
    def get_implementation(self, resolution: Resolution) -> list[dict]:
        """The implementation items whose cases the reader may see, each with its cases."""
        visible = cases_visible_to(self.context["request"].user).select_related(
            "agency", "recommendation"
        )
        rows = []
        for item in resolution.items.all():
            cases = [c for c in visible.filter(recommendation_id=item.recommendation_id)]
            if cases:
                rows.append({"kind": item.kind, "cases": CaseBrief(cases, many=True).data})
        return rows

    @extend_schema_field(serializers.BooleanField())
    def get_lacking_documents(self, resolution: Resolution) -> bool:
        """No implementing document listed, or none of them closed as issued yet."""
        return not Case.objects.filter(
            recommendation__resolution_item__resolution=resolution,
            recommendation__resolution_item__kind=ImplementationItem.Kind.DOCUMENT,
            state=CaseState.CLOSED,
            outcome__in=["implemented", "partially"],
        ).exists()


class QuestionOut(serializers.ModelSerializer):
    question = serializers.CharField(source="text", read_only=True)
    agency = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField()
    caller_name = serializers.SerializerMethodField()
    caller_phone = serializers.SerializerMethodField()

    class Meta:
        model = HotlineQuestion
        fields = [
            "id",
            "programme",
            "received_at",
            "locality",
            "question",
            "answered_live",
            "agency",
            "status",
            "case",
            "caller_consent",
            "caller_name",
            "caller_phone",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_agency(self, question) -> str | None:
        return question.agency.code if question.agency else None

    def _case(self, question) -> Case | None:
        """The question's case (one: one recommendation to one agency), read with the
        questions (`recommendation__cases` prefetched) when the list is built."""
        if not question.recommendation_id:
            return None
        return next(iter(question.recommendation.cases.all()), None)

    @extend_schema_field(
        serializers.ChoiceField(
            choices=["answered_live", "not_forwarded", "in_draft_notice", "open", "answered_later"]
        )
    )
    def get_status(self, question) -> str:
        if question.answered_live:
            return "answered_live"
        if not question.recommendation_id:
            return "not_forwarded"
        case = self._case(question)
        if case is None:
            return "in_draft_notice"
        return "answered_later" if case.state == CaseState.CLOSED else "open"

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_case(self, question) -> int | None:
        case = self._case(question)
        return case.pk if case else None

    def _office(self, question) -> bool:
        return may_see_callers(self.context["request"].user, question.programme.council_id)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_caller_name(self, question) -> str | None:
        """Only for the council's office; null for everyone else."""
        return question.caller_name if self._office(question) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_caller_phone(self, question) -> str | None:
        return question.caller_phone if self._office(question) else None


class ProgrammeOut(serializers.ModelSerializer):
    council = serializers.CharField(source="council.code", read_only=True)
    committee = serializers.CharField(source="committee.code", read_only=True)
    date = serializers.DateField(source="aired_on", read_only=True)
    agencies = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    questions = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = ["id", "council", "committee", "date", "topic", "agencies", "notice", "questions"]

    @extend_schema_field(QuestionOut(many=True))
    def get_questions(self, programme) -> list[dict]:
        """The questions the reader may see: a department only those named to it."""
        user = self.context["request"].user
        rows = (
            questions_visible_to(user)
            .filter(programme=programme)
            .select_related("agency", "programme", "recommendation")
            .prefetch_related("recommendation__cases")
        )
        return QuestionOut(rows, many=True, context=self.context).data


class RecommendationBrief(serializers.Serializer):
    anchor = serializers.CharField()
    text = serializers.CharField()
    question = serializers.IntegerField()
    agency = serializers.CharField()


class ProgrammeNoticeOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    issue_date = serializers.DateField()
    status = serializers.CharField()
    recommendations = RecommendationBrief(many=True)


class EffectCounts(serializers.Serializer):
    concrete = serializers.IntegerField()
    unclear = serializers.IntegerField()
    none = serializers.IntegerField()
    not_evaluated = serializers.IntegerField()


class ResolutionsReportOut(serializers.Serializer):
    as_of = serializers.DateField()
    in_force = serializers.IntegerField()
    effect = EffectCounts()
    sentence = serializers.CharField()
    sentence_en = serializers.CharField()
    by_kind = serializers.DictField(child=serializers.IntegerField())
    by_sector = serializers.ListField(child=serializers.DictField())
    resolutions = serializers.ListField(child=serializers.DictField())
    lacking_documents = serializers.ListField(child=serializers.DictField())
    overdue_reports = serializers.ListField(child=serializers.DictField())


# -------------------------------------------------------------------------------- views


def _related(pk, user_scope, message):
    if pk is None:
        return None
    found = user_scope.filter(pk=pk).first()
    if found is None:
        raise CaseNotFound(message)
    return found


class ResolutionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The council's resolution register; a department sees the resolutions addressed to it."""

    lookup_value_regex = ID
    parser_classes = [JSONParser]

    def get_queryset(self):
        return (
            resolutions_visible_to(self.request.user)
            .select_related("council", "lead_agency", "committee")
            .order_by("-adopted_on", "-id")
        )

    def get_serializer_class(self):
        return ResolutionOut if self.action == "list" else ResolutionDetailOut

    def get_object(self) -> Resolution:
        try:
            return super().get_object()
        except Http404:
            raise CaseNotFound(_("Không tìm thấy nghị quyết.")) from None

    @extend_schema(request=ResolutionIn, responses={201: ResolutionDetailOut})
    def create(self, request):
        """Enter a resolution in the register (Standing Committee or office), with the
        implementing documents and periodic reports it calls for, whose cases open at once."""
        data = validated(ResolutionIn, request)
        agency = Agency.objects.filter(code=data["lead_agency"]).first()
        if agency is None:
            raise refusal(
                _("Không tìm thấy cơ quan có mã: %(codes)s."),
                field="lead_agency",
                codes=data["lead_agency"],
            )
        council = agency.council
        scope = Resolution.objects.filter(council=council)
        missing = _("Không tìm thấy nghị quyết được liên kết.")
        with transaction.atomic():
            resolution = resolution_register(
                council=council,
                number=data["number"],
                adopted_on=data["date"],
                title=data["title"],
                kind=data["kind"],
                sector=data["field"],
                lead_agency_code=agency.code,
                committee=_committee(council, data["committee"]),
                in_force_from=data["in_force_from"],
                in_force_to=data["in_force_to"],
                status=data.get("status") or Resolution.Status.IN_FORCE,
                amends=_related(data.get("amends"), scope, missing),
                replaces=_related(data.get("replaces"), scope, missing),
                items=[_item(item) for item in data["items"]],
                actor=request.user,
            )
        self.kwargs[self.lookup_field] = resolution.pk
        self.action = "retrieve"
        return Response(self.get_serializer(self.get_object()).data, status.HTTP_201_CREATED)

    @extend_schema(request=EvaluationIn, responses={201: EvaluationOut})
    @action(detail=True, methods=["post"])
    def evaluations(self, request, pk=None):
        """The effect class as of a day: `concrete`, `unclear` or `none`, with why."""
        resolution = self.get_object()
        data = validated(EvaluationIn, request)
        evaluation = evaluation_record(resolution=resolution, actor=request.user, **data)
        return Response(EvaluationOut(evaluation).data, status.HTTP_201_CREATED)


def _committee(council, code: str) -> Committee | None:
    """The council's committee of that code ("" for none); an unknown one is a 400."""
    if not code:
        return None
    committee = Committee.objects.filter(council=council, code=code).first()
    if committee is None:
        raise refusal(_("Không tìm thấy Ban có mã “%(code)s”."), field="committee", code=code)
    return committee


def _item(item: dict) -> ItemInput:
    deadline, spec = deadline_parts(item["deadline"])
    return ItemInput(
        kind=item["kind"],
        text=item["text"],
        lead_agency_code=item["lead_agency"],
        deadline=deadline,
        deadline_spec=spec,
    )


class ProgrammeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """ "Lắng nghe và Trao đổi" episodes and their hotline questions."""

    lookup_value_regex = ID
    parser_classes = [JSONParser]
    serializer_class = ProgrammeOut

    def get_queryset(self):
        return (
            programmes_visible_to(self.request.user)
            .select_related("council", "committee")
            .prefetch_related("agencies")
            .order_by("-aired_on", "-id")
        )

    def get_object(self) -> Programme:
        try:
            return super().get_object()
        except Http404:
            raise CaseNotFound(_("Không tìm thấy chương trình.")) from None

    @extend_schema(request=ProgrammeIn, responses={201: ProgrammeOut})
    def create(self, request):
        data = validated(ProgrammeIn, request)
        committee = Committee.objects.select_related("council").filter(code=data["committee"])
        if not committee.exists():
            raise refusal(
                _("Không tìm thấy Ban có mã “%(code)s”."),
                field="committee",
                code=data["committee"],
            )
        programme = programme_create(
            committee=committee.get(),
            aired_on=data["date"],
            topic=data["topic"],
            agency_codes=data["agencies"],
            actor=request.user,
        )
        return Response(self._answer(programme), status.HTTP_201_CREATED)

    @extend_schema(request=QuestionIn, responses={201: QuestionOut})
    @action(detail=True, methods=["post"])
    def questions(self, request, pk=None):
        """A hotline question; the caller's name and phone only with `caller_consent`."""
        programme = self.get_object()
        data = validated(QuestionIn, request)
        question = question_add(
            programme=programme,
            received_at=data["received_at"],
            text=data["question"],
            locality=data["locality"],
            answered_live=data["answered_live"],
            agency_code=data["agency"],
            caller_consent=data["caller_consent"],
            caller_name=data["caller_name"],
            caller_phone=data["caller_phone"],
            actor=request.user,
        )
        body = QuestionOut(question, context={"request": request}).data
        return Response(body, status.HTTP_201_CREATED)

    @extend_schema(request=ProgrammeNoticeIn, responses={201: ProgrammeNoticeOut})
    @action(detail=True, methods=["post"])
    def notice(self, request, pk=None):
        """The questions not answered live become a DRAFT conclusion notice (one
        recommendation per question, to the agency named), for the intake's check, approval
        and issue; once it is issued, later questions are added to it, their cases opened."""
        programme = self.get_object()
        data = validated(ProgrammeNoticeIn, request)
        deadline, spec = deadline_parts(data["deadline"])
        with transaction.atomic():
            notice = programme_notice(
                programme=programme,
                number=data["number"],
                issue_date=data["issue_date"],
                title=data["title"],
                deadline=deadline,
                deadline_spec=spec,
                actor=request.user,
            )
        questions = HotlineQuestion.objects.filter(
            programme=programme, recommendation__notice=notice
        )
        body = {
            "id": notice.pk,
            "number": notice.number,
            "issue_date": notice.issue_date,
            "status": notice.status,
            "recommendations": [
                {
                    "anchor": q.recommendation.anchor,
                    "text": q.recommendation.text,
                    "question": q.pk,
                    "agency": q.agency.code,
                }
                for q in questions.select_related("recommendation", "agency").order_by(
                    "recommendation__position"
                )
            ],
        }
        return Response(ProgrammeNoticeOut(body).data, status.HTTP_201_CREATED)

    def _answer(self, programme) -> dict:
        self.kwargs[self.lookup_field] = programme.pk
        return ProgrammeOut(self.get_object(), context={"request": self.request}).data


class ResolutionsReportView(APIView):
    """Report D's figures as of a day over the resolutions and implementation cases the user
    may see: in force by kind and field, by effect class (the latest evaluation on or before
    the day), those lacking implementing documents, overdue periodic reports."""

    @extend_schema(parameters=[ResolutionsQuery], responses=ResolutionsReportOut, tags=["reports"])
    def get(self, request):
        query = validated(ResolutionsQuery, request, data=request.query_params)
        day = query.get("as_of") or timezone.localdate()
        resolutions = resolutions_visible_to(request.user)
        cases = cases_visible_to(request.user)
        if query.get("council"):
            resolutions = resolutions.filter(council=query["council"])
            cases = cases.filter(council=query["council"])
        figures = resolution_figures(resolutions, cases, day)
        with translation.override("vi"):
            vi = effect_sentence(figures)
        with translation.override("en"):
            en = effect_sentence(figures)
        return Response(ResolutionsReportOut(figures | {"sentence": vi, "sentence_en": en}).data)
