"""Reports D and E computed "as of" a day: what was in force, evaluated, issued, forwarded
and answered by the end of that day, read from the register, the evaluations' dates and the
cases' event log (reports.history), so that a past day gives the same figures later.

Report D (resolutions): resolutions in force by kind and by field, counts by effect class
(the latest evaluation on or before the day), those lacking implementing documents (no
implementing document item closed as implemented or partially by then), overdue periodic
implementation reports. Report E (programmes): questions received, answered live, forwarded,
answered later (their case closed), still open, by agency. Callers are never in them."""

import datetime
from collections import defaultdict

from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from reports.history import cases_as_of, day_end
from resolutions.models import Effect, Evaluation, HotlineQuestion, ImplementationItem, Resolution
from workflow.models import Case, CaseState, Outcome

ISSUED = (Outcome.IMPLEMENTED, Outcome.PARTIALLY)
OPEN = (CaseState.ASSIGNED, CaseState.IN_PROGRESS)
NOT_EVALUATED = "not_evaluated"


def in_force_on(resolutions: QuerySet[Resolution], day: datetime.date) -> QuerySet[Resolution]:
    return resolutions.filter(adopted_on__lte=day, in_force_from__lte=day).filter(
        Q(in_force_to__isnull=True) | Q(in_force_to__gte=day)
    )


def with_effect(resolutions: QuerySet[Resolution], day: datetime.date) -> QuerySet[Resolution]:
    """Each resolution's effect class as of `day`: its latest evaluation on or before it."""
    latest = Evaluation.objects.filter(resolution=OuterRef("pk"), as_of__lte=day).order_by(
        "-as_of", "-created_at", "-id"
    )
    return resolutions.annotate(
        effect_at=Subquery(latest.values("effect")[:1]),
        evaluated_on=Subquery(latest.values("as_of")[:1]),
        evaluation_note=Subquery(latest.values("note")[:1]),
    )


def resolution_figures(
    resolutions: QuerySet[Resolution], cases: QuerySet[Case], day: datetime.date
) -> dict:
    """Report D's figures over the resolutions and implementation cases given (both already
    scoped to what the reader may see)."""
    rows = list(
        with_effect(in_force_on(resolutions, day), day)
        .select_related("lead_agency")
        .order_by("adopted_on", "number", "id")
    )
    states = _item_states(cases, [r.pk for r in rows], day)
    effect = {value: 0 for value in Effect.values} | {NOT_EVALUATED: 0}
    for row in rows:
        effect[row.effect_at or NOT_EVALUATED] += 1
    return {
        "as_of": day.isoformat(),
        "in_force": len(rows),
        "effect": effect,
        "by_kind": {kind: sum(r.kind == kind for r in rows) for kind in Resolution.Kind.values},
        "by_sector": _by_sector(rows),
        "resolutions": [_resolution_row(r) for r in rows],
        "lacking_documents": _lacking(rows, states),
        "overdue_reports": _overdue_reports(states, day),
    }


def _by_sector(rows: list[Resolution]) -> list[dict]:
    sectors: dict[str, dict] = {}
    for row in rows:
        counts = sectors.setdefault(
            row.sector,
            {"sector": row.sector, "total": 0} | {kind: 0 for kind in Resolution.Kind.values},
        )
        counts[row.kind] += 1
        counts["total"] += 1
    return sorted(sectors.values(), key=lambda s: s["sector"])


def _resolution_row(row: Resolution) -> dict:
    return {
        "id": row.pk,
        "number": row.number,
        "date": row.adopted_on.isoformat(),
        "title": row.title,
        "kind": row.kind,
        "sector": row.sector,
        "lead_agency": row.lead_agency.name,
        "effect": row.effect_at or NOT_EVALUATED,
        "evaluated_on": row.evaluated_on.isoformat() if row.evaluated_on else None,
        "note": row.evaluation_note or "",
    }


def _item_states(cases: QuerySet[Case], resolution_ids: list[int], day: datetime.date) -> list:
    """The implementation cases of these resolutions as they stood at the end of `day`."""
    scoped = cases.filter(recommendation__resolution_item__resolution_id__in=resolution_ids)
    return list(
        cases_as_of(scoped, day)
        .annotate(
            resolution_id=F("recommendation__resolution_item__resolution_id"),
            item_kind=F("recommendation__resolution_item__kind"),
            resolution_number=F("recommendation__resolution_item__resolution__number"),
        )
        .select_related("agency", "recommendation")
        .order_by("deadline_at", "id")
    )


