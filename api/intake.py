"""Notices in without retyping: the council's agencies for integrations, and a signed notice
read into a draft (`POST /api/v1/notices/parse/`) that writes nothing."""

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import error_body, validated
from api.fields import Code, EvidenceFile, Input, Integer
from conclusions import rules
from conclusions.models import Council
from intake.parsing import UnreadableNotice, parse_notice
from intake.selectors import agencies_of, councils_of_member, councils_registering
from workflow.errors import CaseForbidden, CaseInvalid, CaseNotFound, bilingual

NO_COUNCIL = _("Không tìm thấy HĐND có mã “%(code)s”.")
TOO_LARGE = _("Tệp thông báo quá lớn (tối đa %(limit)s).")


class AgencyQuery(Input):
    council = Code(help_text="Mã HĐND, ví dụ hau-giang")


class AgencyRow(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    aliases = serializers.ListField(child=serializers.CharField())
    parent = serializers.CharField(allow_null=True, help_text="Mã cơ quan cấp trên")


class AgencyListView(APIView):
    """The council's agencies with their short forms and aliases, so that an integration can
    map the names in its documents to codes. For anyone holding a seat in that council."""

    @extend_schema(parameters=[AgencyQuery], responses=AgencyRow(many=True), tags=["agencies"])
    def get(self, request):
        code = validated(AgencyQuery, request, data=request.query_params)["council"]
        council = councils_of_member(request.user).filter(code=code).first()
        if council is None:
            raise CaseNotFound(NO_COUNCIL, code=code)
        return Response([_agency_row(agency) for agency in agencies_of(council)])


def _agency_row(agency) -> dict:
    return {
        "code": agency.code,
        "name": agency.name,
        "short_name": agency.short_name,
        "aliases": [alias.name for alias in agency.aliases.all()],
        "parent": agency.parent.code if agency.parent else None,
    }


class NoticeFileIn(Input):
    file = EvidenceFile(
        max_length=rules.FILE_NAME, help_text="Thông báo đã ký: .docx hoặc .pdf có lớp chữ"
    )
    council = Code(
        required=False, help_text="Mã HĐND ban hành; bỏ trống nếu người dùng chỉ thuộc một HĐND"
    )


class DeadlineOut(serializers.Serializer):
    date = serializers.DateField(required=False)
    working_days = Integer(required=False)
    calendar_days = Integer(required=False)
    months = Integer(required=False)
    quarter = Integer(required=False)
    month = Integer(required=False)
    year = Integer(required=False)
    sitting = Integer(required=False, help_text="Mã số kỳ họp")
    lead_days = Integer(required=False)


class RecommendationDraft(serializers.Serializer):
    anchor = serializers.CharField()
    text = serializers.CharField()
    lead_agencies = serializers.ListField(child=serializers.CharField())
    coordinating_agencies = serializers.ListField(child=serializers.CharField())
    accountable = serializers.CharField(allow_blank=True)
    tracking_committee = serializers.CharField(allow_blank=True)
    deadline = DeadlineOut(allow_null=True)
    deadline_text = serializers.CharField(allow_blank=True, help_text="Thời hạn như văn bản ghi")


WARNINGS = serializers.DictField(
    child=serializers.ListField(child=serializers.CharField()),
    help_text="Đường dẫn trường → cảnh báo, ví dụ recommendations[2].lead_agencies",
)


class NoticeDraftOut(serializers.Serializer):
    council = serializers.CharField()
    number = serializers.CharField(allow_blank=True)
    issue_date = serializers.DateField(allow_null=True)
    title = serializers.CharField(allow_blank=True)
    signer = serializers.CharField(allow_blank=True)
    signer_capacity = serializers.CharField(allow_blank=True)
    source_kind = serializers.CharField()
    tracking_committee = serializers.CharField(allow_blank=True)
    recommendations = RecommendationDraft(many=True)
    warnings = WARNINGS
    warnings_en = WARNINGS


class NoticeParseView(APIView):
    """Read a signed notice (.docx, or a PDF with a text layer) into a draft in the shape
    `POST /api/v1/notices/` takes, with `warnings` on every uncertain field and each
    deadline's words in `deadline_text`. Nothing is written. The Standing Committee and the
    office only."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": NoticeFileIn},
        responses=NoticeDraftOut,
        tags=["notices"],
    )
    def post(self, request):
        councils = councils_registering(request.user)
        if not councils.exists():
            raise CaseForbidden(_("Chỉ Thường trực HĐND và Văn phòng đọc thông báo để vào sổ."))
        data = validated(NoticeFileIn, request)
        council = _council(councils, data.get("council", ""))
        upload = data["file"]
        if upload.size > settings.DONDOC_NOTICE_MAX_BYTES:
            limit = filesizeformat(settings.DONDOC_NOTICE_MAX_BYTES)
            return Response(error_body("too_large", bilingual(TOO_LARGE, limit=limit)), 413)
        try:
            draft = parse_notice(upload.read(), upload.name, council=council)
        except UnreadableNotice as refusal:
            return Response(error_body(refusal.code, bilingual(refusal.message)), 400)
        return Response(draft.payload())


def _council(councils, code: str) -> Council:
    if code:
        council = councils.filter(code=code).first()
        if council is None:
            raise CaseForbidden(
                _("Bạn không vào sổ thông báo cho HĐND có mã “%(code)s”."), code=code
            )
        return council
    found = list(councils[:2])
    if len(found) != 1:
        raise CaseInvalid(_("Bạn thuộc nhiều HĐND: hãy chọn HĐND (trường council)."))
    return found[0]
