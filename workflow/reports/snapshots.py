"""Reports frozen "as of" a day (DOMAIN.md, "Reports the Standing Committee needs"):

A. results by agency and by committee, with the appendix of overdue items;
B. one notice, item by item, with the latest report and the committee's assessment;
G. the weekly digest: due in 3/7/15 working days, newly overdue, extensions waiting.

`snapshot_request` records what was asked and hands the work to a django-q2 task after
commit; `snapshot_build` computes the figures from the event log (workflow/reports/history.py)
and stores them as JSON, so the same report reopens and exports with the same figures."""

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_q.tasks import async_task

from conclusions.models import Agency, Committee, ConclusionNotice, Council
from conclusions.selectors import roles_of
from workflow.deadlines import calendar_for
from workflow.errors import CaseForbidden, CaseInvalid, CaseNotFound
from workflow.models import (
    Case,
    CaseEvent,
    CaseState,
    Extension,
    Outcome,
    ProgressReport,
    ReportSnapshot,
)
from workflow.reports.history import (
    cases_as_of,
    day_end,
    local_day,
    open_at,
    with_reminders,
)
from workflow.reports.queries import filter_cases
from workflow.selectors import cases_visible_to

logger = logging.getLogger(__name__)

WEEKLY_HORIZONS = (3, 7, 15)  # working days
NEWLY_OVERDUE_DAYS = 7
# Progress is written at most PROGRESS_STEPS times, and never for fewer rows than this.
PROGRESS_STEPS, PROGRESS_MIN_ROWS = 20, 2000
REVIEW_KINDS = ("case.closed", "case.returned", "case.reopened")

# Report A's columns: where a case stands as of the day.
OUTCOME_COLUMN = {
    Outcome.IMPLEMENTED: "done",
    Outcome.PARTIALLY: "done",
    Outcome.EXPLAINED: "explained",
    Outcome.ROADMAP: "explained",
    Outcome.FORWARDED: "forwarded",
    Outcome.NOT_IMPLEMENTED: "not_implemented",
}

Progress = Callable[[int], None]


@dataclass
class Tally:
    """Report A's figures for one agency, one committee, or all."""

    total: int = 0
    done: int = 0
    partially: int = 0  # of `done`
    on_time: int = 0  # in progress, within the deadline in force
    overdue: int = 0  # in progress, past the deadline in force
    not_implemented: int = 0
    explained: int = 0  # explained, or on a roadmap
    forwarded: int = 0
    closed: int = 0
    closed_on_time: int = 0

    def count(self, column: str, outcome: str, closed_on_time: bool | None) -> None:
        self.total += 1
        setattr(self, column, getattr(self, column) + 1)
        self.partially += outcome == Outcome.PARTIALLY and column == "done"
        if closed_on_time is not None:
            self.closed += 1
            self.closed_on_time += closed_on_time


def column_of(state: str, outcome: str, deadline: datetime.date | None, day: datetime.date) -> str:
    if state == CaseState.CLOSED:
        return OUTCOME_COLUMN.get(outcome, "not_implemented")
    return "overdue" if deadline is not None and deadline < day else "on_time"


def closed_in_time(closed_at, closing_deadline: datetime.date | None) -> bool:
    closed_on = local_day(closed_at)
    return closing_deadline is None or closed_on is None or closed_on <= closing_deadline


# ---------------------------------------------------------------------------- requesting


def councils_of(user) -> QuerySet[Council]:
    """The councils a user may report on: those they hold any seat in."""
    roles = roles_of(user)
    if roles.is_admin:
        return Council.objects.all()
    return Council.objects.filter(
        Q(pk__in=roles.standing_council_ids)
        | Q(committees__pk__in=roles.committee_ids)
        | Q(agencies__pk__in=roles.agency_ids)
    ).distinct()


def snapshots_visible_to(user):
    """Reports a user may reopen: their own, and all of the councils they sit in as Standing
    Committee (the figures inside were scoped when the report was made)."""
    roles = roles_of(user)
    if roles.is_admin:
        return ReportSnapshot.objects.all()
    return ReportSnapshot.objects.filter(
        Q(created_by=user) | Q(council_id__in=roles.standing_council_ids)
    )


