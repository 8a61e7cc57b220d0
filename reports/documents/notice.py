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
from reports.models import ReportSnapshot


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
        _(
            "Tính đến ngày %(day)s, %(total)s kiến nghị: đã hoàn thành %(done)s, đang thực hiện "
            "trong hạn %(on_time)s, quá hạn %(overdue)s, chưa thực hiện %(not_implemented)s, "
            "đã giải trình hoặc có lộ trình %(explained)s, chuyển cấp có thẩm quyền %(forwarded)s."
        )
        % ({"day": day} | totals),
    ]
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
