"""Cases, one POST per transition, and the decisions on extension requests."""

from django.db.models import BooleanField, Prefetch, prefetch_related_objects
from django.db.models.expressions import RawSQL
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
from conclusions.compiled import ModelsCompiledOnce
from conclusions.selectors import Roles, roles_of
from workflow.decisions import case_decide, case_decisions, check_may_decide
from workflow.errors import CaseNotFound
from workflow.extensions import extension_decide, extension_request
from workflow.models import Case, CaseEvent, EventKind, Extension, ProgressReport
from workflow.selectors import case_timeline, cases_visible_to, cases_visible_with, known_rows
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
        # A case's own row, for its page and its transitions, is `_DETAIL_ROW` (get_object).
        cases = cases_visible_to(self.request.user)
        return _case_rows(cases) if self.action == "list" else cases

    def filter_queryset(self, queryset):
        # The list's filters and ordering; one case is looked up by its id alone (the filter
        # form was a tenth of a transition's time).
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(_with_lists(self.get_object())).data)

    def get_serializer_class(self):
        return s.CaseSerializer if self.action == "list" else s.CaseDetailSerializer

    def get_object(self) -> Case:
        try:
            if self.action in ("retrieve", "transition"):
                return self._detail_row()
            return super().get_object()
        except Http404:
            raise CaseNotFound(_("Không tìm thấy hồ sơ.")) from None

    def _detail_row(self) -> Case:
        roles = vars(roles_of(self.request.user))
        cases = _DETAIL_ROW.instances(pk=int(self.kwargs["pk"]), **roles)
        if not cases:
            raise Http404
        self.check_object_permissions(self.request, cases[0])
        return cases[0]

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
        self.action = "transition"
        case = self.get_object()  # 404 before anything is read from the body
        data = validated(serializer_class, self.request)
        arguments = _transition_arguments(data)
        user = self.request.user
        case_transition(case=case, actor=user, action=action_name, visible=True, **arguments)
        # The answer is the case as the move left it (the row was read with its visibility
        # and is saved by the move): only its lists are read, and only those that hold
        # anything (a report was just added by a report).
        case = _with_lists(case, reported=action_name == Action.REPORT)
        return Response(s.CaseDetailSerializer(case, context=self.get_serializer_context()).data)


def _detail_rows(cases):
    """The rows of a case's page, each saying which of its lists hold anything: most cases
    have no report, extension or decision yet, and an empty list then costs no query."""
    # The coordinating agencies too: `_with_lists` reads them only where there are some.
    return (
        _case_rows(cases)
        .prefetch_related(None)
        .select_related("council")
        .annotate(
            has_coordinating=_holds(Case.coordinating_agencies.through),
            has_reports=_holds(ProgressReport),
            has_extensions=_holds(Extension),
            has_decisions=_holds(CaseEvent, kind=EventKind.DECIDED),
        )
    )


# A case's row for its page and every transition, compiled once per shape of the roles.
_DETAIL_ROW = ModelsCompiledOnce(
    Case, lambda pk, **roles: _detail_rows(cases_visible_with(Roles(**roles))).filter(pk=pk)
)


def _holds(model, *, kind: str = "") -> RawSQL:
    """Whether the case has a row of `model` (of that kind): `EXISTS`, written out because
    the ORM's Exists was compiled anew for every case page and transition, 0.7 ms of
    processor time for the three. Double quotes name columns in PostgreSQL and SQLite."""
    table = model._meta.db_table
    sql = f'SELECT 1 FROM "{table}" WHERE "{table}"."case_id" = "{Case._meta.db_table}"."id"'
    if kind:
        sql += f' AND "{table}"."kind" = %s'
    return RawSQL(f"EXISTS ({sql})", (kind,) if kind else (), output_field=BooleanField())


def _with_lists(case: Case, *, reported: bool = False) -> Case:
    """Read the case's coordinating agencies, reports, extensions and decisions, those it has
    (`_detail_rows`). The report a move just saved on a case without reports is the whole
    list: no read."""
    first_report = reported and not case.has_reports
    reports = ProgressReport.objects.select_related("author").prefetch_related("evidence")
    extensions = Extension.objects.select_related("requested_by", "decided_by")
    lists = {
        "coordinating_agencies": (case.has_coordinating, Prefetch("coordinating_agencies")),
        "reports": (case.has_reports or reported, Prefetch("reports", reports)),
        "extensions": (case.has_extensions, Prefetch("extensions", extensions)),
    }
    if first_report:
        known_rows(case, "reports", [case.saved_report])
        del lists["reports"]
    prefetch_related_objects([case], *[p for present, p in lists.values() if present])
    for name, (present, _prefetch) in lists.items():
        if not present:
            known_rows(case, name, [])
    case.decision_events = list(case_decisions(case)) if case.has_decisions else []
    return case


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
