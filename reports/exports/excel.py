"""The report as an Excel workbook: one sheet per table, a title above, a header row with
filters, real dates and percentages, set column widths, and no formulas at all."""

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reports.documents import DATE, NUMBER, PERCENT, Document, Table
from reports.models import ReportSnapshot

HEADER_ROW = 4
CM_TO_CHARS = 4.2  # Excel widths count characters of the default font
THIN = Side(style="thin", color="9E9E9E")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="E8EAF6")
FONT = "Times New Roman"


def workbook_bytes(snapshot: ReportSnapshot, document: Document) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for table in document.tables:
        sheet = book.create_sheet(_sheet_name(table.sheet, book.sheetnames))
        _write_table(sheet, snapshot, document, table)
    book.properties.title = document.subject
    book.properties.creator = snapshot.council.name
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_name(title: str, taken: list[str]) -> str:
    """Excel allows 31 characters and no []:*?/\\ in a sheet name, unique in the book."""
    name = re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip()
    candidate, n = name, 2
    while candidate in taken:
        suffix = f" ({n})"
        candidate, n = name[: 31 - len(suffix)] + suffix, n + 1
    return candidate


def _write_table(sheet: Worksheet, snapshot, document: Document, table: Table) -> None:
    width = len(table.columns)
    sheet.cell(1, 1, table.title).font = Font(name=FONT, bold=True, size=14)
    subtitle = f"{snapshot.council.name} · {document.subject}"
    if document.scope:
        subtitle += f" · {document.scope}"
    sheet.cell(2, 1, subtitle).font = Font(name=FONT, italic=True, size=12)
    for col, column in enumerate(table.columns, start=1):
        cell = sheet.cell(HEADER_ROW, col, column.header)
        cell.font = Font(name=FONT, bold=True, size=12)
        cell.fill = HEADER_FILL
        cell.border = GRID
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(col)].width = round(column.width * CM_TO_CHARS)
    sheet.row_dimensions[HEADER_ROW].height = 48
    rows = [*table.rows, *([table.total] if table.total else [])]
    for r, values in enumerate(rows, start=HEADER_ROW + 1):
        bold = table.total is not None and r == HEADER_ROW + len(rows)
        for col, (column, value) in enumerate(zip(table.columns, values, strict=True), start=1):
            _write_cell(sheet, r, col, column.kind, value, bold)
    last = HEADER_ROW + max(len(table.rows), 1)
    _write_note(sheet, HEADER_ROW + len(rows) + 2, table)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(width)}{last}"
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    sheet.print_options.gridLines = False
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _write_cell(sheet: Worksheet, row: int, col: int, kind: str, value, bold: bool) -> None:
    cell = sheet.cell(row, col)
    if value is None:
        value = "—" if kind == PERCENT else ""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # text starting with "=" stays text, never a formula
    elif kind == DATE:
        cell.number_format = "DD/MM/YYYY"
    elif kind == PERCENT:
        cell.number_format = "0.0%"
    horizontal = "right" if kind in (NUMBER, PERCENT) else "center" if kind == DATE else "left"
    cell.alignment = Alignment(horizontal=horizontal, vertical="top", wrap_text=True)
    cell.font = Font(name=FONT, size=12, bold=bold)
    cell.border = GRID


def _write_note(sheet: Worksheet, first_row: int, table: Table) -> None:
    """ "Cách tính" under the table, each line across the table's width."""
    width = len(table.columns)
    chars = sum(round(column.width * CM_TO_CHARS) for column in table.columns)
    for r, line in enumerate(table.note, start=first_row):
        cell = sheet.cell(r, 1, line)
        cell.data_type = "s"
        cell.font = Font(name=FONT, italic=True, size=11, bold=r == first_row)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if width > 1:
            sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        sheet.row_dimensions[r].height = 15 * (1 + len(line) // max(chars, 1))
