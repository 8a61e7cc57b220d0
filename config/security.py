"""Site-wide protections: a content security policy, a cap on request bodies, and the
responses and backend of login throttling (django-axes)."""

import json
from collections.abc import Callable

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from workflow.errors import bilingual

API_PREFIX = "/api/"


def api_error(status: int, code: str, message: Promise | str, **params) -> HttpResponse:
    """The API's error body, for refusals made before the API's own views run."""
    texts = bilingual(message, **params)
    body = {"detail": texts["vi"], "detail_en": texts["en"], "code": code}
    return HttpResponse(
        json.dumps(body, ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
    )


def client_address(request: HttpRequest) -> str | None:
    """The address login throttling counts failures by (AXES_CLIENT_IP_CALLABLE). Behind
    our nginx (deploy/nginx/dondoc.conf) every request comes from the proxy, so the
    client's own address is the X-Real-IP header the proxy sets, overwriting whatever the
    client sent; it is believed only from an address in DONDOC_TRUSTED_PROXIES, so that a
    client talking to the web server directly cannot pick the address it is counted by."""
    peer = request.META.get("REMOTE_ADDR")
    if peer in settings.DONDOC_TRUSTED_PROXIES:
        forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
        if forwarded:
            return forwarded
    return peer


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


class ContentSecurityPolicyMiddleware:
    """Adds settings.CONTENT_SECURITY_POLICY to every response that does not set its own."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


class RequestSizeLimitMiddleware:
    """Refuses an oversized body from its Content-Length, before anything reads it.

    Django caps form bodies but not files, and Django REST framework reads JSON bodies as a
    stream, past DATA_UPLOAD_MAX_MEMORY_SIZE; this one cap covers all of them."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = self._limit(request)
        if _content_length(request) > limit:
            return _too_large(request, limit)
        return self.get_response(request)

    @staticmethod
    def _limit(request: HttpRequest) -> int:
        if request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
            return settings.DONDOC_MAX_UPLOAD_BYTES
        return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _too_large(request: HttpRequest, limit: int) -> HttpResponse:
    message = _("Dữ liệu gửi lên quá lớn (tối đa %(limit)s). Mỗi tệp minh chứng tối đa %(file)s.")
    params = {"limit": filesizeformat(limit), "file": filesizeformat(settings.EVIDENCE_MAX_BYTES)}
    if _is_api(request):
        return api_error(413, "too_large", message, **params)
    return HttpResponse(
        f"<!DOCTYPE html><title>413</title><p>{escape(str(message) % params)}</p>", status=413
    )


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' check, for logins over HTTP.

    A login without a request (a management command, a test calling `authenticate`) cannot be
    made from outside, so it is neither counted nor refused."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


LOCKED_OUT = _(
    "Bạn đã đăng nhập sai quá %(limit)s lần. Tài khoản tạm khóa trên thiết bị này, vui lòng "
    "thử lại sau %(minutes)s phút."
)


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """What a locked-out login gets (AXES_LOCKOUT_CALLABLE): JSON for the API, the login
    page with the reason for people, both with status 429 and Retry-After."""
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    params = {"limit": settings.AXES_FAILURE_LIMIT, "minutes": max(1, seconds // 60)}
    if _is_api(request):
        response = api_error(429, "locked_out", LOCKED_OUT, **params)
    else:
        response = TemplateResponse(
            request,
            "registration/login.html",
            {"form": AuthenticationForm(request), "lockout_message": LOCKED_OUT % params},
            status=429,
        ).render()
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
