"""Report F: the recommendations to put before the next sitting (explanation session,
questioning, re-supervision), grouped by agency, each with its reasons (reports/candidates.py
says how they are chosen)."""

from django.utils.translation import gettext as _

from reports.documents.base import (
    DATE,
    NUMBER,
    TEXT,
    Column,
    Document,
    Table,
    day_of,
    dmy,
    scope_text,
)
from reports.models import ReportSnapshot
from reports.registry import CandidateSource, candidate_sources
from workflow.models import Decision

DECIDED_LABELS = dict(Decision.choices)
BUILT_IN = ("overdue", "returned_twice", "decided")


def candidates_document(snapshot: ReportSnapshot, figures: dict) -> Document:
    groups, threshold = figures["by_agency"], figures["threshold"]
    sources = _sources(figures)
    items = [item for group in groups for item in group["items"]]
    note = _note(threshold, sources)
    tables = [_summary(groups, threshold, sources, note), _detail(items, threshold, note)]
    return Document(
        title=_("BÁO CÁO"),
        subject=_(
            "Đề xuất nội dung giải trình, chất vấn, tái giám sát tại kỳ họp (tính đến ngày %(day)s)"
        )
        % {"day": dmy(snapshot.as_of)},
        scope=scope_text(snapshot),
        paragraphs=_paragraphs(snapshot, groups, items, threshold, sources),
        tables=tables,
    )


def _sources(figures: dict) -> list[CandidateSource]:
    """The other sources whose rows the snapshot froze (none in a snapshot older than them);
    one no longer installed keeps its rows, worded by its codes."""
    known = candidate_sources()
    return [
        known.get(code) or CandidateSource(code, code, "", {}, list)
        for code in figures.get("sources", [])
    ]


def _count(items: list[dict], reason: str) -> int:
    return sum(reason in item["reasons"] for item in items)


def _count_source(items: list[dict], source: CandidateSource) -> int:
    return sum(any(reason in source.reasons for reason in item["reasons"]) for item in items)


def _paragraphs(snapshot, groups, items, threshold, sources) -> list[str]:
    by_source = [
        _("%(source)s: %(n)s kiến nghị.")
        % {"source": source.label, "n": _count_source(items, source)}
        for source in sources
    ]
    return [
        _(
            "Tính đến ngày %(day)s, có %(n)s kiến nghị của %(agencies)s cơ quan được đề xuất "
            "xem xét đưa ra phiên giải trình, chất vấn hoặc tái giám sát tại kỳ họp: "
            "%(overdue)s kiến nghị quá hạn trên %(threshold)s ngày mà chưa báo cáo, "
            "%(returned)s kiến nghị có báo cáo bị trả lại từ hai lần trở lên, %(decided)s kiến "
            "nghị Thường trực HĐND đã quyết định đưa ra giải trình, chất vấn, tái giám sát hoặc "
            "báo cáo kỳ họp (một kiến nghị có thể có nhiều lý do)."
        )
        % {
            "day": dmy(snapshot.as_of),
            "n": len(items),
            "agencies": len(groups),
            "overdue": _count(items, "overdue"),
            "threshold": threshold,
            "returned": _count(items, "returned_twice"),
            "decided": _count(items, "decided"),
        },
        *([" ".join(by_source)] if by_source else []),
        _("Danh mục tổng hợp theo cơ quan tại Phụ lục I, chi tiết từng kiến nghị tại Phụ lục II."),
    ]


def _note(threshold: int, sources: list[CandidateSource]) -> list[str]:
    return [
        _("Cách tính"),
        _(
            "Kiến nghị chưa đóng tính đến ngày báo cáo, có ít nhất một lý do: quá hạn trên "
            "%(n)s ngày (cơ quan chưa báo cáo, tính theo thời hạn có hiệu lực); báo cáo bị Ban "
            "trả lại (chưa đạt yêu cầu) từ hai lần; hoặc quyết định gần nhất của Thường trực "
            "HĐND trong vòng đôn đốc hiện tại là giải trình, chất vấn, tái giám sát hay báo cáo "
            "kỳ họp."
        )
        % {"n": threshold},
        *(str(source.note) for source in sources if source.note),
    ]


