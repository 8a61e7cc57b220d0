"""The report as a Word document in the layout of Decree 30/2020/NĐ-CP (exports/decree30.py): A4
portrait, Times New Roman 13–14, the issuing body and the national motto side by side,
"Số: …/BC-HĐND", "<place>, ngày … tháng … năm …", the title and subject, the text, the
distribution list and the signature block the council configures (conclusions.document_style:
TM./KT., title, name), page numbers from the second page, then the tables as appendices in a
landscape section, each headed "(Kèm theo Báo cáo số …/BC-HĐND ngày …)"."""

import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx.document import Document as Docx
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from conclusions.document_style import DocumentStyle, document_style
from reports.documents import DATE, NUMBER, PERCENT, Document, Table, cell_text
from reports.exports.decree30 import (
    BODY,
    CENTER,
    JUSTIFY,
    LEFT,
    RIGHT,
    SMALL,
    TABLE_SIZE,
    body,
    cell_para,
    date_line,
    heading,
    new_document,
    number_pages,
    number_text,
    page,
    para,
    set_widths,
    signature,
)
from reports.models import ReportSnapshot

__all__ = ["date_line", "document_bytes", "report_style"]

ALIGN = {NUMBER: RIGHT, PERCENT: RIGHT, DATE: CENTER}


def report_style(snapshot: ReportSnapshot) -> DocumentStyle:
    """Who signs a report of this kind in this council, and where it is sent."""
    return document_style(snapshot.council, f"report.{snapshot.kind}")


def document_bytes(snapshot: ReportSnapshot, document: Document) -> bytes:
    style = report_style(snapshot)
    number = number_text(snapshot.number, style.symbol)
    day = timezone.localdate(snapshot.created_at)
    doc = new_document()
    heading(
        doc,
        council=snapshot.council.name,
        issuer=style.issuer,
        number=number,
        place=snapshot.council.place,
        day=day,
    )
    para(doc, document.title, BODY, bold=True, before=12)
    para(doc, document.subject, BODY, bold=True)
    if document.scope:
        para(doc, document.scope, SMALL, italic=True)
    para(doc, "", BODY)
    for text in document.paragraphs:
        body(doc, text)
    signature(doc, style)
    if document.tables:
        section = doc.add_section(WD_SECTION.NEW_PAGE)
        page(section, landscape=True)
        number_pages(section, first_section=False)
        attached = _("(Kèm theo Báo cáo số %(number)s ngày %(day)s)") % {
            "number": number,
            "day": date_format(day, "d/m/Y"),
        }
        for index, table in enumerate(document.tables):
            _appendix(doc, table, attached, first=index == 0)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _appendix(doc: Docx, table: Table, attached: str, *, first: bool) -> None:
    title = para(doc, table.title, BODY, bold=True, before=0 if first else 18)
    title.paragraph_format.keep_with_next = True
    line = para(doc, attached, SMALL, italic=True)
    line.paragraph_format.keep_with_next = True
    line.paragraph_format.space_after = Pt(6)
    rows = [*table.rows, *([table.total] if table.total else [])]
    grid = doc.add_table(rows=1 + max(len(rows), 1), cols=len(table.columns))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for col, column in enumerate(table.columns):
        cell = grid.cell(0, col)
        cell_para(cell, column.header, TABLE_SIZE, bold=True, first=True)
    _repeat_header(grid.rows[0])
    if not rows:
        merged = grid.cell(1, 0).merge(grid.cell(1, len(table.columns) - 1))
        cell_para(merged, _("Không có"), TABLE_SIZE, italic=True, first=True)
    for r, values in enumerate(rows, start=1):
        bold = table.total is not None and r == len(rows)
        for col, (column, value) in enumerate(zip(table.columns, values, strict=True)):
            text = cell_text(column.kind, value)
            align = ALIGN.get(column.kind, LEFT)
            cell_para(grid.cell(r, col), text, TABLE_SIZE, bold=bold, align=align, first=True)
    set_widths(grid, [column.width for column in table.columns])
    for index, line in enumerate(table.note):
        note = para(doc, line, TABLE_SIZE, italic=True, bold=index == 0, align=JUSTIFY)
        note.paragraph_format.space_before = Pt(6 if index == 0 else 0)


def _repeat_header(row) -> None:
    """The header row repeats at the top of every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
