"""Report A as it was made before the figures were defined anew (workflow/definitions.py):
snapshots frozen then keep their columns and figures, with a line saying how they were
counted."""

from typing import Any

from django.utils.translation import gettext as _

from reports.documents.base import (
    NUMBER,
    PERCENT,
    TEXT,
    Column,
    Document,
    Table,
    dmy,
    overdue_table,
    percent,
    scope_text,
)
from reports.models import ReportSnapshot
from reports.queries import percent_text


def _tally_columns(first: str) -> list[Column]:
    return [
        Column(_("STT"), NUMBER, 1.0),
        Column(first, TEXT, 5.5),
        Column(_("Tổng số"), NUMBER, 1.6),
        Column(_("Đã hoàn thành"), NUMBER, 2.0),
        Column(_("Trong đó: hoàn thành một phần"), NUMBER, 2.2),
        Column(_("Đang thực hiện trong hạn"), NUMBER, 2.2),
        Column(_("Đang thực hiện quá hạn"), NUMBER, 2.2),
        Column(_("Chưa thực hiện"), NUMBER, 2.0),
        Column(_("Đã giải trình, có lộ trình"), NUMBER, 2.2),
        Column(_("Chuyển cấp có thẩm quyền"), NUMBER, 2.2),
        Column(_("Tỷ lệ hoàn thành đúng hạn"), PERCENT, 2.2),
    ]


TALLY_FIELDS = (
    "total",
    "done",
    "partially",
    "on_time",
    "overdue",
    "not_implemented",
    "explained",
    "forwarded",
)


def _tally_cells(tally: dict) -> list[Any]:
    return [tally[name] for name in TALLY_FIELDS] + [
        percent(tally["closed_on_time"], tally["closed"])
    ]


def _tally_table(
    key: str, title: str, sheet: str, first: str, rows: list[dict], totals: dict
) -> Table:
    return Table(
        key=key,
        title=title,
        sheet=sheet,
        columns=_tally_columns(first),
        rows=[[i, row["name"], *_tally_cells(row)] for i, row in enumerate(rows, start=1)],
        total=["", _("Tổng cộng"), *_tally_cells(totals)],
    )


def results_document_v1(snapshot: ReportSnapshot, figures: dict) -> Document:
    totals, day = figures["totals"], dmy(snapshot.as_of)
    overdue = figures["overdue"]
    paragraphs = [
        _(
            "Báo cáo lập theo cách tính trước đây: đang thực hiện quá hạn gồm cả kiến nghị đã "
            "báo cáo chờ Ban đánh giá; tỷ lệ đúng hạn là số hồ sơ đóng trước hoặc đúng thời hạn "
            "trên số hồ sơ đã đóng. Số liệu giữ nguyên như khi lập."
        ),
        _(
            "Tính đến ngày %(day)s, tổng số kiến nghị được theo dõi là %(total)s; trong đó "
            "đã hoàn thành %(done)s (hoàn thành một phần %(partially)s), đang thực hiện trong "
            "hạn %(on_time)s, đang thực hiện quá hạn %(overdue)s, chưa thực hiện "
            "%(not_implemented)s, đã giải trình hoặc có lộ trình %(explained)s, chuyển cấp có "
            "thẩm quyền %(forwarded)s."
        )
        % ({"day": day} | totals),
        _(
            "Tỷ lệ hoàn thành đúng hạn: %(rate)s (%(on_time)s trên %(closed)s kiến nghị đã "
            "đóng hồ sơ được hoàn thành trước hoặc đúng thời hạn)."
        )
        % {
            "rate": percent_text(percent(totals["closed_on_time"], totals["closed"])),
            "on_time": totals["closed_on_time"],
            "closed": totals["closed"],
        },
        _("Có %(n)s kiến nghị quá hạn chưa hoàn thành, chi tiết tại Phụ lục III.")
        % {"n": len(overdue)},
    ]
    appendix = overdue_table(
        overdue,
        title=_("Phụ lục III. Danh mục kiến nghị quá hạn"),
        count=(_("Số lần nhắc hạn"), "reminders"),
    )
    return Document(
        title=_("BÁO CÁO"),
        subject=_("Kết quả thực hiện các kiến nghị sau giám sát (tính đến ngày %(day)s)")
        % {"day": day},
        scope=scope_text(snapshot),
        paragraphs=paragraphs,
        tables=[
            _tally_table(
                "by_agency",
                _("Phụ lục I. Kết quả thực hiện kiến nghị theo cơ quan"),
                _("Theo cơ quan"),
                _("Cơ quan"),
                figures["by_agency"],
                totals,
            ),
            _tally_table(
                "by_committee",
                _("Phụ lục II. Kết quả thực hiện kiến nghị theo Ban theo dõi"),
                _("Theo Ban"),
                _("Ban theo dõi"),
                figures["by_committee"],
                totals,
            ),
            appendix,
        ],
    )
