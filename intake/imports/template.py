"""The template a user downloads and fills in: the headers in Vietnamese on the first sheet
(a comment on each with its hint), and a second sheet explaining every column. Filled in, it
is the sample sheet of the import's tests and benchmark."""

import io
from collections.abc import Iterable, Sequence

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from intake.imports.base import Column, SheetImport

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def template_workbook(sheet_import: SheetImport, rows: Iterable[Sequence] = ()) -> bytes:
    """The template, with `rows` typed under its header (a sheet as a clerk sends it back)."""
    with translation.override("vi"):
        book = Workbook()  # not write-only: shared strings and a dimension, as Excel writes
        sheet = book.active
        sheet.title = _("Dữ liệu")
        for index, column in enumerate(sheet_import.columns, start=1):
            _header(sheet, index, column)
        sheet.freeze_panes = "A2"
        for row in rows:
            sheet.append(list(row))
        _guide(book.create_sheet(_("Hướng dẫn")), sheet_import)
        out = io.BytesIO()
        book.save(out)
    return out.getvalue()


def template_header(sheet_import: SheetImport) -> list[str]:
    """The template's header row, for a sheet written another way (a .csv)."""
    with translation.override("vi"):
        return [header_text(column) for column in sheet_import.columns]


def header_text(column: Column) -> str:
    return f"{column.label} (*)" if column.required else str(column.label)


def _header(sheet, index: int, column: Column) -> None:
    cell = sheet.cell(row=1, column=index, value=header_text(column))
    cell.font = Font(bold=True)
    cell.fill = HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    hint = _hint(column)
    if hint:
        cell.comment = Comment(hint, "Đôn đốc", width=300, height=120)
    sheet.column_dimensions[get_column_letter(index)].width = column.width


def _hint(column: Column) -> str:
    required = _("Bắt buộc.") if column.required else ""
    return " ".join(part for part in (required, str(column.hint)) if part)


def _guide(sheet, sheet_import: SheetImport) -> None:
    sheet.append([str(sheet_import.title)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_("Điền mỗi dòng một bản ghi vào trang “Dữ liệu”, giữ nguyên dòng tiêu đề.")])
    sheet.append([_("Ngày ghi theo dạng dd/mm/yyyy; không dùng công thức (dán dạng giá trị).")])
    sheet.append([])
    sheet.append([_("Cột"), _("Bắt buộc"), _("Hướng dẫn")])
    for cell in sheet[5]:
        cell.font = Font(bold=True)
    for column in sheet_import.columns:
        sheet.append([str(column.label), _("có") if column.required else "", str(column.hint)])
    for letter, width in (("A", 32), ("B", 10), ("C", 90)):
        sheet.column_dimensions[letter].width = width
