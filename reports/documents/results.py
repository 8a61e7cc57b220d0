"""Report A: results by agency and by committee, as of a day, counted by the rules of
workflow/definitions.py; each table ends with the "Cách tính" note of what it counts."""

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
    scope_text,
)
from reports.documents.results_v1 import results_document_v1
from reports.models import ReportSnapshot
from reports.queries import percent_text
from workflow.definitions import Result, definitions_note

RESULT_NOTE = ("done_on_time", "awaiting_review", "in_progress_overdue", "on_time_rate")
ACTIVITY_NOTE = ("claimed_verified", "extensions", "urgings")
REVIEW_NOTE = ("review_clock", "awaiting_review")
OVERDUE_NOTE = ("in_progress_overdue", "urgings")


def _numbered(first: str, columns: list[Column]) -> list[Column]:
    return [Column(_("STT"), NUMBER, 1.0), Column(first, TEXT, 4.2), *columns]


def _table(key, title, sheet, first, columns, cells, rows, totals, note) -> Table:
    return Table(
        key=key,
        title=title,
        sheet=sheet,
        columns=_numbered(first, columns),
        rows=[[i, _name(row), *cells(row)] for i, row in enumerate(rows, start=1)],
        total=["", _("Tổng cộng"), *cells(totals)],
        note=definitions_note(*note),
    )


def _name(row: dict) -> str:
    """The body's name; an agency that took others over says which, and from when."""
    took_over = row.get("took_over")
    if not took_over:
        return row["name"]
    names = "; ".join(f"{t['name']} ({dmy(t['on'])})" for t in took_over)
    return f"{row['name']}\n" + _("Tiếp nhận từ: %(names)s") % {"names": names}


def _result_columns() -> list[Column]:
    return [
        Column(_("Tổng số"), NUMBER, 1.6),
        *(Column(str(result.label), NUMBER, 1.9) for result in Result),
        Column(_("Tỷ lệ hoàn thành đúng hạn"), PERCENT, 2.0),
    ]


def _result_cells(row: dict) -> list[Any]:
    return [row["total"], *(row[r] for r in Result.values), row["on_time_rate"]]


def _activity_columns() -> list[Column]:
    return [
        Column(_("Cơ quan báo hoàn thành"), NUMBER, 2.4),
        Column(_("Ban xác nhận hoàn thành"), NUMBER, 2.4),
        Column(_("Chênh lệch"), NUMBER, 2.0),
        Column(_("Đề nghị gia hạn"), NUMBER, 2.2),
        Column(_("Được chấp thuận"), NUMBER, 2.2),
        Column(_("Không chấp thuận"), NUMBER, 2.2),
        Column(_("Số lần đôn đốc"), NUMBER, 2.2),
    ]


def _activity_cells(row: dict) -> list[Any]:
    return [
        row["claimed_done"],
        row["verified_done"],
        row["claimed_done"] - row["verified_done"],
        row["extensions_requested"],
        row["extensions_approved"],
        row["extensions_rejected"],
        row["urgings"],
    ]


def _review_columns() -> list[Column]:
    return [
        Column(_("Báo cáo chờ Ban đánh giá"), NUMBER, 3.0),
        Column(_("Quá thời hạn đánh giá"), NUMBER, 3.0),
        Column(_("Thời gian đánh giá (trung vị, ngày làm việc)"), NUMBER, 3.6),
    ]


def _review_cells(row: dict) -> list[Any]:
    median = row["median_review_days"]
    days = "" if median is None else f"{median:g}".replace(".", ",")
    return [row["reviews_waiting"], row["reviews_overdue"], days]


