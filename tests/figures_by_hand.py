"""The figures of DOMAIN.md ("How the figures are defined") recomputed in plain Python, case by
case, from each case's events, extensions and council calendar: no SQL, no code of
workflow/definitions.py or reports/, so that the dashboard, Report A and the API are checked
against an independent reading of the same rules.

A case is read "as of" the end of a day: its state is the one its last event left it in, its
deadline the last extension approved by then (else the original), the report it is judged by
the last one sent by then, against the deadline in force when it was sent."""

import datetime
import statistics
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.utils import timezone

from conclusions.models import Council
from workflow.deadlines import calendar_for

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
RESULTS = (
    "done_on_time",
    "done_late",
    "partially",
    "in_progress",
    "in_progress_overdue",
    "awaiting_review",
    "not_implemented",
    "explained_or_roadmap",
    "forwarded",
)
OF_OUTCOME = {
    "partially": "partially",
    "explained": "explained_or_roadmap",
    "roadmap": "explained_or_roadmap",
    "forwarded": "forwarded",
    "not_implemented": "not_implemented",
}


def end_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tzinfo=TZ)


def _in_force(case, approved, moment) -> datetime.date | None:
    before = [x for x in approved if x.decided_at < moment]
    return before[-1].approved_until if before else case.original_deadline or case.deadline


def _working_days(council_id: int, start: datetime.date, stop: datetime.date) -> int:
    calendar = calendar_for(council_id)
    days = (start + datetime.timedelta(days=n) for n in range(1, (stop - start).days + 1))
    return sum(1 for day in days if calendar.is_working_day(day))


def _review_due(case, report) -> datetime.date:
    if report.data.get("review_due"):
        return datetime.date.fromisoformat(report.data["review_due"])
    days = Council.objects.get(pk=case.council_id).review_working_days
    return calendar_for(case.council_id).shift_working_days(
        timezone.localdate(report.created_at), days
    )


def case_on(case, day: datetime.date) -> dict | None:
    """Everything the figures need to know of one case at the end of `day`, or None if it was
    not opened yet. `case` comes with its events and extensions prefetched."""
    end = end_of(day)
    if case.opened_at >= end:
        return None
    events = sorted(
        (e for e in case.events.all() if e.created_at < end), key=lambda e: (e.created_at, e.pk)
    )
    extensions = [x for x in case.extensions.all() if x.requested_at < end]
    approved = sorted(
        (x for x in extensions if x.status == "approved" and x.decided_at < end),
        key=lambda x: (x.decided_at, x.pk),
    )
    moves = [e for e in events if e.to_state]
    state = moves[-1].to_state if moves else case.state
    deadline = _in_force(case, approved, end)
    reports = [e for e in events if e.kind == "case.reported"]
    closings = [e for e in events if e.kind == "case.closed"]
    report = reports[-1] if reports else None
    facts = {
        "case": case,
        "state": state,
        "deadline": deadline,
        "due": deadline is not None and deadline < day,
        "claim": report.data.get("self_assessment", "") if report else "",
        "urgings": sum(1 for e in events if e.kind == "case.escalated"),
        "reminders": sum(
            1 for e in events if e.kind == "case.escalated" and e.data.get("action") == "reminder"
        ),
        "extensions_requested": len(extensions),
        "extensions_approved": len(approved),
        "extensions_rejected": sum(
            1 for x in extensions if x.status == "rejected" and x.decided_at < end
        ),
        "review_overdue": False,
        "review_days": _review_days(case, events),
    }
    if state == "closed":
        closing = closings[-1]
        moment = report.created_at if report else closing.created_at
        outcome = closing.data.get("outcome", "")
        if outcome == "implemented":
            then = _in_force(case, approved, moment)
            on_time = then is None or timezone.localdate(moment) <= then
            facts["result"] = "done_on_time" if on_time else "done_late"
        else:
            facts["result"] = OF_OUTCOME.get(outcome, "not_implemented")
    elif state == "reported":
        facts["result"] = "awaiting_review"
        facts["review_overdue"] = _review_due(case, report) < day
    else:
        facts["result"] = "in_progress_overdue" if facts["due"] else "in_progress"
    return facts


def _review_days(case, events) -> list[int]:
    """Working days from each report to the closing or return that answered it."""
    days, sent = [], None
    for event in events:
        if event.kind == "case.reported":
            sent = timezone.localdate(event.created_at)
        elif event.kind in ("case.closed", "case.returned") and sent is not None:
            days.append(_working_days(case.council_id, sent, timezone.localdate(event.created_at)))
            sent = None
    return days


