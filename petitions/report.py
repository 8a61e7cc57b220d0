"""Report C: "Báo cáo kết quả giám sát việc giải quyết kiến nghị cử tri gửi đến Kỳ họp thứ N",
frozen as of a day like the other reports (reports/registry.py), so its page, Excel workbook
and Word document come from the reports machinery.

Figures of one round: petitions by competence, by committee and by field; the cases (petition ×
lead agency) by outcome as of the day (read from the event log, reports/history.py); answers on
time; the voters' verdicts; the petitions raised more than once; the unanswered cases by agency;
the candidates for questioning. Petitions are those the report's author may see; cases those of
the round's notice within the report's scope."""

from collections import Counter, defaultdict

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from petitions.models import Competence, ForwardReason, Petition, PetitionRound
from petitions.outcomes import PetitionOutcome, petition_outcome
from petitions.selectors import (
    petitions_visible_to,
    questioning_candidate,
    root_of,
    rounds_visible_to,
    times_raised,
)
from reports.documents.base import NUMBER, TEXT, Column, Document, Table, dmy, scope_text
from reports.history import cases_as_of, day_end, local_day
from reports.registry import ReportKind, register
from workflow.errors import CaseInvalid, CaseNotFound
from workflow.models import CaseState

CODE = "petitions"
LABEL = gettext_lazy("Báo cáo C: kết quả giải quyết kiến nghị cử tri theo kỳ họp")
AWAITING, UNANSWERED, NOT_RESOLVED = "awaiting_grading", "unanswered", "not_resolved"


def register_report() -> None:
    register(ReportKind(CODE, LABEL, petitions_figures, petitions_document, _check, _fields))


def _fields(*, user) -> dict:
    return {
        "round": forms.ModelChoiceField(
            label=gettext_lazy("Đợt kiến nghị cử tri (Báo cáo C)"),
            required=False,
            queryset=rounds_visible_to(user).order_by("-opened_on", "-id"),
        )
    }


def _check(*, actor, council, notice, options) -> None:
    if not options.get("round"):
        raise CaseInvalid(gettext_lazy("Vui lòng chọn đợt kiến nghị cử tri cần báo cáo."))
    if not rounds_visible_to(actor).filter(pk=options["round"], council=council).exists():
        raise CaseNotFound(gettext_lazy("Không tìm thấy đợt kiến nghị."))


# ------------------------------------------------------------------------------ figures


def petitions_figures(snapshot, cases, progress) -> dict:
    day, end = snapshot.as_of, day_end(snapshot.as_of)
    petition_round = PetitionRound.objects.get(pk=snapshot.params["options"]["round"])
    petitions = list(
        petitions_visible_to(snapshot.created_by)
        .filter(round=petition_round, created_at__lt=end)
        .select_related("committee", "round", "repeat_of__round", "commune_council")
        .order_by("number")
    )
    rows = list(
        cases_as_of(cases.filter(notice_id=petition_round.notice_id), day).select_related(
            "recommendation"
        )
    )
    progress(50)
    raised = times_raised(petitions)
    numbers = {p.recommendation_id: p.number for p in petitions if p.recommendation_id}
    return {
        "round": {"id": petition_round.pk, "sitting": petition_round.sitting_name},
        "competence": _competence(petitions),
        "by_committee": _by_committee(petitions),
        "by_field": sorted(Counter(p.field or "" for p in petitions).items()),
        "outcomes": _outcomes(rows),
        "answers": _answers(rows),
        "verdicts": _verdicts(petitions, end),
        "repeated": [_repeated(p, raised[p.pk]) for p in petitions if raised[p.pk] > 1],
        "unanswered": _unanswered(rows, numbers, day),
        "candidates": _candidates(petitions, raised, end),
        "communes": [_commune(p) for p in petitions if p.competence == Competence.COMMUNE],
    }


