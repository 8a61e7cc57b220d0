"""Report G: what falls due or became overdue this week, and extensions waiting."""

from django.utils.translation import gettext as _

from reports.documents.base import (
    DATE,
    NUMBER,
    TEXT,
    Column,
    Document,
    Table,
    case_table,
    day_of,
    dmy,
    scope_text,
)
from reports.models import ReportSnapshot


def weekly_document(snapshot: ReportSnapshot, figures: dict) -> Document:
    as_of, horizons = snapshot.as_of, figures["horizons"]
    tables = [
        case_table(
            "due_3",
            _("Đến hạn trong 3 ngày làm việc (đến ngày %(day)s)") % {"day": dmy(horizons["3"])},
            _("Đến hạn trong 3 ngày"),
            figures["due_3"],
            as_of,
        ),
        case_table(
            "due_7",
            _("Đến hạn trong 4 đến 7 ngày làm việc (đến ngày %(day)s)")
            % {"day": dmy(horizons["7"])},
            _("Đến hạn trong 7 ngày"),
            figures["due_7"],
            as_of,
        ),
        case_table(
            "due_15",
            _("Đến hạn trong 8 đến 15 ngày làm việc (đến ngày %(day)s)")
            % {"day": dmy(horizons["15"])},
            _("Đến hạn trong 15 ngày"),
            figures["due_15"],
            as_of,
        ),
        case_table(
            "newly_overdue",
            _("Mới quá hạn (thời hạn từ ngày %(since)s)") % {"since": dmy(figures["since"])},
            _("Mới quá hạn"),
            figures["newly_overdue"],
            as_of,
        ),
        _extensions_table(figures["extensions"]),
    ]
    paragraphs = [
        _(
            "Trong tuần đến ngày %(day)s: %(due_3)s kiến nghị đến hạn trong 3 ngày làm việc, "
            "%(due_7)s kiến nghị đến hạn trong 4 đến 7 ngày làm việc, %(due_15)s kiến nghị đến "
            "hạn trong 8 đến 15 ngày làm việc; %(newly)s kiến nghị mới quá hạn; %(waiting)s đề "
            "nghị gia hạn đang chờ quyết định."
        )
        % {
            "day": dmy(as_of),
            "due_3": len(figures["due_3"]),
            "due_7": len(figures["due_7"]),
            "due_15": len(figures["due_15"]),
            "newly": len(figures["newly_overdue"]),
            "waiting": len(figures["extensions"]),
        }
    ]
    return Document(
        title=_("BÁO CÁO"),
        subject=_("Tình hình kiến nghị đến hạn, quá hạn trong tuần (tính đến ngày %(day)s)")
        % {"day": dmy(as_of)},
        scope=scope_text(snapshot),
        paragraphs=paragraphs,
        tables=tables,
    )


def _extensions_table(items: list[dict]) -> Table:
    return Table(
        key="extensions",
        title=_("Đề nghị gia hạn đang chờ quyết định"),
        sheet=_("Chờ quyết định gia hạn"),
        columns=[
            Column(_("STT"), NUMBER, 1.0),
            Column(_("Thông báo"), TEXT, 2.6),
            Column(_("Mục"), TEXT, 1.3),
            Column(_("Cơ quan đề nghị"), TEXT, 3.8),
            Column(_("Ngày đề nghị"), DATE, 2.3),
            Column(_("Thời hạn khi đề nghị"), DATE, 2.3),
            Column(_("Đề nghị gia hạn đến"), DATE, 2.3),
            Column(_("Lý do"), TEXT, 8.0),
        ],
        rows=[
            [
                i,
                item["notice"],
                item["anchor"],
                item["agency"],
                day_of(item["requested_at"]),
                day_of(item["deadline"]),
                day_of(item["requested_until"]),
                item["reason"],
            ]
            for i, item in enumerate(items, start=1)
        ],
        case_ids=[item["case"] for item in items],
    )
