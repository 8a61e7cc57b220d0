"""A frozen report as a document: a subject, a few sentences and its tables. The report page,
the Excel workbook and the Word document are all drawn from this one description, so they
always show the same figures."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from conclusions.models import SourceKind
from reports.models import ReportSnapshot
from reports.queries import percent_text
from workflow.models import CaseState, Outcome

TEXT, NUMBER, DATE, PERCENT = "text", "number", "date", "percent"


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = TEXT
    width: float = 2.5  # centimetres in Word; Excel widths derive from it

    @property
    def min_px(self) -> int:
        """The column's least width on the report page."""
        return round(self.width * 32)


@dataclass
class Table:
    key: str
    title: str
    sheet: str  # the Excel sheet's name: short, at most 31 characters
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    total: list[Any] | None = None  # a last row in bold, already computed (no formulas)
    case_ids: list[int | None] = field(default_factory=list)  # links on the report page

    @property
    def html_rows(self) -> list[dict]:
        ids = self.case_ids or [None] * len(self.rows)
        return [
            {"case": pk, "cells": self._cells(row)} for pk, row in zip(ids, self.rows, strict=True)
        ]

    @property
    def html_total(self) -> list[dict]:
        return self._cells(self.total) if self.total else []

    def _cells(self, values: list[Any]) -> list[dict]:
        return [
            {"text": cell_text(column.kind, value), "css": CSS.get(column.kind, "")}
            for column, value in zip(self.columns, values, strict=True)
        ]


CSS = {NUMBER: "dd-num", PERCENT: "dd-num", DATE: "dd-nowrap"}


def cell_text(kind: str, value: Any) -> str:
    """A cell as text: dates dd/mm/yyyy, rates with a decimal comma, nothing as blank."""
    if value is None or value == "":
        return "—" if kind == PERCENT else ""
    if kind == PERCENT and not isinstance(value, str):
        return percent_text(value)
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


@dataclass
class Document:
    title: str
    subject: str
    scope: str
    paragraphs: list[str]
    tables: list[Table]


