"""Spreadsheets as a clerk would send them, for the import tests."""

import csv
import io
import unicodedata

from django.urls import reverse
from openpyxl import Workbook, load_workbook


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filled_template(template: bytes, rows: list[list]) -> bytes:
    """The downloaded template with `rows` typed under its header."""
    book = load_workbook(io.BytesIO(template))
    for row in rows:
        book.worksheets[0].append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def cp1258(text: str) -> bytes:
    """Text as Windows-1258 writes Vietnamese: a precomposed letter where the code page
    has one, the tone as a combining mark after it."""
    return b"".join(_cp1258_char(char) for char in unicodedata.normalize("NFC", text))


def _cp1258_char(char: str) -> bytes:
    try:
        return char.encode("cp1258")
    except UnicodeEncodeError:
        pass
    base, *marks = unicodedata.normalize("NFD", char)
    for mark in marks:
        joined = unicodedata.normalize("NFC", base + mark)
        if len(joined) == 1:
            try:
                rest = "".join(m for m in marks if m != mark)
                return joined.encode("cp1258") + rest.encode("cp1258")
            except UnicodeEncodeError:
                continue
    return (base + "".join(marks)).encode("cp1258")


def upload(client, key: str, data: bytes, name: str, council=None, **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    form = {"file": SimpleUploadedFile(name, data), **extra}
    if council is not None:
        form["council"] = council.pk
    return client.post(reverse("intake:imports:upload", args=[key]), form)


def preview_url(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]
