"""Report F's figures: the inputs for the next sitting, frozen "as of" a day.

A case still open on that day is a candidate for an explanation session, questioning or
re-supervision when (each is a reason, and a case may have several):

- it was overdue by more than N days: in the agency's hands past its deadline in force, N being
  the offset of the council's decision rung when counted in days (30 on the default ladder);
- its report had been returned twice or more ("chưa đạt yêu cầu");
- the Standing Committee had decided so: its latest decision in the ladder cycle of that day
  was anything but "keep urging" (an approved extension or a reopening starts a new cycle).

Everything is read from the event log and the extension decisions (reports/history.py), so the
report for a past day gives the same candidates whenever it is made. Grouped by agency.

Other apps add rows with reasons of their own (reports.registry.CandidateSource): a case already
chosen here gets their reasons too; theirs may be closed (a petition answered, closed, and not
accepted by the voters). The snapshot keeps which sources it asked (`sources`)."""

import datetime
from collections import defaultdict

from django.db.models import QuerySet
from django.utils import timezone

from conclusions.models import Council
from conclusions.rules import search_key
from reports.history import cases_as_of, day_end
from reports.registry import candidate_sources
from workflow.definitions import AGENCY_TURN
from workflow.escalation import decision_step, ladder_for
from workflow.models import Case, CaseEvent, CaseState, Decision, EscalationStep, EventKind

DEFAULT_THRESHOLD = 30  # days overdue, when the decision rung is not counted in days
OVERDUE, RETURNED, DECIDED = "overdue", "returned_twice", "decided"
RESTARTS = (EventKind.EXTENSION_APPROVED, EventKind.REOPENED)  # a new ladder cycle


def overdue_threshold(council: Council) -> int:
    step = decision_step(ladder_for(council.pk))
    if step and step.unit == EscalationStep.Unit.CALENDAR_DAYS and step.offset > 0:
        return step.offset
    return DEFAULT_THRESHOLD


def candidates_figures(snapshot, cases: QuerySet[Case], progress) -> dict:
    day = snapshot.as_of
    threshold = overdue_threshold(snapshot.council)
    history = _history(cases, day)
    progress(40)
    overdue_before = day - datetime.timedelta(days=threshold)
    rows = (
        cases_as_of(cases, day)
        .exclude(state_at=CaseState.CLOSED)
        .select_related("notice", "recommendation", "agency", "committee")
        .order_by("agency__name", "deadline_at", "notice__number", "recommendation__position")
    )
    overdue = rows.filter(state_at__in=AGENCY_TURN, deadline_at__lt=overdue_before)
    wanted = set(overdue.values_list("pk", flat=True)) | {
        pk for pk, h in history.items() if h.returns >= 2 or h.decision
    }
    found: dict[int, dict] = {}
    for case in rows.filter(pk__in=wanted):
        item = _candidate(case, day, threshold, history.get(case.pk))
        if item["reasons"]:
            found[case.pk] = item
    progress(70)
    contributed = {
        code: source.rows(snapshot=snapshot, cases=cases, day=day)
        for code, source in candidate_sources().items()
    }
    progress(80)
    return {
        "threshold": threshold,
        "sources": [code for code, rows in contributed.items() if rows],
        "by_agency": _by_agency(found, [row for rows in contributed.values() for row in rows]),
    }


def _by_agency(found: dict[int, dict], contributed: list[dict]) -> list[dict]:
    """Candidates grouped by agency (by name, however it is accented), each group by deadline
    (none last); a row another source proposes for a case already chosen adds its reasons."""
    for row in contributed:
        mine = found.setdefault(row["case"], row)
        if mine is not row:
            mine["reasons"] = [*mine["reasons"], *row["reasons"]]
            mine["details"] = {**mine.get("details", {}), **row["details"]}
    items = sorted(
        found.values(),
        key=lambda i: (search_key(i["agency"]), i["deadline"] is None, i["deadline"] or ""),
    )
    groups: dict[str, list[dict]] = defaultdict(list)
    for item in items:
        groups[item["agency"]].append(item)
    return [{"agency": name, "items": group} for name, group in groups.items()]


def candidate_row(case: Case, *, reasons: list[str], details: dict) -> dict:
    """A row of Report F for a case of `cases_as_of` (its state and deadline that day), with a
    source's own reasons and what words them (`details[reason]`)."""
    return _case_facts(case) | {
        "days_overdue": 0,
        "returns": 0,
        "decision": "",
        "sitting": "",
        "decided_on": None,
        "reasons": reasons,
        "details": details,
    }


def _case_facts(case: Case) -> dict:
    """What every row of Report F says of its case, as of the day of `cases_as_of`."""
    return {
        "case": case.pk,
        "notice": case.notice.number,
        "anchor": case.recommendation.anchor,
        "text": case.recommendation.text,
        "agency": case.agency.name,
        "committee": case.committee.name,
        "deadline": case.deadline_at.isoformat() if case.deadline_at else None,
        "state": case.state_at,
    }


class _History:
    """A case's returns and its standing decision as of the day, from its events."""

    def __init__(self) -> None:
        self.returns = 0
        self.decision: dict | None = None

    def read(self, kind: str, data: dict, created_at: datetime.datetime) -> None:
        if kind == EventKind.RETURNED:
            self.returns += 1
        elif kind in RESTARTS:
            self.decision = None
        elif kind == EventKind.DECIDED:
            decided = Decision.ends_urging(data.get("decision", ""))
            day = timezone.localdate(created_at).isoformat()
            self.decision = data | {"day": day} if decided else None


def _history(cases: QuerySet[Case], day: datetime.date) -> dict[int, _History]:
    end = day_end(day)
    events = (
        CaseEvent.objects.filter(
            case__in=cases.filter(opened_at__lt=end).values("pk"),
            kind__in=(EventKind.RETURNED, EventKind.DECIDED, *RESTARTS),
            created_at__lt=end,
        )
        .order_by("case_id", "created_at", "id")
        .values_list("case_id", "kind", "data", "created_at")
    )
    history: dict[int, _History] = defaultdict(_History)
    for case_id, kind, data, created_at in events.iterator(chunk_size=5000):
        history[case_id].read(kind, data or {}, created_at)
    return history


def _candidate(case: Case, day: datetime.date, threshold: int, history) -> dict:
    late = case.state_at in AGENCY_TURN and case.deadline_at and case.deadline_at < day
    days = (day - case.deadline_at).days if late else 0
    returns = history.returns if history else 0
    decision = history.decision if history else None
    reasons = [
        *([OVERDUE] if days > threshold else []),
        *([RETURNED] if returns >= 2 else []),
        *([DECIDED] if decision else []),
    ]
    return _case_facts(case) | {
        "days_overdue": days,
        "returns": returns,
        "decision": decision["decision"] if decision else "",
        "sitting": decision.get("sitting_name", "") if decision else "",
        "decided_on": decision["day"] if decision else None,
        "reasons": reasons,
    }