@transaction.atomic
def snapshot_request(
    *,
    actor,
    kind: str,
    as_of: datetime.date,
    council: Council,
    committee: Committee | None = None,
    agency: Agency | None = None,
    source_kind: str = "",
    period_from: datetime.date | None = None,
    period_to: datetime.date | None = None,
    notice: ConclusionNotice | None = None,
    number: str = "",
):
    """Record a report to build and queue its build after commit; nothing is computed here."""
    _check_request(actor, kind, as_of, council, notice, period_from, period_to)
    params = {
        "committee": committee.pk if committee else None,
        "committee_name": committee.name if committee else "",
        "agency": agency.pk if agency else None,
        "agency_name": agency.name if agency else "",
        "source_kind": source_kind,
        "period_from": period_from.isoformat() if period_from else None,
        "period_to": period_to.isoformat() if period_to else None,
        "notice": notice.pk if notice else None,
    }
    snapshot = ReportSnapshot.objects.create(
        council=council,
        kind=kind,
        as_of=as_of,
        params=params,
        created_by=actor,
        number=number.strip(),
    )
    transaction.on_commit(lambda: snapshot_schedule(snapshot.pk))
    return snapshot


def _check_request(actor, kind, as_of, council, notice, period_from, period_to) -> None:
    if kind not in ReportSnapshot.Kind.values:
        raise CaseInvalid(_("Loại báo cáo không hợp lệ."))
    if as_of is None or as_of > timezone.localdate():
        raise CaseInvalid(_("Ngày chốt số liệu không được sau hôm nay."))
    if period_from and period_to and period_from > period_to:
        raise CaseInvalid(_("Kỳ báo cáo: ngày bắt đầu phải trước ngày kết thúc."))
    if not councils_of(actor).filter(pk=council.pk).exists():
        raise CaseForbidden(_("Bạn không có quyền lập báo cáo của HĐND này."))
    if kind == ReportSnapshot.Kind.NOTICE:
        if notice is None:
            raise CaseInvalid(_("Vui lòng chọn thông báo kết luận cần báo cáo."))
        visible = cases_visible_to(actor).filter(notice=notice, council=council)
        if not visible.exists():
            raise CaseNotFound(_("Không tìm thấy thông báo."))


def snapshot_schedule(snapshot_id: int) -> None:
    """Build in the django-q2 worker; `DONDOC_REPORTS_SYNC` builds in this process instead
    (tests, and installations without a worker)."""
    async_task(
        "workflow.reports.tasks.build_snapshot",
        snapshot_id,
        task_name=f"report-snapshot-{snapshot_id}",
        sync=settings.DONDOC_REPORTS_SYNC,
    )


# ------------------------------------------------------------------------------ building


def snapshot_build(snapshot_id: int):
    """Compute and freeze the figures; progress and failure are written on the row."""
    snapshot = ReportSnapshot.objects.select_related("council", "created_by").get(pk=snapshot_id)
    if snapshot.status == ReportSnapshot.Status.DONE:
        return snapshot  # a retried task must not change figures already frozen
    rows = ReportSnapshot.objects.filter(pk=snapshot.pk)
    rows.update(status=ReportSnapshot.Status.RUNNING, progress=1, error="")

    def progress(percent: int) -> None:
        rows.update(progress=max(1, min(99, percent)))

    try:
        figures = BUILDERS[snapshot.kind](snapshot, report_cases(snapshot), progress)
    except Exception as error:
        logger.exception("Report snapshot %s failed", snapshot.pk)
        rows.update(status=ReportSnapshot.Status.FAILED, error=str(error)[:2000])
        raise
    rows.update(
        status=ReportSnapshot.Status.DONE,
        progress=100,
        figures=figures,
        finished_at=timezone.now(),
    )
    snapshot.refresh_from_db()
    return snapshot


