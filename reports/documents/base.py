"""The parts every report document is made of: columns, tables, the document, and the
wording of dates, states, deadlines and reports that several reports share."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from conclusions.models import SourceKind
from reports.models import ReportSnapshot
from reports.queries import percent_text
from workflow.models import CaseState, Outcome, SelfAssessment

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
    note: list[str] = field(default_factory=list)  # "Cách tính", printed under the table

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


def day_of(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def percent(part: int, whole: int) -> float | None:
    return part / whole if whole else None


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


def state_text(item: dict, as_of: datetime.date) -> str:
    text = str(CaseState(item["state"]).label)
    if item["state"] == CaseState.CLOSED and item.get("outcome"):
        return f"{text}: {Outcome(item['outcome']).label}"
    if item["state"] == CaseState.REPORTED:
        return _("%(state)s, chờ Ban đánh giá") % {"state": text}
    deadline = day_of(item["deadline"])
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
    text = f"{head}: {report['text']}"
    if report.get("self_assessment"):
        claim = SelfAssessment(report["self_assessment"]).label
        text += " " + _("(cơ quan tự đánh giá: %(claim)s)") % {"claim": claim}
    return text


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


def overdue_table(
    overdue: list[dict], *, title: str, count: tuple[str, str], note: list[str] | None = None
) -> Table:
    """The appendix of overdue items; `count` names the last column and the item's key for
    it (urgings now, reminders in reports frozen before the ladder had rungs of letters)."""
    header, key = count
    return Table(
        key="overdue",
        title=title,
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
            Column(header, NUMBER, 1.8),
        ],
        rows=[
            [
                i,
                item["notice"],
                item["anchor"],
                item["text"],
                item["agency"],
                item["committee"],
                day_of(item["deadline"]),
                item["days_overdue"],
                item[key],
            ]
            for i, item in enumerate(overdue, start=1)
        ],
        case_ids=[item["case"] for item in overdue],
        note=note or [],
    )


def case_table(key: str, title: str, sheet: str, items: list[dict], as_of: datetime.date) -> Table:
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
                day_of(item["deadline"]),
                state_text(item, as_of),
            ]
            for i, item in enumerate(items, start=1)
        ],
        case_ids=[item["case"] for item in items],
    )
