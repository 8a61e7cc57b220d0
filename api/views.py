"""Thin API views: each reads through a selector scoped by `cases_visible_to`, writes through
one service, and leaves every refusal to api.errors."""

from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Prefetch
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from api import inputs as i
from api import serializers as s
from api.errors import error_body, validated
from api.filters import CaseFilter, Filters, NotificationFilter, Ordering
from api.parsers import JSONParser
from conclusions.models import ConclusionNotice
from conclusions.selectors import roles_of
from conclusions.services import RecommendationInput, notice_register
from notifications.messages import Composer, language_of
from notifications.selectors import inbox_of
from notifications.services import notification_mark_read
from reports.figures import results_as_of
from workflow.calendar import Deadline, explain
from workflow.deadlines import calendar_for
from workflow.decisions import case_decide, check_may_decide
from workflow.definitions import definitions_json
from workflow.errors import CaseForbidden, CaseInvalid, CaseNotFound, bilingual
from workflow.extensions import extension_decide, extension_request
from workflow.files import file_response
from workflow.filters import filter_cases
from workflow.models import Case, Extension, ProgressReport
from workflow.selectors import (
    case_timeline,
    cases_visible_to,
    evidence_visible_to,
    notices_visible_to,
    overdue_figures,
)
from workflow.services import ReportInput, case_transition, notice_issue
from workflow.transitions import Action

ID = "[0-9]{1,18}"  # ids beyond PostgreSQL's bigint do not exist: 404, not an overflow