def report_cases(snapshot) -> QuerySet[Case]:
    """The cases the report covers: what its author may see, in its council, filtered."""
    params = snapshot.params
    return filter_cases(
        cases_visible_to(snapshot.created_by).filter(council=snapshot.council),
        committee=params.get("committee"),
        agency=params.get("agency"),
        source_kind=params.get("source_kind") or "",
        period_from=_date(params.get("period_from")),
        period_to=_date(params.get("period_to")),
    )


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _item(case: Case, day: datetime.date) -> dict:
    """A case as a report lists it, frozen as of `day`."""
    return {
        "case": case.pk,
        "notice": case.notice.number,
        "anchor": case.recommendation.anchor,
        "text": case.recommendation.text,
        "agency": case.agency.name,
        "committee": case.committee.name,
        "deadline": _iso(case.deadline_at),
        "original_deadline": _iso(case.original_deadline),
        "state": case.state_at,
    }


def _listed(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related("notice", "recommendation", "agency", "committee")


# --- A: results by agency and by committee


def results_figures(snapshot, cases: QuerySet[Case], progress: Progress) -> dict:
    day = snapshot.as_of
    total = cases.filter(opened_at__lt=day_end(day)).count()
    rows = (
        cases_as_of(cases, day)
        .order_by()
        .values_list(
            "committee_id",
            "agency_id",
            "state_at",
            "outcome_at",
            "deadline_at",
            "closed_at_d",
            "closing_deadline",
        )
    )
    overall = Tally()
    committees: dict[int, Tally] = defaultdict(Tally)
    agencies: dict[int, Tally] = defaultdict(Tally)
    step = max(PROGRESS_MIN_ROWS, total // PROGRESS_STEPS)
    for seen, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        committee_id, agency_id, state, outcome, deadline, closed_at, closing_deadline = row
        column = column_of(state, outcome, deadline, day)
        on_time = closed_in_time(closed_at, closing_deadline) if state == CaseState.CLOSED else None
        for tally in (overall, committees[committee_id], agencies[agency_id]):
            tally.count(column, outcome, on_time)
        if seen % step == 0:
            progress(90 * seen // max(total, 1))
    overdue = _listed(with_reminders(open_at(cases_as_of(cases, day)), day)).filter(
        deadline_at__lt=day
    )
    appendix = [
        _item(case, day)
        | {"days_overdue": (day - case.deadline_at).days, "reminders": case.reminders}
        for case in overdue.order_by(
            "deadline_at", "notice__number", "recommendation__position", "id"
        )
    ]
    return {
        "totals": asdict(overall),
        "by_agency": _rows(Agency, agencies),
        "by_committee": _rows(Committee, committees),
        "overdue": appendix,
    }


def _rows(model, tallies: dict[int, Tally]) -> list[dict]:
    names = dict(model.objects.filter(pk__in=list(tallies)).values_list("pk", "name"))
    rows = [{"id": pk, "name": names.get(pk, "")} | asdict(t) for pk, t in tallies.items()]
    return sorted(rows, key=lambda row: row["name"])


# --- B: one notice, item by item


def notice_figures(snapshot, cases: QuerySet[Case], progress: Progress) -> dict:
    day, end = snapshot.as_of, day_end(snapshot.as_of)
    notice = ConclusionNotice.objects.select_related("tracking_committee").get(
        pk=snapshot.params["notice"]
    )
    mine = cases.filter(notice=notice)
    rows = (
        _listed(cases_as_of(mine, day))
        .prefetch_related("coordinating_agencies")
        .order_by("recommendation__position", "recommendation_id", "agency__name", "id")
    )
    reports = _latest_per_case(
        ProgressReport.objects.filter(case__in=mine, created_at__lt=end).order_by(
            "-created_at", "-id"
        )
    )
    reviews = _latest_per_case(
        CaseEvent.objects.filter(case__in=mine, kind__in=REVIEW_KINDS, created_at__lt=end).order_by(
            "-created_at", "-id"
        )
    )
    progress(50)
    overall, items = Tally(), []
    for case in rows:
        on_time = (
            closed_in_time(case.closed_at_d, case.closing_deadline)
            if case.state_at == CaseState.CLOSED
            else None
        )
        column = column_of(case.state_at, case.outcome_at, case.deadline_at, day)
        overall.count(column, case.outcome_at, on_time)
        items.append(
            _item(case, day)
            | {
                "coordinating": [a.name for a in case.coordinating_agencies.all()],
                "outcome": case.outcome_at if case.state_at == CaseState.CLOSED else "",
                "report": _report(reports.get(case.pk)),
                "assessment": _assessment(reviews.get(case.pk)),
            }
        )
    return {
        "notice": {
            "id": notice.pk,
            "number": notice.number,
            "issue_date": notice.issue_date.isoformat(),
            "title": notice.title,
            "source_kind": notice.source_kind,
            "committee": notice.tracking_committee.name,
        },
        "totals": asdict(overall),
        "items": items,
    }


def _latest_per_case(rows: QuerySet) -> dict[int, object]:
    latest: dict[int, object] = {}
    for row in rows:
        latest.setdefault(row.case_id, row)
    return latest


def _report(report: ProgressReport | None) -> dict | None:
    if report is None:
        return None
    return {
        "date": local_day(report.created_at).isoformat(),
        "letter_number": report.letter_number,
        "letter_date": _iso(report.letter_date),
        "text": report.text,
    }


def _assessment(event: CaseEvent | None) -> dict | None:
    if event is None:
        return None
    return {
        "kind": event.kind.removeprefix("case."),
        "date": local_day(event.created_at).isoformat(),
        "outcome": (event.data or {}).get("outcome", ""),
        "note": event.note,
    }


# --- G: the weekly digest


def weekly_figures(snapshot, cases: QuerySet[Case], progress: Progress) -> dict:
    day, end = snapshot.as_of, day_end(snapshot.as_of)
    calendar = calendar_for(snapshot.council_id)
    horizons = {n: calendar.shift_working_days(day, n) for n in WEEKLY_HORIZONS}
    since = day - datetime.timedelta(days=NEWLY_OVERDUE_DAYS)
    rows = _listed(open_at(cases_as_of(cases, day))).filter(
        deadline_at__gte=since, deadline_at__lte=horizons[WEEKLY_HORIZONS[-1]]
    )
    groups: dict[str, list[dict]] = {"newly_overdue": []} | {
        f"due_{n}": [] for n in WEEKLY_HORIZONS
    }
    for case in rows.order_by("deadline_at", "notice__number", "recommendation__position", "id"):
        groups[_weekly_group(case.deadline_at, day, horizons)].append(_item(case, day))
    progress(60)
    waiting = (
        Extension.objects.filter(case__in=cases, requested_at__lt=end)
        .filter(Q(decided_at__isnull=True) | Q(decided_at__gte=end))
        .select_related("case__notice", "case__recommendation", "case__agency")
        .order_by("requested_at", "id")
    )
    return {
        "horizons": {str(n): d.isoformat() for n, d in horizons.items()},
        "since": since.isoformat(),
        **groups,
        "extensions": [_waiting(extension) for extension in waiting],
    }


def _weekly_group(deadline: datetime.date, day: datetime.date, horizons) -> str:
    if deadline < day:
        return "newly_overdue"
    return next(f"due_{n}" for n in WEEKLY_HORIZONS if deadline <= horizons[n])


def _waiting(extension: Extension) -> dict:
    case = extension.case
    return {
        "case": case.pk,
        "notice": case.notice.number,
        "anchor": case.recommendation.anchor,
        "agency": case.agency.name,
        "requested_at": local_day(extension.requested_at).isoformat(),
        "deadline": _iso(extension.deadline_at_request),
        "requested_until": extension.requested_until.isoformat(),
        "reason": extension.reason,
    }


BUILDERS: dict[str, Callable[..., dict]] = {
    "results": results_figures,
    "notice": notice_figures,
    "weekly": weekly_figures,
}