def dmy(value: str | datetime.date | None) -> str:
    if not value:
        return ""
    day = datetime.date.fromisoformat(value) if isinstance(value, str) else value
    return date_format(day, "d/m/Y")


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def percent(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def document_for(snapshot: ReportSnapshot) -> Document:
    """The document of a finished snapshot, worded in the active language."""
    build = {
        ReportSnapshot.Kind.RESULTS: _results,
        ReportSnapshot.Kind.NOTICE: _notice,
        ReportSnapshot.Kind.WEEKLY: _weekly,
    }[snapshot.kind]
    return build(snapshot, snapshot.figures)


def scope_text(snapshot: ReportSnapshot) -> str:
    params, parts = snapshot.params, []
    if params.get("committee_name"):
        parts.append(_("Ban theo dõi: %(name)s") % {"name": params["committee_name"]})
    if params.get("agency_name"):
        parts.append(_("Cơ quan: %(name)s") % {"name": params["agency_name"]})
    if params.get("source_kind"):
        parts.append(_("Nguồn: %(kind)s") % {"kind": SourceKind(params["source_kind"]).label})
    if params.get("period_from") or params.get("period_to"):
        parts.append(
            _("Kiến nghị giao từ ngày %(start)s đến ngày %(end)s")
            % {
                "start": dmy(params.get("period_from")) or "…",
                "end": dmy(params.get("period_to")) or "…",
            }
        )
    return "; ".join(parts)


# --- A


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


def _results(snapshot: ReportSnapshot, figures: dict) -> Document:
    totals, day = figures["totals"], dmy(snapshot.as_of)
    overdue = figures["overdue"]
    paragraphs = [
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
    appendix = Table(
        key="overdue",
        title=_("Phụ lục III. Danh mục kiến nghị quá hạn"),
        sheet=_("Kiến nghị quá hạn"),
        columns=[
            Column(_("STT"), NUMBER, 1.0),
            Column(_("Thông báo"), TEXT, 2.6),
            Column(_("Mục"), TEXT, 1.3),
            Column(_("Nội dung kiến nghị"), TEXT, 7.5),
            Column(_("Cơ quan chủ trì"), TEXT, 3.8),
            Column(_("Ban theo dõi"), TEXT, 3.0),
            Column(_("Thời hạn"), DATE, 2.3),
            Column(_("Số ngày quá hạn"), NUMBER, 1.8),
            Column(_("Số lần nhắc hạn"), NUMBER, 1.8),
        ],
        rows=[
            [
                i,
                item["notice"],
                item["anchor"],
                item["text"],
                item["agency"],
                item["committee"],
                _day(item["deadline"]),
                item["days_overdue"],
                item["reminders"],
            ]
            for i, item in enumerate(overdue, start=1)
        ],
        case_ids=[item["case"] for item in overdue],
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


# --- B


def state_text(item: dict, as_of: datetime.date) -> str:
    text = str(CaseState(item["state"]).label)
    if item["state"] == CaseState.CLOSED and item.get("outcome"):
        return f"{text}: {Outcome(item['outcome']).label}"
    deadline = _day(item["deadline"])
    if deadline and deadline < as_of:
        return _("%(state)s, quá hạn") % {"state": text}
    return text


def deadline_text(item: dict) -> str:
    if not item["deadline"]:
        return _("Thường xuyên")
    text = dmy(item["deadline"])
    if item["original_deadline"] and item["original_deadline"] != item["deadline"]:
        text += " " + _("(gia hạn; ban đầu %(day)s)") % {"day": dmy(item["original_deadline"])}
    return text


def report_text(report: dict | None) -> str:
    if not report:
        return _("Chưa báo cáo")
    head = dmy(report["date"])
    if report["letter_number"]:
        head = _("Công văn số %(number)s") % {"number": report["letter_number"]}
        if report["letter_date"]:
            head += " " + _("ngày %(day)s") % {"day": dmy(report["letter_date"])}
    return f"{head}: {report['text']}"


def assessment_text(assessment: dict | None) -> str:
    if not assessment:
        return ""
    kind, note = assessment["kind"], assessment["note"]
    if kind == "closed":
        head = str(Outcome(assessment["outcome"]).label) if assessment["outcome"] else _("Đóng")
    elif kind == "returned":
        head = _("Chưa đạt yêu cầu, trả lại")
    else:
        head = _("Mở lại hồ sơ")
    return f"{head}: {note}" if note else head


def _notice(snapshot: ReportSnapshot, figures: dict) -> Document:
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


# --- G


def _case_table(key: str, title: str, sheet: str, items: list[dict], as_of: datetime.date) -> Table:
    return Table(
        key=key,
        title=title,
        sheet=sheet,
        columns=[
            Column(_("STT"), NUMBER, 1.0),
            Column(_("Thông báo"), TEXT, 2.6),
            Column(_("Mục"), TEXT, 1.3),
            Column(_("Nội dung kiến nghị"), TEXT, 7.0),
            Column(_("Cơ quan chủ trì"), TEXT, 3.8),
            Column(_("Ban theo dõi"), TEXT, 3.0),
            Column(_("Thời hạn"), DATE, 2.3),
            Column(_("Tình trạng"), TEXT, 2.8),
        ],
        rows=[
            [
                i,
                item["notice"],
                item["anchor"],
                item["text"],
                item["agency"],
                item["committee"],
                _day(item["deadline"]),
                state_text(item, as_of),
            ]
            for i, item in enumerate(items, start=1)
        ],
        case_ids=[item["case"] for item in items],
    )


def _weekly(snapshot: ReportSnapshot, figures: dict) -> Document:
    as_of, horizons = snapshot.as_of, figures["horizons"]
    tables = [
        _case_table(
            "due_3",
            _("Đến hạn trong 3 ngày làm việc (đến ngày %(day)s)") % {"day": dmy(horizons["3"])},
            _("Đến hạn trong 3 ngày"),
            figures["due_3"],
            as_of,
        ),
        _case_table(
            "due_7",
            _("Đến hạn trong 4 đến 7 ngày làm việc (đến ngày %(day)s)")
            % {"day": dmy(horizons["7"])},
            _("Đến hạn trong 7 ngày"),
            figures["due_7"],
            as_of,
        ),
        _case_table(
            "due_15",
            _("Đến hạn trong 8 đến 15 ngày làm việc (đến ngày %(day)s)")
            % {"day": dmy(horizons["15"])},
            _("Đến hạn trong 15 ngày"),
            figures["due_15"],
            as_of,
        ),
        _case_table(
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
                _day(item["requested_at"]),
                _day(item["deadline"]),
                _day(item["requested_until"]),
                item["reason"],
            ]
            for i, item in enumerate(items, start=1)
        ],
        case_ids=[item["case"] for item in items],
    )