def _commune(petition: Petition) -> dict:
    """Where a commune petition went: its commune council on Đôn đốc, or forwarded (why)."""
    council = petition.commune_council
    return {
        "number": petition.number,
        "text": petition.text,
        "locality": petition.locality,
        "to": council.name if petition.sent_to_commune else petition.forwarded_to,
        "on_dondoc": petition.sent_to_commune,
        "reason": petition.forward_reason,
    }


def _competence(petitions: list[Petition]) -> dict:
    counts = Counter(p.competence for p in petitions)
    return {kind: counts.get(kind, 0) for kind in Competence.values} | {"total": len(petitions)}


def _by_committee(petitions: list[Petition]) -> list[dict]:
    rows: dict[str, Counter] = defaultdict(Counter)
    for petition in petitions:
        rows[petition.committee.name][petition.competence] += 1
    return [
        {"committee": name, "total": sum(c.values()), **{k: c.get(k, 0) for k in Competence.values}}
        for name, c in sorted(rows.items())
    ]


def _outcomes(rows) -> dict:
    counts = Counter()
    for case in rows:
        if case.state_at == CaseState.CLOSED:
            counts[petition_outcome(case.outcome_at) or NOT_RESOLVED] += 1
        elif case.state_at == CaseState.REPORTED:
            counts[AWAITING] += 1
        else:
            counts[UNANSWERED] += 1
    keys = [*PetitionOutcome.values, NOT_RESOLVED, AWAITING, UNANSWERED]
    return {key: counts.get(key, 0) for key in keys} | {"total": len(rows)}


def _answers(rows) -> dict:
    answered = [case for case in rows if case.reported_at_d is not None]
    on_time = [
        case
        for case in answered
        if case.deadline_when_reported_d is None
        or local_day(case.reported_at_d) <= case.deadline_when_reported_d
    ]
    return {"cases": len(rows), "answered": len(answered), "on_time": len(on_time)}


def _verdicts(petitions: list[Petition], end) -> dict:
    given = [p for p in petitions if p.verdict_at is not None and p.verdict_at < end]
    accepted = sum(1 for p in given if p.accepted)
    return {"accepted": accepted, "not_accepted": len(given) - accepted, "given": len(given)}


def _repeated(petition: Petition, times: int) -> dict:
    first = petition.repeat_of
    return {
        "number": petition.number,
        "text": petition.text,
        "locality": petition.locality,
        "times": times,
        "first": first.round.sitting_name if first else "",
        "root": root_of(petition),
    }


def _unanswered(rows, numbers: dict, day) -> list[dict]:
    agencies: dict[str, dict] = {}
    for case in rows:
        if case.state_at not in (CaseState.ASSIGNED, CaseState.IN_PROGRESS):
            continue
        row = agencies.setdefault(
            case.agency_name_at or "", {"agency": case.agency_name_at, "cases": 0, "overdue": 0}
        )
        row["cases"] += 1
        row["overdue"] += int(case.deadline_at is not None and case.deadline_at < day)
        row.setdefault("numbers", []).append(numbers.get(case.recommendation_id))
    return [
        {**row, "numbers": sorted(n for n in row["numbers"] if n is not None)}
        for name, row in sorted(agencies.items())
    ]


def _candidates(petitions, raised, end) -> list[dict]:
    found = []
    for petition in petitions:
        verdict_known = petition.verdict_at is not None and petition.verdict_at < end
        accepted = petition.accepted if verdict_known else None
        shown = Petition(accepted=accepted)
        if questioning_candidate(shown, raised[petition.pk]):
            reasons = []
            if accepted is False:
                reasons.append("not_accepted")
            if raised[petition.pk] >= 3:
                reasons.append("raised_often")
            found.append(
                {
                    "number": petition.number,
                    "text": petition.text,
                    "reasons": reasons,
                    "times": raised[petition.pk],
                }
            )
    return found


# ----------------------------------------------------------------------------- document


