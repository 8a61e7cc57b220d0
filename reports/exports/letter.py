"""An urging letter as a Word document (công văn, Decree 30/2020): the issuing committee or the
Standing Committee with the number and "V/v đôn đốc …", the addressees, the agency's overdue
items in a table, what is asked and by when, the distribution list and the signature block the
council configures. Drawn from `workflow.letters.letter_content`: a sent letter's frozen
content, or a draft as it stands."""

import datetime
import io

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Cm

from conclusions.document_style import DocumentStyle
from reports.exports.decree30 import (
    BODY,
    CENTER,
    LEFT,
    RIGHT,
    SMALL,
    TABLE_SIZE,
    body,
    cell_para,
    heading,
    new_document,
    number_text,
    para,
    set_widths,
    signature,
)
from workflow.models import UrgingLetter

COLUMNS = (  # header, width in cm, alignment: 16.5 cm, the width of an A4 portrait page
    ("STT", 1.0, RIGHT),
    ("Thông báo", 2.6, LEFT),
    ("Mục", 1.3, LEFT),
    ("Nội dung kiến nghị", 7.2, LEFT),
    ("Thời hạn", 2.2, CENTER),
    ("Số ngày quá hạn", 2.2, RIGHT),
)


def letter_bytes(content: dict, *, draft: bool = False) -> bytes:
    style = DocumentStyle.from_json(content["style"])
    day = datetime.date.fromisoformat(content["date"])
    standing = content["kind"] == UrgingLetter.Kind.STANDING
    doc = new_document()
    if draft:
        para(doc, _("DỰ THẢO"), SMALL, bold=True, align=RIGHT)
    heading(
        doc,
        council=content["council"],
        issuer=style.issuer,
        number=number_text(content["number"], style.symbol),
        place=content["place"],
        day=day,
        excerpt=_("V/v đôn đốc thực hiện kiến nghị sau giám sát"),
    )
    para(doc, "", BODY)
    _addressees(doc, content, standing)
    para(doc, "", BODY)
    body(doc, _opening(content, standing))
    _items(doc, content["items"])
    body(doc, _request(content, standing))
    signature(doc, style, addressed=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _addressees(doc, content: dict, standing: bool) -> None:
    addressee = content["addressee"]
    if standing:
        names = [_("Chủ tịch %(body)s") % {"body": addressee}] if addressee else []
        names.append(content["agency"])
    else:
        names = [content["agency"], *([addressee] if addressee else [])]
    if len(names) == 1:
        para(doc, _("Kính gửi: %(name)s.") % {"name": names[0]}, BODY)
        return
    para(doc, _("Kính gửi:"), BODY)
    for index, name in enumerate(names):
        line = para(doc, f"- {name}{'.' if index == len(names) - 1 else ';'}", BODY, align=LEFT)
        line.paragraph_format.left_indent = Cm(5)


def _opening(content: dict, standing: bool) -> str:
    values = {"committee": content["committee"], "agency": content["agency"]}
    values["n"] = len(content["items"])
    if standing:
        return (
            _(
                "Qua theo dõi, đôn đốc của %(committee)s, đến nay %(agency)s chưa báo cáo kết "
                "quả thực hiện %(n)s kiến nghị sau giám sát đã quá thời hạn, dù %(committee)s "
                "đã có văn bản đôn đốc, cụ thể như sau:"
            )
            % values
        )
    return (
        _(
            "Thực hiện nhiệm vụ theo dõi, đôn đốc việc thực hiện kiến nghị sau giám sát, "
            "%(committee)s nhận thấy %(agency)s chưa báo cáo kết quả thực hiện %(n)s kiến nghị "
            "đã quá thời hạn, cụ thể như sau:"
        )
        % values
    )


def _request(content: dict, standing: bool) -> str:
    answer_by = date_format(datetime.date.fromisoformat(content["answer_by"]), "d/m/Y")
    values = {"committee": content["committee"], "agency": content["agency"], "day": answer_by}
    values["addressee"] = content["addressee"] or _("Ủy ban nhân dân")
    if standing:
        return (
            _(
                "Thường trực HĐND đề nghị Chủ tịch %(addressee)s chỉ đạo %(agency)s khẩn trương "
                "thực hiện và báo cáo kết quả (kèm minh chứng) về Thường trực HĐND, qua "
                "%(committee)s, trước ngày %(day)s. Quá thời hạn trên, Thường trực HĐND sẽ xem "
                "xét tổ chức phiên giải trình hoặc đưa nội dung vào chất vấn tại kỳ họp."
            )
            % values
        )
    return (
        _(
            "%(committee)s đề nghị %(agency)s khẩn trương thực hiện dứt điểm các nội dung trên "
            "và báo cáo kết quả (kèm minh chứng) về %(committee)s trước ngày %(day)s. Quá thời "
            "hạn trên mà chưa có báo cáo, %(committee)s sẽ báo cáo Thường trực HĐND xem xét, "
            "quyết định theo quy định."
        )
        % values
    )


def _items(doc, items: list[dict]) -> None:
    grid = doc.add_table(rows=1 + len(items), cols=len(COLUMNS))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for col, (header, _width, _align) in enumerate(COLUMNS):
        cell_para(grid.cell(0, col), header, TABLE_SIZE, bold=True, first=True)
    for row, item in enumerate(items, start=1):
        notice = _("%(number)s ngày %(day)s") % {
            "number": item["notice"],
            "day": date_format(datetime.date.fromisoformat(item["notice_date"]), "d/m/Y"),
        }
        deadline = item["deadline"]
        values = (
            str(row),
            notice,
            item["anchor"],
            item["text"],
            date_format(datetime.date.fromisoformat(deadline), "d/m/Y") if deadline else "",
            str(item["days_overdue"] or ""),
        )
        for col, (text, (_h, _w, align)) in enumerate(zip(values, COLUMNS, strict=True)):
            cell_para(grid.cell(row, col), text, TABLE_SIZE, align=align, first=True)
    set_widths(grid, [width for _header, width, _align in COLUMNS])
    para(doc, "", BODY)
