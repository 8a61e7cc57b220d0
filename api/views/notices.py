"""Conclusion notices: read, and issued in one POST by the Standing Committee."""

from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from api import inputs as i
from api import serializers as s
from api.errors import validated
from api.filters import Ordering
from api.parsers import JSONParser
from api.views.common import ID, _case_rows
from conclusions.models import ConclusionNotice
from conclusions.selectors import roles_of
from conclusions.services import RecommendationInput, notice_register
from workflow.errors import CaseForbidden, CaseNotFound
from workflow.selectors import cases_visible_to, notices_visible_to
from workflow.services import notice_issue


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
    deadline, spec = i.deadline_parts(item["deadline"])
    return RecommendationInput(
        anchor=item["anchor"],
        text=item["text"],
        lead_agency_codes=item["lead_agencies"],
        coordinating_agency_codes=item["coordinating_agencies"],
        accountable_code=item["accountable"],
        tracking_committee=item["tracking_committee"],
        deadline=deadline,
        deadline_spec=spec,
        deadline_phrase=item["deadline_text"],
    )
