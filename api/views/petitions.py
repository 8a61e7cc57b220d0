"""Voter petitions: rounds, petitions entered with their suggested repeats, routing, grading,
confirmed repeats and the voters' verdicts. Reads through petitions.selectors, writes through
petitions.services; refusals as everywhere (api.errors)."""

import django_filters
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api import petitions as p
from api.errors import validated
from api.filters import Filters, IdFilter, TrueFalseFilter
from api.parsers import JSONParser
from api.views.common import ID
from conclusions.models import Committee, Council
from petitions.models import Petition, PetitionRound, VoterMeeting
from petitions.selectors import (
    may_register,
    petition_cases,
    petitions_visible_to,
    rounds_visible_to,
    times_raised,
)
from petitions.services import (
    MeetingInput,
    petition_grade,
    petition_mark_repeat,
    petition_register,
    petition_reject_repeat,
    petition_route,
    petition_suggestions,
    petition_verdict,
    round_open,
)
from workflow.errors import CaseNotFound


def _field_error(field: str, message) -> serializers.ValidationError:
    return serializers.ValidationError({field: [message]})


class PetitionRoundViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Rounds of petitions, one per sitting, of the councils the user sits in."""

    lookup_value_regex = ID
    parser_classes = [JSONParser]
    serializer_class = p.PetitionRoundSerializer

    def get_queryset(self):
        return (
            rounds_visible_to(self.request.user)
            .select_related("council", "notice")
            .prefetch_related("meetings")
            .order_by("-opened_on", "-id")
        )

    def get_object(self) -> PetitionRound:
        try:
            return super().get_object()
        except Http404:
            raise CaseNotFound(_("Không tìm thấy đợt kiến nghị.")) from None

    @extend_schema(request=p.PetitionRoundIn, responses={201: p.PetitionRoundSerializer})
    def create(self, request):
        """Open a round (the office or the Standing Committee): its carrier notice is
        registered and issued at once; routed petitions become its items."""
        data = validated(p.PetitionRoundIn, request)
        council = Council.objects.filter(code=data["council"]).first()
        if council is None:
            raise _field_error("council", _("Không tìm thấy HĐND có mã này."))
        rule = data["answer_deadline"]
        created = round_open(
            council=council,
            sitting_name=data["sitting_name"],
            answer_deadline=rule,
            actor=request.user,
            meetings=[
                MeetingInput(m["date"], m["place"], m["deputies_group"]) for m in data["meetings"]
            ],
        )
        self.kwargs[self.lookup_field] = created.pk
        return Response(self.get_serializer(self.get_object()).data, status.HTTP_201_CREATED)


class PetitionFilter(django_filters.FilterSet):
    round = IdFilter(field_name="round_id", help_text=_("Số định danh (id) của đợt"))
    repeats = TrueFalseFilter(
        method="filter_repeats",
        help_text=_("true: chỉ kiến nghị lặp lại (đã xác nhận); false: chỉ kiến nghị lần đầu"),
    )

    class Meta:
        model = Petition
        fields = ["round", "repeats"]

    def filter_repeats(self, queryset, name, value):
        return queryset.filter(repeat_of__isnull=not value)


class PetitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Petitions the user may see (as their cases: a department sees those routed to it)."""

    lookup_value_regex = ID
    parser_classes = [JSONParser]
    filter_backends = [Filters]
    filterset_class = PetitionFilter

    def get_queryset(self):
        return (
            petitions_visible_to(self.request.user)
            .select_related("round", "committee", "commune_council")
            .prefetch_related("meetings")
            .order_by("-round__opened_on", "round_id", "number")
        )

    def get_serializer_class(self):
        return p.PetitionSerializer if self.action == "list" else p.PetitionDetailSerializer

    def get_object(self) -> Petition:
        try:
            return super().get_object()
        except Http404:
            raise CaseNotFound(_("Không tìm thấy kiến nghị.")) from None

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = {**self.get_serializer_context(), "raised": times_raised(page)}
        data = p.PetitionSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        return Response(self._detail(self.get_object()))

    def _detail(self, petition: Petition, suggestions=None) -> dict:
        user = self.request.user
        if suggestions is None:
            may = may_register(user, petition.council_id)
            suggestions = petition_suggestions(petition) if may else []
        context = {
            **self.get_serializer_context(),
            "raised": times_raised([petition]),
            "cases": list(petition_cases(petition, user)),
            "suggestions": suggestions,
        }
        return p.PetitionDetailSerializer(petition, context=context).data

    @extend_schema(request=p.PetitionIn, responses={201: p.PetitionDetailSerializer})
    def create(self, request):
        """Enter a petition (the office or the Standing Committee); the answer lists the
        petitions of earlier sittings that seem to be the same, best first
        (`repeat_suggestions`). With `lead_agencies` a province petition is routed at once."""
        data = validated(p.PetitionIn, request)
        petition_round = rounds_visible_to(request.user).filter(pk=data["round"]).first()
        if petition_round is None:
            raise _field_error("round", _("Không tìm thấy đợt kiến nghị."))
        committee = Committee.objects.filter(
            code=data["committee"], council_id=petition_round.council_id
        ).first()
        if committee is None:
            raise _field_error("committee", _("Không tìm thấy Ban có mã này trong HĐND."))
        meetings = list(VoterMeeting.objects.filter(round=petition_round, pk__in=data["meetings"]))
        if len(meetings) != len(set(data["meetings"])):
            raise _field_error("meetings", _("Buổi tiếp xúc cử tri không thuộc đợt này."))
        registered = petition_register(
            round=petition_round,
            text=data["text"],
            locality=data["locality"],
            field=data["field"],
            committee=committee,
            competence=data["competence"],
            meetings=meetings,
            lead_agency_codes=data["lead_agencies"],
            coordinating_agency_codes=data["coordinating_agencies"],
            actor=request.user,
        )
        petition = self.get_queryset().get(pk=registered.petition.pk)
        return Response(self._detail(petition, registered.suggestions), status.HTTP_201_CREATED)

    @extend_schema(request=p.RepeatOfIn, responses=p.PetitionDetailSerializer)
    @action(detail=True, methods=["post"], url_path="repeat-of", url_name="repeat-of")
    def repeat_of(self, request, pk=None):
        """Confirm that the petition repeats one of an earlier sitting (`{"petition": id}`,
        linked to the first of its chain), or unlink it (`{"petition": null}`)."""
        petition = self.get_object()
        data = validated(p.RepeatOfIn, request)
        first = None
        if data["petition"] is not None:
            first = petitions_visible_to(request.user).filter(pk=data["petition"]).first()
            if first is None:
                raise _field_error("petition", _("Không tìm thấy kiến nghị."))
        petition_mark_repeat(petition=petition, actor=request.user, first=first)
        return Response(self._detail(self.get_object()))

    @extend_schema(request=p.NotRepeatIn, responses=p.PetitionDetailSerializer)
    @action(detail=True, methods=["post"], url_path="not-repeat-of", url_name="not-repeat-of")
    def not_repeat_of(self, request, pk=None):
        """Dismiss a suggested repeat (`{"petition": id}`): it is another matter and is not
        suggested for this petition again."""
        petition = self.get_object()
        data = validated(p.NotRepeatIn, request)
        candidate = petitions_visible_to(request.user).filter(pk=data["petition"]).first()
        if candidate is None:
            raise _field_error("petition", _("Không tìm thấy kiến nghị."))
        petition_reject_repeat(petition=petition, actor=request.user, candidate=candidate)
        return Response(self._detail(self.get_object()))

    @extend_schema(request=p.VerdictIn, responses=p.PetitionDetailSerializer)
    @action(detail=True, methods=["post"])
    def verdict(self, request, pk=None):
        """The voters' verdict on the answer, as the deputies' group reports it."""
        petition = self.get_object()
        data = validated(p.VerdictIn, request)
        petition_verdict(
            petition=petition, actor=request.user, accepted=data["accepted"], note=data["note"]
        )
        return Response(self._detail(self.get_object()))

    @extend_schema(request=p.RouteIn, responses=p.PetitionDetailSerializer)
    @action(detail=True, methods=["post"])
    def route(self, request, pk=None):
        """The lead (and coordinating) agencies the People's Committee named: one case each."""
        petition = self.get_object()
        data = validated(p.RouteIn, request)
        petition_route(
            petition=petition,
            actor=request.user,
            lead_agency_codes=data["lead_agencies"],
            coordinating_agency_codes=data["coordinating_agencies"],
        )
        return Response(self._detail(self.get_object()))

    @extend_schema(request=p.GradeIn, responses=p.PetitionDetailSerializer)
    @action(detail=True, methods=["post"])
    def grade(self, request, pk=None):
        """The committee grades an agency's answer: its case closes with that outcome."""
        petition = self.get_object()
        data = validated(p.GradeIn, request)
        case = petition_cases(petition, request.user).filter(pk=data["case"]).first()
        if case is None:
            raise CaseNotFound(_("Không tìm thấy hồ sơ."))
        petition_grade(
            petition=petition,
            case=case,
            actor=request.user,
            outcome=data["outcome"],
            note=data["note"],
        )
        return Response(self._detail(self.get_object()))