def _lacking(rows: list[Resolution], states: list) -> list[dict]:
    listed, issued = defaultdict(int), defaultdict(int)
    for case in states:
        if case.item_kind == ImplementationItem.Kind.DOCUMENT:
            listed[case.resolution_id] += 1
            if case.state_at == CaseState.CLOSED and case.outcome_at in ISSUED:
                issued[case.resolution_id] += 1
    return [
        _resolution_row(r) | {"documents_listed": listed[r.pk]} for r in rows if not issued[r.pk]
    ]


def _overdue_reports(states: list, day: datetime.date) -> list[dict]:
    return [
        {
            "case": case.pk,
            "resolution": case.resolution_id,
            "number": case.resolution_number,
            "text": case.recommendation.text,
            "agency": case.agency.name,
            "deadline": case.deadline_at.isoformat(),
            "days_overdue": (day - case.deadline_at).days,
        }
        for case in states
        if case.item_kind == ImplementationItem.Kind.REPORT
        and case.state_at in OPEN
        and case.deadline_at is not None
        and case.deadline_at < day
    ]


# ------------------------------------------------------------------------------- Report E


QUESTION_FIGURES = ("received", "answered_live", "forwarded", "answered_later", "still_open")


def question_figures(questions: QuerySet[HotlineQuestion], day: datetime.date) -> dict:
    """Report E's figures: the questions received by the end of `day`, by agency and by
    programme. Forwarded: its case opened by then; answered later: that case closed by then;
    still open: forwarded and not yet answered; the rest not answered live are waiting to be
    forwarded."""
    rows = list(
        questions.filter(received_at__lt=day_end(day))
        .select_related("agency", "programme")
        .order_by("received_at", "id")
    )
    closed = _closed_by(rows, day)
    opened = _opened_by(rows, day)
    totals, agencies, programmes = _blank(), defaultdict(_blank), defaultdict(_blank)
    for q in rows:
        facts = _question_facts(q, opened, closed)
        for bucket in (totals, agencies[_agency_key(q)], programmes[q.programme_id]):
            for name, yes in facts.items():
                bucket[name] += int(yes)
    return {
        "as_of": day.isoformat(),
        "totals": totals,
        "by_agency": _named_rows(agencies, {_agency_key(q): _agency_name(q) for q in rows}),
        "by_programme": _named_rows(programmes, {q.programme_id: _programme_name(q) for q in rows}),
    }


def _blank() -> dict:
    return {name: 0 for name in (*QUESTION_FIGURES, "waiting")}


def _question_facts(q: HotlineQuestion, opened: set[int], closed: set[int]) -> dict:
    forwarded = q.recommendation_id in opened
    later = q.recommendation_id in closed
    return {
        "received": True,
        "answered_live": q.answered_live,
        "forwarded": forwarded,
        "answered_later": later,
        "still_open": forwarded and not later,
        "waiting": not q.answered_live and not forwarded,
    }


def _cases_of(rows: list[HotlineQuestion]) -> QuerySet[Case]:
    ids = [q.recommendation_id for q in rows if q.recommendation_id]
    return Case.objects.filter(recommendation_id__in=ids)


def _opened_by(rows, day) -> set[int]:
    cases = _cases_of(rows).filter(opened_at__lt=day_end(day))
    return set(cases.values_list("recommendation_id", flat=True))


def _closed_by(rows, day) -> set[int]:
    cases = cases_as_of(_cases_of(rows), day).filter(state_at=CaseState.CLOSED)
    return set(cases.values_list("recommendation_id", flat=True))


def _agency_key(q: HotlineQuestion) -> int:
    return q.agency_id or 0


def _agency_name(q: HotlineQuestion) -> str:
    return q.agency.name if q.agency else ""


def _programme_name(q: HotlineQuestion) -> str:
    return f"{q.programme.topic} ({q.programme.aired_on:%d/%m/%Y})"


def _named_rows(counts: dict, names: dict) -> list[dict]:
    rows = [{"id": key or None, "name": names[key]} | c for key, c in counts.items()]
    return sorted(rows, key=lambda row: (row["name"] == "", row["name"]))