class TokenView(APIView):
    """Exchange a username and password for the API token (`Authorization: Token <key>`)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    extra_error_codes = ("429",)

    @extend_schema(request=i.TokenInput, responses=s.TokenSerializer, auth=[], tags=["auth"])
    def post(self, request):
        data = validated(i.TokenInput, request)
        # The Django request, so that django-axes counts failures and its middleware answers
        # a locked-out client with 429 (config.security.lockout_response).
        user = authenticate(request._request, username=data["username"], password=data["password"])
        if user is None:
            raise CaseInvalid(_("Tên đăng nhập hoặc mật khẩu không đúng."))
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeView(APIView):
    """Who the token or session belongs to (also the load test's baseline)."""

    @extend_schema(responses=s.MeSerializer, tags=["auth"])
    def get(self, request):
        user = request.user
        return Response({"username": user.get_username(), "full_name": user.get_full_name()})


class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Conclusion notices; creating one issues it and opens its cases."""

    lookup_value_regex = ID
    parser_classes = [JSONParser]  # a notice with its recommendations is nested data
    filter_backends = [Ordering]
    ordering_fields = ["issue_date", "created_at", "id"]
    ordering = ["-issue_date", "-id"]

    def get_queryset(self):
        notices = notices_visible_to(self.request.user).select_related(
            "council", "tracking_committee"
        )
        if self.action == "list":
            return notices
        cases = _case_rows(cases_visible_to(self.request.user)).order_by("id")
        return notices.prefetch_related(Prefetch("cases", cases, to_attr="visible_cases"))

    def get_serializer_class(self):
        return s.NoticeSerializer if self.action == "list" else s.NoticeDetailSerializer

    def get_object(self) -> ConclusionNotice:
        try:
            return super().get_object()
        except Http404:
            raise CaseNotFound(_("Không tìm thấy thông báo.")) from None

    @extend_schema(request=i.NoticeIn, responses={201: s.NoticeDetailSerializer})
    def create(self, request):
        """Register a signed notice and issue it at once: one case per recommendation × lead
        agency, each with its computed deadline. Standing Committee only: the web intake flow
        is the way for notices that still need checking and approval."""
        roles = roles_of(request.user)
        if not (roles.is_admin or roles.standing_council_ids):
            raise _not_standing()
        data = validated(i.NoticeIn, request)
        committee = data["tracking_committee"]
        if not (roles.is_admin or committee.council_id in roles.standing_council_ids):
            raise _not_standing()
        notice = _register_and_issue(data, request.user)
        self.kwargs[self.lookup_field] = notice.pk
        self.action = "retrieve"
        return Response(self.get_serializer(self.get_object()).data, status.HTTP_201_CREATED)


def _not_standing() -> CaseForbidden:
    return CaseForbidden(_("Chỉ Thường trực HĐND ban hành thông báo kết luận qua API."))


def _register_and_issue(data: dict, actor) -> ConclusionNotice:
    committee = data["tracking_committee"]
    with transaction.atomic():
        notice = notice_register(
            council=committee.council,
            number=data["number"],
            issue_date=data["issue_date"],
            title=data["title"],
            signer=data["signer"],
            source_kind=data["source_kind"],
            tracking_committee=committee,
            recommendations=[_recommendation(item) for item in data["recommendations"]],
            actor=actor,
        )
        notice_issue(notice=notice, actor=actor)
    return notice


def _recommendation(item: dict) -> RecommendationInput:
    deadline = dict(item["deadline"] or {})
    return RecommendationInput(
        anchor=item["anchor"],
        text=item["text"],
        lead_agency_codes=item["lead_agencies"],
        coordinating_agency_codes=item["coordinating_agencies"],
        accountable_code=item["accountable"],
        tracking_committee=item["tracking_committee"],
        deadline=deadline.pop("date", None),
        deadline_spec=deadline or None,
        deadline_phrase=item["deadline_text"],
    )


def _case_rows(cases):
    return cases.select_related("notice", "recommendation", "agency", "committee").prefetch_related(
        "coordinating_agencies"
    )


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


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The user's own in-app notifications (the "Thông báo" page), newest first, each worded
    in the language the user chose for notifications."""

    lookup_value_regex = ID
    serializer_class = s.NotificationSerializer
    filter_backends = [Filters]
    filterset_class = NotificationFilter

    def get_queryset(self):
        return inbox_of(self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        _compose(page, request.user)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=None, responses=s.NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one of the user's notifications read; anyone else's is a 404."""
        if not notification_mark_read(user=request.user, delivery_id=int(pk)):
            raise CaseNotFound(_("Không có thông báo này trong hộp thư của bạn."))
        delivery = self.get_queryset().get(pk=pk)
        _compose([delivery], request.user)
        return Response(self.get_serializer(delivery).data)


def _compose(deliveries, user) -> None:
    composer, language = Composer(), language_of(user)
    for delivery in deliveries:
        delivery.message = composer.compose(delivery, language=language)


class DeadlineView(APIView):
    """A deadline counted the Vietnamese way, and the days off it skipped."""

    @extend_schema(parameters=[i.DeadlineQuery], responses=s.DeadlineResult, tags=["calendar"])
    def get(self, request):
        query = validated(i.DeadlineQuery, request, data=request.query_params)
        calendar = calendar_for(query.get("council"))
        if "working_days" in query:
            deadline = calendar.add_working_days(query["start"], query["working_days"])
        else:
            deadline = calendar.add_calendar_days(query["start"], query["calendar_days"])
        return Response(_deadline_answer(deadline))


def _deadline_answer(deadline: Deadline) -> dict:
    return {
        "due": deadline.due,
        "rule": deadline.rule,
        "start": deadline.start,
        "amount": deadline.amount,
        "moved_from": deadline.moved_from,
        "explanation": [
            {
                "day": off.day,
                "reason": off.reason["vi"],
                "reason_en": off.reason["en"],
                "weekend": off.is_weekend,
            }
            for off in deadline.skipped
        ],
        "summary": explain(deadline, "vi"),
        "summary_en": explain(deadline, "en"),
    }


class OverdueReportView(APIView):
    """Open, closed and overdue cases by committee and by agency, over the cases the user
    may see."""

    @extend_schema(responses=s.OverdueReport, tags=["reports"])
    def get(self, request):
        today = timezone.localdate()
        return Response({"as_of": today, **overdue_figures(request.user, today)})


class ResultsReportView(APIView):
    """Report A's figures as of a day, by agency and by committee, over the cases the user may
    see: read from the event log by the same code as the frozen report, and counted by the
    definitions returned beside them."""

    @extend_schema(parameters=[i.ResultsQuery], responses=s.ResultsReport, tags=["reports"])
    def get(self, request):
        query = validated(i.ResultsQuery, request, data=request.query_params)
        cases = filter_cases(
            cases_visible_to(request.user),
            committee=query.get("committee"),
            period_from=query.get("period_from"),
            period_to=query.get("period_to"),
        )
        if query.get("council"):
            cases = cases.filter(council=query["council"])
        figures = results_as_of(cases, query["as_of"])
        return Response(s.ResultsReport(figures | {"definitions": definitions_json()}).data)


class EvidenceView(APIView):
    """An evidence file, to those who may see its case."""

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}, tags=["cases"]
    )
    def get(self, request, pk: int):
        evidence = evidence_visible_to(request.user).filter(pk=pk).first()
        if evidence is None:
            raise CaseNotFound(_("Không tìm thấy tệp minh chứng."))
        return file_response(evidence.file, evidence.original_name, "application/octet-stream")

    def perform_content_negotiation(self, request, force=False):
        # A download answers any Accept header; refusals are still JSON.
        return super().perform_content_negotiation(request, force=True)


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other address under /api/: the documented JSON 404, in development mode too
    (Django would answer with its HTML debug page); an address missing only its final slash
    is sent on to it when read, as Django's APPEND_SLASH would."""
    with_slash = f"{request.path}/"
    if request.method in ("GET", "HEAD") and _is_endpoint(with_slash):
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{with_slash}?{query}" if query else with_slash)
    body = error_body("not_found", bilingual(_("Không tìm thấy địa chỉ này trong API.")))
    return JsonResponse(body, status=404, json_dumps_params={"ensure_ascii": False})


def _is_endpoint(path: str) -> bool:
    try:
        return resolve(path).url_name != "not_found"
    except Resolver404:
        return False