def petitions_document(snapshot, figures: dict) -> Document:
    day = dmy(snapshot.as_of)
    sitting = figures["round"]["sitting"]
    return Document(
        title=_("BÁO CÁO"),
        subject=_(
            "Kết quả giám sát việc giải quyết kiến nghị cử tri gửi đến %(sitting)s "
            "(tính đến ngày %(day)s)"
        )
        % {"sitting": sitting, "day": day},
        scope=scope_text(snapshot),
        paragraphs=_paragraphs(figures, day),
        tables=[
            _competence_table(figures),
            _committee_table(figures),
            _field_table(figures),
            _outcome_table(figures),
            _repeated_table(figures),
            _unanswered_table(figures),
            _candidates_table(figures),
            *([_communes_table(figures["communes"])] if "communes" in figures else []),
        ],
    )


def _paragraphs(figures: dict, day: str) -> list[str]:
    c, a, v = figures["competence"], figures["answers"], figures["verdicts"]
    return [
        _(
            "Tính đến ngày %(day)s, có %(total)s kiến nghị cử tri: thuộc thẩm quyền cấp tỉnh "
            "%(province)s, cấp xã %(commune)s, trung ương %(central)s."
        )
        % ({"day": day} | c),
        _(
            "Các cơ quan đã trả lời %(answered)s trên %(cases)s lượt giao (kiến nghị × cơ quan "
            "chủ trì), trong đó đúng hạn %(on_time)s."
        )
        % a,
        _(
            "Cử tri đã cho ý kiến về %(given)s kiến nghị: đồng tình %(accepted)s, chưa đồng "
            "tình %(not_accepted)s."
        )
        % v,
    ]


def _competence_table(figures: dict) -> Table:
    c = figures["competence"]
    return Table(
        key="competence",
        title=_("1. Kiến nghị theo thẩm quyền giải quyết"),
        sheet=_("Theo thẩm quyền"),
        columns=[Column(_("Thẩm quyền"), TEXT, 6.0), Column(_("Số kiến nghị"), NUMBER, 3.0)],
        rows=[[str(Competence(kind).label), c[kind]] for kind in Competence.values],
        total=[_("Tổng cộng"), c["total"]],
    )


def _committee_table(figures: dict) -> Table:
    rows = figures["by_committee"]
    keys = Competence.values
    return Table(
        key="committees",
        title=_("2. Kiến nghị theo Ban theo dõi"),
        sheet=_("Theo Ban"),
        columns=[
            Column(_("Ban theo dõi"), TEXT, 5.0),
            Column(_("Tổng số"), NUMBER, 2.2),
            *[Column(str(Competence(k).label), NUMBER, 2.2) for k in keys],
        ],
        rows=[[r["committee"], r["total"], *[r[k] for k in keys]] for r in rows],
        total=[
            _("Tổng cộng"),
            sum(r["total"] for r in rows),
            *[sum(r[k] for r in rows) for k in keys],
        ],
    )


def _field_table(figures: dict) -> Table:
    rows = figures["by_field"]
    return Table(
        key="fields",
        title=_("3. Kiến nghị theo lĩnh vực"),
        sheet=_("Theo lĩnh vực"),
        columns=[Column(_("Lĩnh vực"), TEXT, 6.0), Column(_("Số kiến nghị"), NUMBER, 3.0)],
        rows=[[name or _("Chưa phân loại"), n] for name, n in rows],
        total=[_("Tổng cộng"), sum(n for name, n in rows)],
    )


def outcome_labels() -> dict[str, str]:
    return {k: str(PetitionOutcome(k).label) for k in PetitionOutcome.values} | {
        NOT_RESOLVED: _("Chưa giải quyết (Ban đánh giá chưa thực hiện)"),
        AWAITING: _("Đã trả lời, chờ Ban đánh giá"),
        UNANSWERED: _("Chưa trả lời"),
    }


