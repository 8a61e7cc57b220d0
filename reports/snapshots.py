"""Reports frozen "as of" a day (DOMAIN.md, "Reports the Standing Committee needs"; the
figures of each kind are computed in reports/figures/).

`snapshot_request` records what was asked and hands the work to a django-q2 task after
commit; `snapshot_build` computes the figures from the event log (reports/history.py)
and stores them as JSON, so the same report reopens and exports with the same figures."""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_q.tasks import async_task

from conclusions.models import Agency, Committee, ConclusionNotice, Council
from conclusions.selectors import roles_of
from reports.history import in_council_as_of
from reports.models import ReportSnapshot
from reports.registry import kind_of
from workflow.errors import CaseForbidden, CaseInvalid
from workflow.filters import filter_cases
from workflow.models import Case
from workflow.selectors import cases_visible_to

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------- requesting


def councils_of(user) -> QuerySet[Council]:
    """The councils a user may report on: those they hold any seat in (the office compiles
    its council's reports)."""
    roles = roles_of(user)
    if roles.is_admin:
        return Council.objects.all()
    return Council.objects.filter(
        Q(pk__in=roles.council_ids)
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
    options: dict | None = None,
):
    """Record a report to build and queue its build after commit; nothing is computed here.
    `options` are a registered kind's own JSON-ready conditions (reports/registry.py)."""
    options = options or {}
    _check_request(actor, kind, as_of, council, period_from, period_to)
    if kind_of(kind).check:
        kind_of(kind).check(actor=actor, council=council, notice=notice, options=options)
    params = {
        "committee": committee.pk if committee else None,
        "committee_name": committee.name if committee else "",
        "agency": agency.pk if agency else None,
        "agency_name": agency.name if agency else "",
        "source_kind": source_kind,
        "period_from": period_from.isoformat() if period_from else None,
        "period_to": period_to.isoformat() if period_to else None,
        "notice": notice.pk if notice else None,
        "options": options,
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


def _check_request(actor, kind, as_of, council, period_from, period_to) -> None:
    if kind_of(kind) is None:
        raise CaseInvalid(_("Loại báo cáo không hợp lệ."))
    if as_of is None or as_of > timezone.localdate():
        raise CaseInvalid(_("Ngày chốt số liệu không được sau hôm nay."))
    if period_from and period_to and period_from > period_to:
        raise CaseInvalid(_("Kỳ báo cáo: ngày bắt đầu phải trước ngày kết thúc."))
    if not councils_of(actor).filter(pk=council.pk).exists():
        raise CaseForbidden(_("Bạn không có quyền lập báo cáo của HĐND này."))


def snapshot_schedule(snapshot_id: int) -> None:
    """Build in the django-q2 worker; `DONDOC_REPORTS_SYNC` builds in this process instead
    (tests, and installations without a worker)."""
    async_task(
        "reports.tasks.build_snapshot",
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
        figures = kind_of(snapshot.kind).figures(snapshot, report_cases(snapshot), progress)
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
    """The cases the report covers: what its author may see, in its council as it stood on the
    report's day (a later succession does not take cases out of an earlier report), filtered."""
    params = snapshot.params
    visible = cases_visible_to(snapshot.created_by)
    return filter_cases(
        in_council_as_of(visible, snapshot.council_id, snapshot.as_of),
        committee=params.get("committee"),
        agency=params.get("agency"),
        source_kind=params.get("source_kind") or "",
        period_from=_date(params.get("period_from")),
        period_to=_date(params.get("period_to")),
    )


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None