def _paragraphs(day: str, totals: dict, overdue: int) -> list[str]:
    median = totals["median_review_days"]
    return [
        _(
            "Tính đến ngày %(day)s, tổng số kiến nghị được theo dõi là %(total)s; trong đó "
            "hoàn thành đúng hạn %(done_on_time)s, hoàn thành quá hạn %(done_late)s, hoàn "
            "thành một phần %(partially)s, đang thực hiện trong hạn %(in_progress)s, đang thực "
            "hiện quá hạn %(in_progress_overdue)s, chờ Ban đánh giá %(awaiting_review)s, chưa "
            "thực hiện %(not_implemented)s, đã giải trình hoặc có lộ trình "
            "%(explained_or_roadmap)s, chuyển cấp có thẩm quyền %(forwarded)s."
        )
        % ({"day": day} | totals),
        _(
            "Tỷ lệ hoàn thành đúng hạn: %(rate)s (%(done)s trên %(due)s kiến nghị đã đến hạn "
            "được hoàn thành với báo cáo gửi trước hoặc đúng thời hạn)."
        )
        % {
            "rate": percent_text(totals["on_time_rate"]),
            "done": totals["due_done_on_time"],
            "due": totals["due"],
        },
        _(
            "Các cơ quan tự đánh giá đã hoàn thành %(claimed)s kiến nghị; Ban xác nhận hoàn "
            "thành %(verified)s. Có %(requested)s đề nghị gia hạn (chấp thuận %(approved)s, "
            "không chấp thuận %(rejected)s); các kiến nghị đã nhận %(urgings)s lượt đôn đốc."
        )
        % {
            "claimed": totals["claimed_done"],
            "verified": totals["verified_done"],
            "requested": totals["extensions_requested"],
            "approved": totals["extensions_approved"],
            "rejected": totals["extensions_rejected"],
            "urgings": totals["urgings"],
        },
        _(
            "Các Ban đang chờ đánh giá %(waiting)s báo cáo, trong đó %(late)s báo cáo quá thời "
            "hạn đánh giá; thời gian đánh giá trung vị: %(median)s ngày làm việc."
        )
        % {
            "waiting": totals["reviews_waiting"],
            "late": totals["reviews_overdue"],
            "median": "—" if median is None else f"{median:g}".replace(".", ","),
        },
        _("Có %(n)s kiến nghị đang thực hiện quá hạn, chi tiết tại Phụ lục V.") % {"n": overdue},
    ]


def _overdue_table(overdue: list[dict]) -> Table:
    return overdue_table(
        overdue,
        title=_("Phụ lục V. Danh mục kiến nghị đang thực hiện quá hạn"),
        count=(_("Số lần đôn đốc"), "urgings"),
        note=definitions_note(*OVERDUE_NOTE),
    )


def results_document(snapshot: ReportSnapshot, figures: dict) -> Document:
    if "version" not in figures:
        return results_document_v1(snapshot, figures)
    totals, day = figures["totals"], dmy(snapshot.as_of)
    agencies, committees = figures["by_agency"], figures["by_committee"]
    by_agency, by_committee = _("Cơ quan"), _("Ban theo dõi")
    tables = [
        _table(
            "by_agency",
            _("Phụ lục I. Kết quả thực hiện kiến nghị theo cơ quan"),
            _("Theo cơ quan"),
            by_agency,
            _result_columns(),
            _result_cells,
            agencies,
            totals,
            RESULT_NOTE,
        ),
        _table(
            "activity",
            _("Phụ lục II. Tự đánh giá và kết quả xác nhận, gia hạn, đôn đốc theo cơ quan"),
            _("Tự đánh giá, gia hạn"),
            by_agency,
            _activity_columns(),
            _activity_cells,
            agencies,
            totals,
            ACTIVITY_NOTE,
        ),
        _table(
            "by_committee",
            _("Phụ lục III. Kết quả thực hiện kiến nghị theo Ban theo dõi"),
            _("Theo Ban"),
            by_committee,
            _result_columns(),
            _result_cells,
            committees,
            totals,
            RESULT_NOTE,
        ),
        _table(
            "reviews",
            _("Phụ lục IV. Đánh giá báo cáo của các Ban"),
            _("Ban đánh giá"),
            by_committee,
            _review_columns(),
            _review_cells,
            committees,
            totals,
            REVIEW_NOTE,
        ),
        _overdue_table(figures["overdue"]),
    ]
    return Document(
        title=_("BÁO CÁO"),
        subject=_("Kết quả thực hiện các kiến nghị sau giám sát (tính đến ngày %(day)s)")
        % {"day": day},
        scope=scope_text(snapshot),
        paragraphs=_paragraphs(day, totals, len(figures["overdue"])),
        tables=tables,
    )
