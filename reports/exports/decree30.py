"""The layout of Decree 30/2020/NĐ-CP that every Word document here shares (reports and urging
letters): A4, Times New Roman 13–14, the issuing body and the national motto side by side over
the number and the date line, page numbers from the second page (centred in the header), and
the distribution list ("Nơi nhận") beside the signature block (TM./KT., title, name)."""

import datetime

from django.utils.translation import gettext as _
from docx import Document as new_docx
from docx.document import Document as Docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from conclusions.document_style import DocumentStyle

FONT = "Times New Roman"
BODY, SMALL, TABLE_SIZE = 14, 13, 13
CENTER, LEFT, RIGHT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def new_document() -> Docx:
    """An empty A4 portrait document in the base style, numbered from its second page."""
    doc = new_docx()
    _base_style(doc)
    page(doc.sections[0], landscape=False)
    number_pages(doc.sections[0], first_section=True)
    return doc


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


def number_text(number: str, symbol: str) -> str:
    """ "15/BC-HĐND", or "…/BC-HĐND" while the office has not numbered it."""
    return number or f"…/{symbol}"


def _base_style(doc: Docx) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)


def page(section, *, landscape: bool) -> None:
    short, long = Cm(21), Cm(29.7)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin = Cm(2 if landscape else 3)
    section.right_margin = Cm(1.5)
    section.header_distance = Cm(1)


def number_pages(section, *, first_section: bool) -> None:
    """The page number centred at the top: not on the document's first page, on every other
    (a later section's first page included); the count runs on across sections."""
    section.different_first_page_header_footer = first_section
    if not first_section:
        return  # the header is linked to the first section's and shows the number
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = CENTER
    run = paragraph.add_run()
    run.font.size = Pt(SMALL)
    for kind, text in (("begin", ""), ("instr", "PAGE"), ("separate", ""), ("t", "2"), ("end", "")):
        if kind in ("instr", "t"):
            element = OxmlElement("w:instrText" if kind == "instr" else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def para(container, text: str, size: int, *, bold=False, italic=False, align=CENTER, before=0):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(before)
    if text:
        run = paragraph.add_run(text)
        run.font.size, run.bold, run.italic = Pt(size), bold, italic
    return paragraph


def cell_para(cell, text: str, size: int, *, bold=False, italic=False, align=CENTER, first=False):
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.font.size, run.bold, run.italic = Pt(size), bold, italic
    return paragraph


def body(doc: Docx, text: str, *, indent: bool = True) -> None:
    paragraph = para(doc, text, BODY, align=JUSTIFY)
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1.27)
    paragraph.paragraph_format.space_after = Pt(6)


def two_columns(doc: Docx, left: float, right: float):
    """A borderless two-column table of fixed widths (in cm): LibreOffice reads the grid's
    widths, Word the cells'."""
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    set_widths(table, [left, right])
    return table


def keep_together(row) -> None:
    """A row that never breaks across pages (the signature block stays whole)."""
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(cant_split)


def set_widths(table, widths: list[float]) -> None:
    """Column widths in cm, on the grid (LibreOffice reads it) and on every cell (Word does)."""
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def heading(
    doc: Docx,
    *,
    council: str,
    issuer: str,
    number: str,
    place: str,
    day: datetime.date,
    excerpt: str = "",
) -> None:
    """The issuing body over its number (and a letter's "V/v …"), beside the national motto
    over the place and date."""
    table = two_columns(doc, 6, 10.5)
    left, right = table.rows[0].cells
    cell_para(left, council.upper(), SMALL, first=True)
    cell_para(left, issuer.upper(), SMALL, bold=True)
    cell_para(left, "———", SMALL)
    cell_para(left, _("Số: %(number)s") % {"number": number}, SMALL)
    if excerpt:
        cell_para(left, excerpt, 12)
    cell_para(right, MOTTO[0], 12, bold=True, first=True)
    cell_para(right, MOTTO[1], BODY, bold=True)
    cell_para(right, "———————————", SMALL)
    cell_para(right, date_line(place, day), BODY, italic=True)


def recipient_lines(style: DocumentStyle, *, addressed: bool = False) -> list[str]:
    """ "- Thường trực Tỉnh ủy;" … "- Lưu: VT.": a letter's addressees first, "as above"."""
    names = [*([_("Như trên")] if addressed else []), *style.recipients]
    return [f"- {name}{'.' if i == len(names) - 1 else ';'}" for i, name in enumerate(names)]


def signature(doc: Docx, style: DocumentStyle, *, addressed: bool = False) -> None:
    """ "Nơi nhận" on the left; the capacity lines, room to sign and the name on the right."""
    para(doc, "", BODY)
    table = two_columns(doc, 8, 8.5)
    keep_together(table.rows[0])
    left, right = table.rows[0].cells
    cell_para(left, _("Nơi nhận:"), 12, bold=True, italic=True, align=LEFT, first=True)
    for line in recipient_lines(style, addressed=addressed):
        cell_para(left, line, 11, align=LEFT)
    for index, line in enumerate(style.capacity):
        cell_para(right, line, BODY, bold=True, first=index == 0)
    for _line in range(4):
        cell_para(right, "", BODY)
    if style.signer:
        cell_para(right, style.signer, BODY, bold=True)