def _outcome_table(figures: dict) -> Table:
    o, labels = figures["outcomes"], outcome_labels()
    return Table(
        key="outcomes",
        title=_("4. Kết quả giải quyết (mỗi kiến nghị × cơ quan chủ trì)"),
        sheet=_("Kết quả"),
        columns=[Column(_("Kết quả"), TEXT, 7.0), Column(_("Số lượt"), NUMBER, 3.0)],
        rows=[[labels[key], o[key]] for key in labels],
        total=[_("Tổng cộng"), o["total"]],
    )


def _repeated_table(figures: dict) -> Table:
    rows = figures["repeated"]
    return Table(
        key="repeated",
        title=_("5. Kiến nghị cử tri nêu nhiều lần"),
        sheet=_("Nêu nhiều lần"),
        columns=[
            Column(_("Số"), NUMBER, 1.2),
            Column(_("Nội dung kiến nghị"), TEXT, 8.0),
            Column(_("Địa phương"), TEXT, 3.0),
            Column(_("Số lần nêu"), NUMBER, 2.0),
            Column(_("Nêu lần đầu tại"), TEXT, 3.5),
        ],
        rows=[[r["number"], r["text"], r["locality"], r["times"], r["first"]] for r in rows],
    )


def _unanswered_table(figures: dict) -> Table:
    rows = figures["unanswered"]
    return Table(
        key="unanswered",
        title=_("6. Kiến nghị chưa được trả lời, theo cơ quan"),
        sheet=_("Chưa trả lời"),
        columns=[
            Column(_("Cơ quan chủ trì"), TEXT, 6.0),
            Column(_("Số lượt"), NUMBER, 2.0),
            Column(_("Quá hạn"), NUMBER, 2.0),
            Column(_("Kiến nghị số"), TEXT, 5.0),
        ],
        rows=[
            [r["agency"], r["cases"], r["overdue"], ", ".join(map(str, r["numbers"]))] for r in rows
        ],
        total=[_("Tổng cộng"), sum(r["cases"] for r in rows), sum(r["overdue"] for r in rows), ""],
    )


def _candidates_table(figures: dict) -> Table:
    reasons = {
        "not_accepted": _("cử tri chưa đồng tình với trả lời"),
        "raised_often": _("nêu từ lần thứ ba"),
    }
    rows = figures["candidates"]
    return Table(
        key="candidates",
        title=_("7. Kiến nghị đề xuất đưa ra chất vấn"),
        sheet=_("Đề xuất chất vấn"),
        columns=[
            Column(_("Số"), NUMBER, 1.2),
            Column(_("Nội dung kiến nghị"), TEXT, 9.0),
            Column(_("Lý do"), TEXT, 5.0),
        ],
        rows=[[r["number"], r["text"], "; ".join(reasons[x] for x in r["reasons"])] for r in rows],
    )


def _communes_table(rows: list[dict]) -> Table:
    reasons = dict(ForwardReason.choices)
    return Table(
        key="communes",
        title=_("8. Kiến nghị thuộc thẩm quyền cấp xã: nơi chuyển đến"),
        sheet=_("Cấp xã"),
        columns=[
            Column(_("Số"), NUMBER, 1.2),
            Column(_("Nội dung kiến nghị"), TEXT, 7.0),
            Column(_("Địa phương"), TEXT, 3.0),
            Column(_("Chuyển đến"), TEXT, 3.5),
            Column(_("Cách theo dõi"), TEXT, 4.5),
        ],
        rows=[
            [r["number"], r["text"], r["locality"], r["to"], _commune_tracking(r, reasons)]
            for r in rows
        ],
    )


def _commune_tracking(row: dict, reasons: dict) -> str:
    if row["on_dondoc"]:
        return _("HĐND cấp xã theo dõi trên Đôn đốc")
    reason = reasons.get(row["reason"])
    return (
        _("Ghi nhận đã chuyển: %(reason)s") % {"reason": reason}
        if reason
        else _("Ghi nhận đã chuyển")
    )
