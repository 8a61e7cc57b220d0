"""Cases, one POST per transition, and the decisions on extension requests."""

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api import inputs as i
from api import serializers as s
from api.errors import validated
from api.filters import CaseFilter, Filters, Ordering
from api.views.common import ID, _case_rows
from workflow.decisions import case_decide, check_may_decide
from workflow.errors import CaseNotFound
from workflow.extensions import extension_decide, extension_request
from workflow.models import Case, Extension, ProgressReport
from workflow.selectors import case_timeline, cases_visible_to
from workflow.services import ReportInput, case_transition
from workflow.transitions import Action


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Cases the user may see; one POST per transition."""

    lookup_value_regex = ID
    filter_backends = [Filters, Ordering]
    filterset_class = CaseFilter
    ordering_fields = ["deadline", "opened_at", "updated_at", "id"]
    ordering = ["deadline", "id"]

    def get_queryset(self):
        if self.action == "events":
            return cases_visible_to(self.request.user)
        cases = _case_rows(cases_visible_to(self.request.user))
        if self.action in ("list", "transition"):
            return cases
        reports = ProgressReport.objects.select_related("author").prefetch_related("evidence")
        extensions = Extension.objects.select_related("requested_by", "decided_by")
        return cases.select_related("council").prefetch_related(
            Prefetch("reports", reports), Prefetch("extensions", extensions)
        )

    def get_serializer_class(self):
        return s.CaseSerializer if self.action == "list" else s.CaseDetailSerializer

    def get_object(self) -> Case:
        try:
            return super().get_object()
        except Http404:
            raise CaseNotFound(_("Không tìm thấy hồ sơ.")) from None

    @extend_schema(responses=s.EventSerializer(many=True), filters=False)
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        """The case's timeline, oldest first."""
        case = self.get_object()
        page = self.paginate_queryset(case_timeline(case))
        return self.get_paginated_response(s.EventSerializer(page, many=True).data)

    @extend_schema(request=i.NoteIn, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """The lead agency starts work."""
        return self._move(Action.START, i.NoteIn)

    @extend_schema(request=i.ReportIn, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        """The lead agency reports its results, with its official letter and evidence files."""
        return self._move(Action.REPORT, i.ReportIn)

    @extend_schema(request=i.ReturnIn, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def send_back(self, request, pk=None):
        """The owning committee finds the report unsatisfactory and returns it."""
        return self._move(Action.RETURN, i.ReturnIn)

    @extend_schema(request=i.CloseIn, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """The owning committee accepts the report and closes the case with an outcome."""
        return self._move(Action.CLOSE, i.CloseIn)

    @extend_schema(request=i.NoteIn, responses=s.CaseDetailSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """The Standing Committee reopens a closed case."""
        return self._move(Action.REOPEN, i.NoteIn)

    @extend_schema(request=i.ExtensionRequestIn, responses={201: s.ExtensionSerializer})
    @action(detail=True, methods=["post"], url_path="extensions")
    def extensions(self, request, pk=None):
        """The lead agency asks for a later deadline."""
        self.action = "transition"
        case = self.get_object()
        data = validated(i.ExtensionRequestIn, request)
        extension = extension_request(case=case, actor=request.user, **data)
        return Response(s.ExtensionSerializer(extension).data, status.HTTP_201_CREATED)

    @extend_schema(request=i.DecisionIn, responses={201: s.DecisionSerializer})
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        """The Standing Committee decides on a case at its rung of the ladder: keep urging with
        a new date (`until`), an explanation session, questioning at a sitting (`sitting`),
        re-supervision, or the report to the council sitting."""
        self.action = "transition"
        case = self.get_object()
        check_may_decide(case, request.user)  # 403 and 409 before the body is read
        data = validated(i.DecisionIn, request)
        event = case_decide(case=case, actor=request.user, **data)
        return Response(s.DecisionSerializer(event).data, status.HTTP_201_CREATED)

    def _move(self, action_name: str, serializer_class) -> Response:
        self.action = "transition"  # the case alone: its page is read after the move
        case = self.get_object()  # 404 before anything is read from the body
        data = validated(serializer_class, self.request)
        case_transition(
            case=case, actor=self.request.user, action=action_name, **_transition_arguments(data)
        )
        self.action = "retrieve"
        return Response(self.get_serializer(self.get_object()).data)


def _transition_arguments(data: dict) -> dict:
    if "text" in data:
        report = ReportInput(
            text=data["text"],
            letter_number=data["letter_number"],
            letter_date=data["letter_date"],
            files=data["evidence"],
            self_assessment=data["self_assessment"],
        )
        return {"report": report}
    return {"note": data.get("reason", data.get("note", "")), "outcome": data.get("outcome", "")}


class ExtensionViewSet(viewsets.GenericViewSet):
    """Decisions on extension requests (the Standing Committee, or the committee by
    delegation)."""

    lookup_value_regex = ID
    serializer_class = s.ExtensionSerializer

    def get_queryset(self):
        return Extension.objects.filter(case__in=cases_visible_to(self.request.user))

    def get_object(self) -> Extension:
        try:
            return super().get_object()
        except Http404:
            raise CaseNotFound(_("Không tìm thấy đề nghị gia hạn.")) from None

    @extend_schema(request=i.ExtensionApproveIn, responses=s.ExtensionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        extension = self.get_object()
        data = validated(i.ExtensionApproveIn, request)
        return self._decide(extension, approve=True, **data)

    @extend_schema(request=i.NoteIn, responses=s.ExtensionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        extension = self.get_object()
        data = validated(i.NoteIn, request)
        return self._decide(extension, approve=False, **data)

    def _decide(self, extension: Extension, **decision) -> Response:
        decided = extension_decide(extension=extension, actor=self.request.user, **decision)
        decided = Extension.objects.select_related("requested_by", "decided_by").get(pk=decided.pk)
        return Response(s.ExtensionSerializer(decided).data)
