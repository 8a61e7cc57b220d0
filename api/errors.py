"""Every refusal of the API as one JSON shape, in Vietnamese and English:

    {"detail": "<vi>", "detail_en": "<en>", "code": "invalid", "errors": {...}, "errors_en": {...}}

`errors` (field path -> messages) only comes with bad input. The services' refusals keep
their messages lazy (CaseError, and conclusions' ValidationErrors), so each is rendered here
once in Vietnamese and once in English; no call is ever made twice to learn its English."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from workflow.errors import (
    CaseConflict,
    CaseError,
    CaseForbidden,
    CaseInvalid,
    CaseNotFound,
    bilingual,
)

CASE_ERROR_CODES = {
    CaseInvalid: "invalid",
    CaseForbidden: "forbidden",
    CaseNotFound: "not_found",
    CaseConflict: "conflict",
}

# DRF's own refusals, reworded: its Vietnamese catalogue covers only a few of them.
DRF_MESSAGES: dict[type, tuple[str, Any]] = {
    exceptions.NotAuthenticated: (
        "not_authenticated",
        _(
            "Chưa xác thực: gửi kèm mã truy cập (Authorization: Token …) hoặc đăng nhập "
            "trên trang web."
        ),
    ),
    exceptions.AuthenticationFailed: (
        "authentication_failed",
        _("Mã truy cập không hợp lệ hoặc tài khoản đã bị khóa."),
    ),
    exceptions.PermissionDenied: (
        "forbidden",
        _("Bạn không có quyền thực hiện thao tác này."),
    ),
    exceptions.NotFound: ("not_found", _("Không tìm thấy.")),
    exceptions.MethodNotAllowed: (
        "method_not_allowed",
        _("Phương thức %(method)s không được hỗ trợ ở địa chỉ này."),
    ),
    exceptions.NotAcceptable: (
        "not_acceptable",
        _("Không trả được kết quả theo định dạng yêu cầu (Accept); API trả về JSON."),
    ),
    exceptions.UnsupportedMediaType: (
        "unsupported_media_type",
        _("Kiểu dữ liệu “%(media_type)s” không được hỗ trợ; hãy gửi JSON."),
    ),
    exceptions.ParseError: (
        "parse_error",
        _("Dữ liệu gửi lên không đọc được: JSON hoặc multipart không đúng cú pháp."),
    ),
    exceptions.Throttled: (
        "throttled",
        _("Quá nhiều yêu cầu. Vui lòng thử lại sau."),
    ),
}
CSRF_FAILED = _(
    "Kiểm tra CSRF không thành công: khi dùng phiên đăng nhập, hãy gửi kèm mã CSRF "
    "(tiêu đề X-CSRFToken)."
)
INVALID = _("Dữ liệu không hợp lệ.")


class ApiInvalid(exceptions.APIException):
    """Bad input, with what is wrong field by field in both languages. Nothing was written."""

    status_code = 400

    def __init__(self, errors_vi: Mapping[str, list[str]], errors_en: Mapping[str, list[str]]):
        self.errors_vi, self.errors_en = dict(errors_vi), dict(errors_en)
        super().__init__(_first(self.errors_vi))


def error_body(code: str, messages: Mapping[str, str], **extra) -> dict:
    return {"detail": messages["vi"], "detail_en": messages["en"], "code": code, **extra}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, CaseError):
        return _refusal(exc.status, CASE_ERROR_CODES.get(type(exc), "invalid"), exc.messages())
    if isinstance(exc, DjangoValidationError):
        exc = in_both_languages(exc)
    if isinstance(exc, ApiInvalid):
        messages = {"vi": _first(exc.errors_vi), "en": _first(exc.errors_en)}
        return _refusal(400, "invalid", messages, errors=exc.errors_vi, errors_en=exc.errors_en)
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten(exc.detail)
        messages = {"vi": _first(errors), "en": _first(errors)}
        return _refusal(400, "invalid", messages, errors=errors, errors_en=errors)
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = error_body(*_drf_message(exc, context))
    return response


def _refusal(status: int, code: str, messages: Mapping[str, str], **extra) -> Response:
    set_rollback()
    return Response(error_body(code, messages, **extra), status=status)


def _drf_message(exc: Exception, context: dict) -> tuple[str, dict[str, str]]:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.PermissionDenied) and "CSRF" in str(exc.detail):
        return "csrf_failed", bilingual(CSRF_FAILED)
    for kind in type(exc).__mro__:
        if kind in DRF_MESSAGES:
            code, message = DRF_MESSAGES[kind]
            request = context.get("request")
            return code, bilingual(
                message,
                method=getattr(request, "method", ""),
                media_type=getattr(request, "content_type", "") or "",
            )
    return "error", {"vi": str(exc), "en": str(exc)}


def flatten(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    """{"recommendations": [{}, {"anchor": ["…"]}]} -> {"recommendations[1].anchor": ["…"]}."""
    if isinstance(errors, Mapping):
        result: dict[str, list[str]] = {}
        for key, value in errors.items():
            result |= flatten(value, _join(prefix, key))
        return result
    if isinstance(errors, list | tuple) and not all(isinstance(e, str) for e in errors):
        result = {}
        for index, value in enumerate(errors):
            result |= flatten(value, f"{prefix}[{index}]")
        return result
    messages = [str(e) for e in errors] if isinstance(errors, list | tuple) else [str(errors)]
    return {prefix or "non_field_errors": messages} if messages else {}


def _join(prefix: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    if key in ("non_field_errors", "__all__"):
        return prefix or "non_field_errors"
    return f"{prefix}.{key}" if prefix else str(key)


def _first(errors: Mapping[str, list[str]]) -> str:
    for field, messages in errors.items():
        if messages:
            return messages[0] if field == "non_field_errors" else f"{field}: {messages[0]}"
    return str(INVALID)


def validated(serializer_class, request, data=None, **kwargs) -> dict:
    """The serializer's validated data, or ApiInvalid with its errors in both languages."""
    data = request.data if data is None else data
    context = {"request": request}
    with translation.override("vi"):
        serializer = serializer_class(data=data, context=context, **kwargs)
        if serializer.is_valid():
            return serializer.validated_data
        errors_vi = flatten(serializer.errors)
    with translation.override("en"):
        again = serializer_class(data=data, context=context, **kwargs)
        again.is_valid()
        errors_en = flatten(again.errors)
    raise ApiInvalid(errors_vi, errors_en)


def in_both_languages(refusal: DjangoValidationError) -> ApiInvalid:
    """A service's refusal, its lazy messages rendered once in Vietnamese and once in
    English, field by field."""
    errors = {}
    for language in ("vi", "en"):
        with translation.override(language):
            errors[language] = _validation_errors(refusal)
    return ApiInvalid(errors["vi"], errors["en"])


def _validation_errors(refusal: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(refusal, "error_dict"):
        return flatten(refusal.message_dict)
    return flatten(refusal.messages)
