"""Evidence downloads and the JSON 404 for any other address under /api/."""

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from api.errors import error_body
from workflow.errors import CaseNotFound, bilingual
from workflow.files import file_response
from workflow.selectors import evidence_visible_to


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


@csrf_exempt  # it writes nothing: a POST to no address is a 404, never a CSRF page
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
