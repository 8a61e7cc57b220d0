"""G: the weekly digest."""

import datetime

from django.db.models import Q, QuerySet

from reports.figures.common import (
    NEWLY_OVERDUE_DAYS,
    WEEKLY_HORIZONS,
    Progress,
    _iso,
    _item,
    _listed,
)
from reports.history import cases_as_of, day_end, local_day
from workflow.deadlines import calendar_for
from workflow.definitions import AGENCY_TURN
from workflow.models import Case, Extension


def weekly_figures(snapshot, cases: QuerySet[Case], progress: Progress) -> dict:
    day, end = snapshot.as_of, day_end(snapshot.as_of)
    calendar = calendar_for(snapshot.council_id)
    horizons = {n: calendar.shift_working_days(day, n) for n in WEEKLY_HORIZONS}
    since = day - datetime.timedelta(days=NEWLY_OVERDUE_DAYS)
    # The agency's turn only: a report waiting for review is on the committee's clock.
    rows = _listed(cases_as_of(cases, day)).filter(
        state_at__in=AGENCY_TURN,
        deadline_at__gte=since,
        deadline_at__lte=horizons[WEEKLY_HORIZONS[-1]],
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
