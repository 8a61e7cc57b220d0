"""A spreadsheet as rows of text: the first sheet of an .xlsx, or a .csv in UTF-8 (with or
without BOM), UTF-16 or Windows-1258. Cells become the text a person sees (a date cell
"05/06/2026", a whole number "15"); a formula is refused, since what it shows is not stored
in a file openpyxl can trust. Every refusal is a `BadFile` with a lazy message."""

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from conclusions import rules
from intake.imports.base import Column
from intake.parsing.text import fold

ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0"  # the old binary .xls
NOT_HEADER = re.compile(r"[^a-z0-9]+")
SHOWN_CELLS = 5  # formula cells named in the refusal


class BadFile(Exception):
    def __init__(self, message: Promise, **params) -> None:
        super().__init__(message)
        self.message, self.params = message, params

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (row number in the sheet, cells)


def read_table(data: bytes, filename: str) -> Table:
    """The file's header row and its non-empty rows, or BadFile."""
    if not data:
        raise BadFile(_("Tệp rỗng."))
    if len(data) > rules.IMPORT_MAX_BYTES:
        raise BadFile(
            _("Tệp quá lớn (tối đa %(limit)s MB)."), limit=rules.IMPORT_MAX_BYTES // 1024**2
        )
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if data.startswith(OLE) or extension == "xls":
        raise BadFile(_("Tệp Excel 97-2003 (.xls) chưa đọc được: hãy lưu lại dạng .xlsx."))
    if data.startswith(ZIP):
        lines = _xlsx_lines(data)
    elif extension == "csv" or extension == "txt":
        lines = _csv_lines(data)
    else:
        raise BadFile(_("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."))
    return _table(lines)


def _table(lines: Iterator[tuple[int, list[str]]]) -> Table:
    headers: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, cells in lines:
        if not any(cells):
            continue
        if headers is None:
            headers = cells
            continue
        if len(rows) == rules.IMPORT_MAX_ROWS:
            raise BadFile(_("Tệp có quá %(limit)s dòng dữ liệu."), limit=rules.IMPORT_MAX_ROWS)
        rows.append((number, cells))
    if headers is None:
        raise BadFile(_("Tệp không có dữ liệu."))
    if not rows:
        raise BadFile(_("Tệp chỉ có dòng tiêu đề, chưa có dòng dữ liệu nào."))
    return Table(headers, rows)


# ------------------------------------------------------------------ .xlsx


def _xlsx_lines(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = book.worksheets[0]
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError, TypeError):
        raise BadFile(_("Không đọc được tệp Excel: tệp hỏng hoặc không phải .xlsx.")) from None
    return _sheet_lines(sheet)


def _sheet_lines(sheet) -> Iterator[tuple[int, list[str]]]:
    formulas: list[str] = []
    lines = []
    # Not the dimension the file declares (or, when it declares none, one computed by reading
    # the whole sheet once more): each row as far as its last cell, cut at the limit.
    sheet.reset_dimensions()
    try:
        for row in sheet.iter_rows():
            cells = []
            for cell in row[: rules.IMPORT_MAX_COLUMNS]:
                if cell.data_type in ("f", "e"):
                    formulas.append(cell.coordinate)
                cells.append(_cell_text(cell.value))
            number = next((cell.row for cell in row if hasattr(cell, "row")), None)
            if number is not None:  # an empty cell knows no row; a row of them is skipped
                lines.append((number, cells))
            if len(lines) > rules.IMPORT_MAX_ROWS + 50 and not formulas:
                break  # _table refuses the file as too long; stop reading it
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise BadFile(_("Không đọc được tệp Excel: tệp hỏng hoặc không phải .xlsx.")) from None
    if formulas:
        raise BadFile(
            _(
                "Tệp có ô chứa công thức (%(cells)s). Hãy sao chép và dán dạng giá trị "
                "(Paste Values) rồi tải lại."
            ),
            cells=", ".join(formulas[:SHOWN_CELLS]) + (" …" if len(formulas) > SHOWN_CELLS else ""),
        )
    return iter(lines)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return f"{value:%d/%m/%Y}"
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFC", str(value)).strip()


# ------------------------------------------------------------------ .csv


def _csv_lines(data: bytes) -> Iterator[tuple[int, list[str]]]:
    text = unicodedata.normalize("NFC", _decoded(data))
    if "\x00" in text:
        raise BadFile(_("Tệp không phải văn bản CSV."))
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return iter(
            [
                (reader.line_num, [c.strip() for c in row[: rules.IMPORT_MAX_COLUMNS]])
                for row in reader
            ]
        )
    except csv.Error:
        raise BadFile(_("Tệp CSV sai định dạng (dấu ngoặc kép không đóng?).")) from None


def _decoded(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BadFile(
        _("Không đọc được bảng mã của tệp CSV: hãy lưu lại dạng “CSV UTF-8” rồi tải lại.")
    )


# ------------------------------------------------------------------ headers


def header_key(text: str) -> str:
    """A header as compared: no case, diacritics, spaces or marks ("Số TB (*)" → "sotb")."""
    return NOT_HEADER.sub("", fold(unicodedata.normalize("NFC", text)).lower())


@dataclass(frozen=True)
class Layout:
    positions: dict[str, int]  # column key → index of its cell
    ignored: list[str]  # headers no column claims


def match_headers(
    headers: Sequence[str], columns: Sequence[Column], names: dict[str, str]
) -> Layout:
    """Which cell holds which column. `names` maps header_key(a name) → column key."""
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, header in enumerate(headers):
        key = names.get(header_key(header))
        if key is None:
            if header:
                ignored.append(header)
        elif key in positions:
            raise BadFile(_("Cột “%(header)s” xuất hiện hai lần."), header=header)
        else:
            positions[key] = index
    missing = [str(c.label) for c in columns if c.required and c.key not in positions]
    if missing:
        raise BadFile(
            _("Thiếu cột bắt buộc: %(columns)s. Hãy dùng tệp mẫu."), columns=", ".join(missing)
        )
    if not positions:
        raise BadFile(_("Không nhận ra cột nào trong dòng tiêu đề. Hãy dùng tệp mẫu."))
    return Layout(positions, ignored)
