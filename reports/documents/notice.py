"""Report B: how one conclusion notice is being carried out, as of a day."""

from django.utils.translation import gettext as _

from reports.documents.base import (
    NUMBER,
    TEXT,
    Column,
    Document,
    Table,
    assessment_text,
    deadline_text,
    dmy,
    report_text,
    scope_text,
    state_text,
)
from reports.documents.results import RESULT_NOTE
from reports.models import ReportSnapshot
from reports.queries import percent_text
from workflow.definitions import definitions_note


def notice_document(snapshot: ReportSnapshot, figures: dict) -> Document:
    notice, totals, items = figures["notice"], figures["totals"], figures["items"]
    day = dmy(snapshot.as_of)
    addressee = [
        item["agency"]
        + (
            "\n" + _("Phối hợp: %(names)s") % {"names": "; ".join(item["coordinating"])}
            if item["coordinating"]
            else ""
        )
        for item in items
    ]
    table = Table(
        key="items",
        title=_("Phụ lục. Kết quả thực hiện từng kiến nghị"),
        sheet=_("Từng kiến nghị"),
        columns=[
            Column(_("STT"), NUMBER, 1.0),
            Column(_("Mục"), TEXT, 1.4),
            Column(_("Nội dung kiến nghị"), TEXT, 6.0),
            Column(_("Cơ quan thực hiện"), TEXT, 3.6),
            Column(_("Thời hạn"), TEXT, 2.6),
            Column(_("Tình trạng"), TEXT, 2.6),
            Column(_("Báo cáo gần nhất"), TEXT, 5.0),
            Column(_("Đánh giá của Ban"), TEXT, 3.6),
        ],
        rows=[
            [
                i,
                item["anchor"],
                item["text"],
                addressee[i - 1],
                deadline_text(item),
                state_text(item, snapshot.as_of),
                report_text(item["report"]),
                assessment_text(item["assessment"]),
            ]
            for i, item in enumerate(items, start=1)
        ],
        case_ids=[item["case"] for item in items],
    )
    paragraphs = [
        _("Thông báo kết luận số %(number)s ngày %(date)s: %(title)s. Ban theo dõi: %(committee)s.")
        % {
            "number": notice["number"],
            "date": dmy(notice["issue_date"]),
            "title": notice["title"],
            "committee": notice["committee"],
        },
        _totals_text(day, totals, "version" in figures),
    ]
    table.note = definitions_note(*RESULT_NOTE) if "version" in figures else []
    return Document(
        title=_("BÁO CÁO"),
        subject=_(
            "Kết quả thực hiện Thông báo kết luận số %(number)s ngày %(date)s "
            "(tính đến ngày %(day)s)"
        )
        % {"number": notice["number"], "date": dmy(notice["issue_date"]), "day": day},
        scope=scope_text(snapshot),
        paragraphs=paragraphs,
        tables=[table],
    )


def _totals_text(day: str, totals: dict, current: bool) -> str:
    if not current:  # frozen before the figures were defined anew: worded as it was
        return _(
            "Tính đến ngày %(day)s, %(total)s kiến nghị: đã hoàn thành %(done)s, đang thực hiện "
            "trong hạn %(on_time)s, quá hạn %(overdue)s, chưa thực hiện %(not_implemented)s, "
            "đã giải trình hoặc có lộ trình %(explained)s, chuyển cấp có thẩm quyền %(forwarded)s."
        ) % ({"day": day} | totals)
    return _(
        "Tính đến ngày %(day)s, %(total)s kiến nghị: hoàn thành đúng hạn %(done_on_time)s, "
        "hoàn thành quá hạn %(done_late)s, hoàn thành một phần %(partially)s, đang thực hiện "
        "trong hạn %(in_progress)s, đang thực hiện quá hạn %(in_progress_overdue)s, chờ Ban "
        "đánh giá %(awaiting_review)s, chưa thực hiện %(not_implemented)s, đã giải trình hoặc "
        "có lộ trình %(explained_or_roadmap)s, chuyển cấp có thẩm quyền %(forwarded)s; tỷ lệ "
        "hoàn thành đúng hạn %(rate)s."
    ) % ({"day": day, "rate": percent_text(totals["on_time_rate"])} | totals)