COUNTED = (
    "due",
    "claimed_done",
    "verified_done",
    "extensions_requested",
    "extensions_approved",
    "extensions_rejected",
    "urgings",
)


def results_by_hand(cases, day: datetime.date) -> dict:
    """Report A by hand: {"totals": row, "by_agency": {code: row}, "by_committee": {code:
    row}, "overdue": {case id: item}}, rows shaped like the API's."""
    rows: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    review_days: dict[str, list[int]] = defaultdict(list)
    overdue = {}
    for case in cases:
        facts = case_on(case, day)
        if facts is None:
            continue
        keys = ("totals", f"agency:{case.agency.code}", f"committee:{case.committee.code}")
        for key in keys:
            row = rows[key]
            row["total"] += 1
            row[facts["result"]] += 1
            row["due"] += facts["due"]
            row["due_done_on_time"] += facts["due"] and facts["result"] == "done_on_time"
            row["claimed_done"] += facts["claim"] == "done"
            row["verified_done"] += facts["result"] in ("done_on_time", "done_late")
            for name in COUNTED[3:]:
                row[name] += facts[name]
            row["reviews_waiting"] += facts["result"] == "awaiting_review"
            row["reviews_overdue"] += facts["review_overdue"]
            review_days[key] += facts["review_days"]
        if facts["result"] == "in_progress_overdue":
            overdue[case.pk] = {
                "days_overdue": (day - facts["deadline"]).days,
                "urgings": facts["urgings"],
                "reminders": facts["reminders"],
                "deadline": facts["deadline"].isoformat(),
            }
    shaped = {key: _shaped(row, review_days[key]) for key, row in rows.items()}
    return {
        "totals": shaped.get("totals", _shaped({}, [])),
        "by_agency": {k[7:]: v for k, v in shaped.items() if k.startswith("agency:")},
        "by_committee": {k[10:]: v for k, v in shaped.items() if k.startswith("committee:")},
        "overdue": overdue,
    }


def _shaped(row: dict, days: list[int]) -> dict:
    shaped = {name: row.get(name, 0) for name in ("total", *RESULTS, "due_done_on_time")}
    shaped |= {name: row.get(name, 0) for name in COUNTED}
    shaped["on_time_rate"] = shaped["due_done_on_time"] / shaped["due"] if shaped["due"] else None
    shaped["reviews_waiting"] = row.get("reviews_waiting", 0)
    shaped["reviews_overdue"] = row.get("reviews_overdue", 0)
    shaped["median_review_days"] = statistics.median(days) if days else None
    return shaped


AGENCY_ROW = (*RESULTS, "total", "due", "due_done_on_time", "on_time_rate", *COUNTED[1:])
COMMITTEE_ROW = (*AGENCY_ROW, "reviews_waiting", "reviews_overdue", "median_review_days")


def live_by_hand(cases, today: datetime.date, horizon: datetime.date) -> dict[str, set[int]]:
    """Each dashboard number by hand: the cases of every result today, and the others."""
    buckets: dict[str, set[int]] = defaultdict(set)
    for case in cases:
        facts = case_on(case, today)
        is_open = case.state != "closed"
        buckets["total"].add(case.pk)
        buckets[facts["result"]].add(case.pk)
        buckets["open" if is_open else "closed"].add(case.pk)
        if is_open and case.deadline is not None and today <= case.deadline <= horizon:
            buckets["due_soon"].add(case.pk)
        if facts["due"]:
            buckets["due"].add(case.pk)
            if facts["result"] == "done_on_time":
                buckets["due_done_on_time"].add(case.pk)
        if facts["review_overdue"]:
            buckets["review_overdue"].add(case.pk)
        pending = any(x.status == "pending" for x in case.extensions.all())
        if pending or (is_open and case.escalation_level >= 7):
            buckets["decision"].add(case.pk)
    return buckets


def overdue_on_by_hand(cases, day: datetime.date) -> set[int]:
    """The chart's count on a past day, judged on today's deadline: the deadline had passed
    and the agency had not yet sent the report it stands on today (nor had the case closed
    without one)."""
    found = set()
    for case in cases:
        if case.deadline is None or case.deadline >= day:
            continue
        done_on = None
        if case.state in ("reported", "closed"):
            reports = [e for e in case.events.all() if e.kind == "case.reported"]
            moment = (
                max(reports, key=lambda e: (e.created_at, e.pk)).created_at if reports else None
            )
            done_on = timezone.localdate(moment or case.closed_at)
        if done_on is None or done_on > day:
            found.add(case.pk)
    return found
