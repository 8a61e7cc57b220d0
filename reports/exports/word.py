"""The report as a Word document in the layout of Decree 30/2020/NĐ-CP: A4 portrait, Times
New Roman 13–14, the issuing body and the national motto side by side, "Số: …/BC-HĐND",
"<place>, ngày … tháng … năm …", the title and subject, the text, the signature block
"TM. THƯỜNG TRỰC HĐND" with the distribution list, then the tables as appendices in a
landscape section."""

import datetime
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document as new_docx
from docx.document import Document as Docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from reports.documents import DATE, NUMBER, PERCENT, Document, Table, cell_text
from reports.models import ReportSnapshot

FONT = "Times New Roman"
BODY, SMALL, TABLE_SIZE = 14, 13, 13
CENTER, LEFT, RIGHT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)
ALIGN = {NUMBER: RIGHT, PERCENT: RIGHT, DATE: CENTER}


def document_bytes(snapshot: ReportSnapshot, document: Document) -> bytes:
    doc = new_docx()
    _base_style(doc)
    _page(doc.sections[0], landscape=False)
    _heading(doc, snapshot)
    _para(doc, document.title, BODY, bold=True, before=12)
    _para(doc, document.subject, BODY, bold=True)
    if document.scope:
        _para(doc, document.scope, SMALL, italic=True)
    _para(doc, "", BODY)
    for text in document.paragraphs:
        _body(doc, text)
    _signature(doc)
    if document.tables:
        _page(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)
        for index, table in enumerate(document.tables):
            _appendix(doc, table, first=index == 0)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def date_line(place: str, day: datetime.date) -> str:
    """ "Hậu Giang, ngày 05 tháng 6 năm 2026": days below 10 and the months January and
    February take a leading zero (Decree 30/2020, Appendix I)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return _("%(place)s, ngày %(day)s tháng %(month)s năm %(year)s") % {
        "place": place,
        "day": f"{day.day:02d}",
        "month": month,
        "year": day.year,
    }


def _base_style(doc: Docx) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)


def _page(section, *, landscape: bool) -> None:
    short, long = Cm(21), Cm(29.7)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin = Cm(2 if landscape else 3)
    section.right_margin = Cm(1.5)


def _para(container, text: str, size: int, *, bold=False, italic=False, align=CENTER, before=0):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(before)
    if text:
        run = paragraph.add_run(text)
        run.font.size, run.bold, run.italic = Pt(size), bold, italic
    return paragraph


def _cell_para(cell, text: str, size: int, *, bold=False, italic=False, align=CENTER, first=False):
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.font.size, run.bold, run.italic = Pt(size), bold, italic
    return paragraph


def _heading(doc: Docx, snapshot: ReportSnapshot) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(10)
    _cell_para(left, snapshot.council.name.upper(), SMALL, first=True)
    _cell_para(left, _("THƯỜNG TRỰC HĐND"), SMALL, bold=True)
    _cell_para(left, "———", SMALL)
    number = snapshot.number or "…/BC-HĐND"
    _cell_para(left, _("Số: %(number)s") % {"number": number}, SMALL)
    _cell_para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", SMALL, bold=True, first=True)
    _cell_para(right, "Độc lập - Tự do - Hạnh phúc", BODY, bold=True)
    _cell_para(right, "———————————", SMALL)
    day = timezone.localdate(snapshot.created_at)
    _cell_para(right, date_line(snapshot.council.place, day), BODY, italic=True)


def _body(doc: Docx, text: str) -> None:
    paragraph = _para(doc, text, BODY, align=JUSTIFY)
    paragraph.paragraph_format.first_line_indent = Cm(1.27)
    paragraph.paragraph_format.space_after = Pt(6)


def _signature(doc: Docx) -> None:
    _para(doc, "", BODY)
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Cm(8), Cm(8.5)
    _cell_para(left, _("Nơi nhận:"), 12, bold=True, italic=True, align=LEFT, first=True)
    for line in (
        _("- Thường trực HĐND;"),
        _("- Các Ban của HĐND;"),
        _("- Ủy ban nhân dân;"),
        _("- Lưu: VT."),
    ):
        _cell_para(left, line, 11, align=LEFT)
    _cell_para(right, _("TM. THƯỜNG TRỰC HĐND"), BODY, bold=True, first=True)
    _cell_para(right, _("CHỦ TỊCH"), BODY, bold=True)
    for _line in range(4):
        _cell_para(right, "", BODY)


def _appendix(doc: Docx, table: Table, *, first: bool) -> None:
    heading = _para(doc, table.title, BODY, bold=True, before=0 if first else 18)
    heading.paragraph_format.keep_with_next = True
    heading.paragraph_format.space_after = Pt(6)
    rows = [*table.rows, *([table.total] if table.total else [])]
    grid = doc.add_table(rows=1 + max(len(rows), 1), cols=len(table.columns))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for col, column in enumerate(table.columns):
        cell = grid.cell(0, col)
        _cell_para(cell, column.header, TABLE_SIZE, bold=True, first=True)
    _repeat_header(grid.rows[0])
    if not rows:
        merged = grid.cell(1, 0).merge(grid.cell(1, len(table.columns) - 1))
        _cell_para(merged, _("Không có"), TABLE_SIZE, italic=True, first=True)
    for r, values in enumerate(rows, start=1):
        bold = table.total is not None and r == len(rows)
        for col, (column, value) in enumerate(zip(table.columns, values, strict=True)):
            text = cell_text(column.kind, value)
            align = ALIGN.get(column.kind, LEFT)
            _cell_para(grid.cell(r, col), text, TABLE_SIZE, bold=bold, align=align, first=True)
    for col, column in enumerate(table.columns):
        for cell in grid.columns[col].cells:
            cell.width = Cm(column.width)
    for index, line in enumerate(table.note):
        note = _para(doc, line, TABLE_SIZE, italic=True, bold=index == 0, align=JUSTIFY)
        note.paragraph_format.space_before = Pt(6 if index == 0 else 0)


def _repeat_header(row) -> None:
    """The header row repeats at the top of every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