def reasons_text(item: dict, threshold: int) -> str:
    parts = []
    if "overdue" in item["reasons"]:
        parts.append(_("Quá hạn %(days)s ngày chưa báo cáo") % {"days": item["days_overdue"]})
    if "returned_twice" in item["reasons"]:
        parts.append(_("Báo cáo bị trả lại %(n)s lần") % {"n": item["returns"]})
    if "decided" in item["reasons"]:
        parts.append(
            _("Thường trực HĐND quyết định ngày %(day)s") % {"day": dmy(item["decided_on"])}
        )
    parts.extend(_contributed_reasons(item))
    return "; ".join(parts)


def _contributed_reasons(item: dict) -> list[str]:
    """Another source's reasons, worded by it with the row's details (its code if it is gone)."""
    wording = {code: text for s in candidate_sources().values() for code, text in s.reasons.items()}
    details = item.get("details", {})
    return [
        str(wording[reason]) % details.get(reason, {}) if reason in wording else reason
        for reason in item["reasons"]
        if reason not in BUILT_IN
    ]


def proposal_text(item: dict) -> str:
    if not item["decision"]:
        return _("Chờ Thường trực HĐND quyết định")
    text = str(DECIDED_LABELS.get(item["decision"], item["decision"]))
    return f"{text} — {item['sitting']}" if item["sitting"] else text


def _summary(groups: list[dict], threshold: int, sources, note: list[str]) -> Table:
    rows = []
    for i, group in enumerate(groups, start=1):
        items = group["items"]
        rows.append(
            [
                i,
                group["agency"],
                len(items),
                _count(items, "overdue"),
                _count(items, "returned_twice"),
                _count(items, "decided"),
                *(_count_source(items, source) for source in sources),
            ]
        )
    return Table(
        key="by_agency",
        title=_("Phụ lục I. Tổng hợp kiến nghị đề xuất theo cơ quan"),
        sheet=_("Theo cơ quan"),
        columns=[
            Column(_("STT"), NUMBER, 1.0),
            Column(_("Cơ quan"), TEXT, 6.0),
            Column(_("Số kiến nghị đề xuất"), NUMBER, 2.6),
            Column(_("Quá hạn trên %(n)s ngày") % {"n": threshold}, NUMBER, 2.6),
            Column(_("Bị trả lại từ hai lần"), NUMBER, 2.6),
            Column(_("Thường trực HĐND đã quyết định"), NUMBER, 3.0),
            *(Column(str(source.label), NUMBER, 3.0) for source in sources),
        ],
        rows=rows,
        total=[
            "",
            _("Tổng cộng"),
            *(sum(row[col] for row in rows) for col in range(2, 6 + len(sources))),
        ],
        note=note,
    )


def _detail(items: list[dict], threshold: int, note: list[str]) -> Table:
    return Table(
        key="candidates",
        title=_("Phụ lục II. Danh mục kiến nghị đề xuất giải trình, chất vấn, tái giám sát"),
        sheet=_("Kiến nghị đề xuất"),
        columns=[
            Column(_("STT"), NUMBER, 1.2),
            Column(_("Cơ quan chủ trì"), TEXT, 3.4),
            Column(_("Thông báo"), TEXT, 2.4),
            Column(_("Mục"), TEXT, 1.4),
            Column(_("Nội dung kiến nghị"), TEXT, 6.0),
            Column(_("Ban theo dõi"), TEXT, 2.6),
            Column(_("Thời hạn"), DATE, 2.6),
            Column(_("Lý do đề xuất"), TEXT, 3.6),
            Column(_("Hình thức"), TEXT, 3.0),
        ],
        rows=[
            [
                i,
                item["agency"],
                item["notice"],
                item["anchor"],
                item["text"],
                item["committee"],
                day_of(item["deadline"]),
                reasons_text(item, threshold),
                proposal_text(item),
            ]
            for i, item in enumerate(items, start=1)
        ],
        case_ids=[item["case"] for item in items],
        note=note,
    )
