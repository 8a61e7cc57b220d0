"""The input rules: every limit on what a person types into a page or a script sends to the
API, in one place.

The web forms (workflow, intake, reports) and the API's inputs (api/fields.py, api/inputs.py)
draw their lengths, dates, counts and checks from here, so the two cannot disagree; the
services check again what they cannot do without (a date the calendar can count, the
agencies of the notice's own council, evidence files of the listed types and sizes).

Each rule is a Django validator whose message stays lazy with its parameters apart (as
`conclusions.services.refusal`), so it reads in Vietnamese or English wherever it is shown:
on the form's field, or in the API's `errors` and `errors_en`."""

import datetime
import os
import re
import unicodedata
from collections.abc import Sequence

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

# Lengths, in characters as a person sees them (text is stored precomposed, NFC). The
# columns behind them are at least as wide.
CODE = 50  # of a council, a committee or an agency: "so-ldtbxh"
NUMBER = 60  # a notice's or an official letter's number and symbol: "15/TB-HĐND"
ANCHOR = 30  # where a recommendation sits in its notice: "II.1.b"
SIGNER = 200
TITLE = 500
DEADLINE_PHRASE = 300  # a deadline in the notice's own words
BASIS = 300  # what a succession rests on: "Nghị quyết 202/2025/QH15"
SEARCH = 200
TEXT = 10_000  # any free text: a recommendation, a report, a note, a reason, a comment
FILE_NAME = 255
USERNAME = 150
PASSWORD = 4096

# Counts.
RECOMMENDATIONS = 200  # in one notice
CODES = 50  # agencies named in one list

# Dates outside these are typing mistakes, and far ones would overflow the calendar's
# arithmetic (a deadline, its rungs, a chart's range).
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)

# Dates are typed and shown day first, as on every Vietnamese document, whatever the
# browser's own language; ISO dates are still accepted from scripts and API-like clients.
DATE_FORMAT = "%d/%m/%Y"
DATE_INPUT_FORMATS = [DATE_FORMAT, "%Y-%m-%d"]

# What neither PostgreSQL (NUL) nor the XML inside the Excel and Word exports can carry:
# control characters other than tab and line breaks, lone surrogates (from JSON escapes)
# and the two non-characters U+FFFE and U+FFFF.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

UNSTORABLE = _("Có ký tự không dùng được trong văn bản (%(char)s); hãy xóa hoặc gõ lại.")
DATE_OUT_OF_RANGE = _("Ngày phải trong khoảng %(earliest)s đến %(latest)s.")
TOO_MANY_FILES = _("Mỗi báo cáo tối đa %(limit)s tệp minh chứng.")
FILE_TYPE = _("Tệp “%(name)s” không được chấp nhận. Chỉ nhận: %(allowed)s.")
FILE_SIZE = _("Tệp “%(name)s” quá lớn (tối đa %(limit)s MB).")


def normalize_text(value: str) -> str:
    """Precomposed Unicode, so that "Sở" typed on any keyboard matches "Sở" stored; limits
    count the characters a person sees."""
    return unicodedata.normalize("NFC", value).strip()


def search_key(value: str) -> str:
    """Vietnamese text as search compares it: lower case, without diacritics, single-spaced,
    whatever the keyboard typed (precomposed letters or combining marks, capitals):
    "Người LAO ĐỘNG" → "nguoi lao dong". Stored beside the searchable text and applied to
    the words searched, so the same match holds on PostgreSQL and SQLite."""
    decomposed = unicodedata.normalize("NFD", value.replace("Đ", "d").replace("đ", "d"))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.lower().split())


def validate_text(value: str) -> None:
    """No character that the database or the exports cannot store."""
    found = _UNSTORABLE.search(value)
    if found:
        raise ValidationError(
            UNSTORABLE, code="unstorable", params={"char": f"U+{ord(found.group()):04X}"}
        )


def validate_date(day: datetime.date) -> None:
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(
            DATE_OUT_OF_RANGE,
            code="out_of_range",
            params={"earliest": f"{EARLIEST:%d/%m/%Y}", "latest": f"{LATEST:%d/%m/%Y}"},
        )


def evidence_max_files() -> int:
    return settings.DONDOC_EVIDENCE_MAX_FILES


def validate_evidence_count(files: Sequence) -> None:
    if len(files) > evidence_max_files():
        raise ValidationError(
            TOO_MANY_FILES, code="max_files", params={"limit": evidence_max_files()}
        )


def validate_evidence(upload: UploadedFile) -> None:
    """One evidence file: a listed type, a limited size, a name that can be stored (Django
    has already cut it to FILE_NAME characters)."""
    name = upload.name or ""
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if extension not in settings.EVIDENCE_EXTENSIONS:
        allowed = ", ".join(settings.EVIDENCE_EXTENSIONS)
        params = {"name": name, "allowed": allowed}
        raise ValidationError(FILE_TYPE, code="file_type", params=params)
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        limit = settings.EVIDENCE_MAX_BYTES // (1024 * 1024)
        raise ValidationError(FILE_SIZE, code="file_size", params={"name": name, "limit": limit})
    validate_text(name)


def validate_evidence_files(files: Sequence[UploadedFile]) -> None:
    validate_evidence_count(files)
    for upload in files:
        validate_evidence(upload)


# ------------------------------------------------------------------ the forms' fields


class TextField(forms.CharField):
    """Free text under the rules: precomposed, at most `limit` characters, nothing
    unstorable (one message for it, in place of Django's own about NUL)."""

    def __init__(self, *, limit: int = TEXT, rows: int = 0, **kwargs) -> None:
        if rows:
            kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(max_length=limit, **kwargs)
        self.validators = [
            *(v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)),
            validate_text,
        ]

    def to_python(self, value) -> str:
        return normalize_text(super().to_python(value))


def date_field(label, *, required: bool = True, placeholder: bool = False, **kwargs):
    """A date typed day first (ISO accepted too), between EARLIEST and LATEST."""
    attrs = {"data-dd-date": "", "autocomplete": "off"}  # workflow's date picker
    if placeholder:
        attrs["placeholder"] = "dd/mm/yyyy"
    messages = {
        "invalid": _("Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 31/12/2026."),
        **kwargs.pop("error_messages", {}),
    }
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(format=DATE_FORMAT, attrs=attrs),
        validators=[validate_date],
        error_messages=messages,
        **kwargs,
    )


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several evidence files in one field, each and all of them under the rules."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", _MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data, initial=None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        validate_evidence_count(files)
        cleaned = [super(EvidenceField, self).clean(upload, initial) for upload in files]
        for upload in cleaned:
            validate_evidence(upload)
        return cleaned


# ------------------------------------------------------------------ bulk imports (intake.imports)

IMPORT_MAX_BYTES = 10 * 1024 * 1024  # an uploaded .xlsx or .csv
IMPORT_MAX_ROWS = 10_000  # data rows in one file
IMPORT_MAX_COLUMNS = 100  # cells read in a row; anything to the right is not read
IMPORT_PENDING_HOURS = 24  # how long a checked file waits for its confirmation
IMPORT_EXTENSIONS = ("xlsx", "csv")
