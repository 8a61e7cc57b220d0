"""The only writers of trực báo: a province sets a schedule (and changes, stops or restarts
it), the daily job opens its rounds (one report per commune council), a commune saves and
sends its report. Refusals in the project's fixed order: 404 (may not see), 403 (may not
write), 409 (already sent, already stopped), 400."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from briefings.figures import commune_figures
from briefings.models import BriefingReport, BriefingRound, BriefingSchedule, Frequency
from briefings.periods import ended_periods
from briefings.selectors import (
    may_write,
    provinces_setting,
    reports_visible_to,
    schedules_visible_to,
)
from conclusions import rules
from conclusions.models import Council
from conclusions.selectors import roles_of
from reports.communes import communes_of
from workflow.deadlines import calendar_for
from workflow.errors import CaseConflict, CaseForbidden, CaseInvalid, CaseNotFound

REMIND_WORKING_DAYS = 3  # communes that have not reported are reminded this long before
MAX_DUE_WORKING_DAYS = 60


@dataclass(frozen=True)
class ScheduleInput:
    title: str
    frequency: str
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    due_working_days: int = 5
    commune_ids: tuple[int, ...] = ()  # none: every commune council of the province


def schedule_create(*, council: Council, data: ScheduleInput, actor) -> BriefingSchedule:
    if not provinces_setting(actor).filter(pk=council.pk).exists():
        raise CaseForbidden(_("Chỉ Thường trực hoặc Văn phòng HĐND tỉnh lập lịch trực báo."))
    communes = _check_schedule(council, data)
    with transaction.atomic():
        schedule = BriefingSchedule.objects.create(
            council=council,
            title=data.title,
            frequency=data.frequency,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            due_working_days=data.due_working_days,
            created_by=actor,
        )
        schedule.communes.set(communes)
    return schedule


def _check_schedule(council: Council, data: ScheduleInput) -> list[Council]:
    if not data.title.strip():
        raise CaseInvalid(_("Vui lòng nhập tên lịch trực báo."))
    if data.frequency not in Frequency.values:
        raise CaseInvalid(_("Định kỳ không hợp lệ."))
    if data.frequency == Frequency.ONCE and data.ends_on is None:
        raise CaseInvalid(_("Trực báo một lần: vui lòng nhập ngày cuối của kỳ báo cáo."))
    if data.ends_on is not None and data.ends_on < data.starts_on:
        raise CaseInvalid(_("Ngày kết thúc phải sau ngày bắt đầu."))
    if not 1 <= data.due_working_days <= MAX_DUE_WORKING_DAYS:
        raise CaseInvalid(
            _("Hạn nộp phải từ 1 đến %(n)s ngày làm việc sau cuối kỳ."), n=MAX_DUE_WORKING_DAYS
        )
    communes = list(communes_of(council).filter(pk__in=data.commune_ids))
    if len(communes) != len(set(data.commune_ids)):
        raise CaseInvalid(_("Chỉ chọn được các HĐND xã, phường thuộc HĐND tỉnh."))
    return communes


@dataclass(frozen=True)
class ScheduleChange:
    """What the province may change in a schedule once set; its periods stay as they were."""

    title: str
    due_working_days: int
    commune_ids: tuple[int, ...] = ()
    version: int | None = None  # as the page showed it; None: no page to be stale


def schedule_change(*, schedule_id: int, data: ScheduleChange, actor) -> BriefingSchedule:
    """Change what the next rounds ask: the rounds already opened keep their due date and
    their communes. Checked as a new schedule is."""
    schedule = _schedule_to_set(schedule_id, actor)
    communes = _check_schedule(
        schedule.council,
        ScheduleInput(
            title=data.title,
            frequency=schedule.frequency,
            starts_on=schedule.starts_on,
            ends_on=schedule.ends_on,
            due_working_days=data.due_working_days,
            commune_ids=data.commune_ids,
        ),
    )
    with transaction.atomic():
        changed = _unchanged_since(BriefingSchedule.objects, schedule.pk, data.version).update(
            title=data.title, due_working_days=data.due_working_days, version=F("version") + 1
        )
        if not changed:
            raise CaseConflict(
                _("Lịch trực báo vừa được người khác sửa. Vui lòng tải lại trang và thử lại.")
            )
        schedule.communes.set(communes)
    schedule.refresh_from_db()
    return schedule


def _unchanged_since(manager, pk: int, version: int | None):
    """The row, if nobody changed it since the page that sent the form was shown."""
    rows = manager.filter(pk=pk)
    return rows if version is None else rows.filter(version=version)


def schedule_set_active(
    *, schedule_id: int, active: bool, actor, today: datetime.date
) -> BriefingSchedule:
    """Stop a schedule (no new round) or start it again (from the periods ending from `today`
    on). Doing it twice, or after someone else did, is a conflict."""
    schedule = _schedule_to_set(schedule_id, actor)
    changes = {"is_active": active} | ({"resumed_on": today} if active else {})
    if not BriefingSchedule.objects.filter(pk=schedule.pk, is_active=not active).update(**changes):
        raise CaseConflict(
            _("Lịch trực báo đang được áp dụng.") if active else _("Lịch trực báo đã ngừng.")
        )
    schedule.refresh_from_db()
    return schedule


def _schedule_to_set(schedule_id: int, actor) -> BriefingSchedule:
    schedule = schedules_visible_to(actor).select_related("council").filter(pk=schedule_id).first()
    if schedule is None:
        raise CaseNotFound(_("Không tìm thấy lịch trực báo."))
    if not provinces_setting(actor).filter(pk=schedule.council_id).exists():
        raise CaseForbidden(_("Chỉ Thường trực hoặc Văn phòng HĐND tỉnh sửa lịch trực báo."))
    return schedule


def schedule_communes(schedule: BriefingSchedule) -> list[int]:
    chosen = list(schedule.communes.values_list("pk", flat=True))
    return chosen or list(communes_of(schedule.council).values_list("pk", flat=True))


def rounds_open(*, today: datetime.date) -> int:
    """Open the round of every period that has ended by `today`, with one report per commune
    council; returns how many reports it wrote. Run again, or by two workers at once, it
    writes nothing new (unique round per period, unique report per round and commune)."""
    written = 0
    schedules = BriefingSchedule.objects.filter(is_active=True).select_related("council")
    for schedule in schedules.prefetch_related("rounds"):
        opened = {round_.period_start for round_ in schedule.rounds.all()}
        periods = ended_periods(schedule.frequency, schedule.starts_on, schedule.ends_on, today)
        for first, last in periods:
            if first in opened:
                continue
            if schedule.resumed_on and last < schedule.resumed_on:
                continue  # it ended while the schedule was stopped
            written += _round_open(schedule, first, last)
    return written


def _round_open(schedule: BriefingSchedule, first: datetime.date, last: datetime.date) -> int:
    calendar = calendar_for(schedule.council_id)
    due = calendar.add_working_days(last, schedule.due_working_days).due
    with transaction.atomic():
        round_, created = BriefingRound.objects.get_or_create(
            schedule=schedule,
            period_start=first,
            defaults={
                "period_end": last,
                "due_on": due,
                "remind_on": calendar.shift_working_days(due, -REMIND_WORKING_DAYS),
            },
        )
        if not created:
            return 0
        communes = schedule_communes(schedule)
        reports = [BriefingReport(round=round_, council_id=pk) for pk in communes]
        BriefingReport.objects.bulk_create(reports, ignore_conflicts=True)
    return len(reports)


@dataclass(frozen=True)
class ReportInput:
    results: str = ""
    difficulties: str = ""
    proposals: str = ""
    version: int | None = None  # as the page showed it; None: no page to be stale


def report_save(
    *, report_id: int, actor, data: ReportInput, send: bool, now: datetime.datetime | None = None
) -> BriefingReport:
    """Save the commune's texts; with `send`, also its figures of the day, and it becomes
    read-only. Sending twice (two tabs, two people) is a conflict, never a second version."""
    now = now or timezone.now()
    report = reports_visible_to(actor).filter(pk=report_id).first()
    if report is None:
        raise CaseNotFound(_("Không tìm thấy báo cáo."))
    if report.council_id not in roles_of(actor).council_ids:
        raise CaseForbidden(_("Chỉ Thường trực hoặc Văn phòng HĐND xã, phường lập báo cáo này."))
    if not may_write(report, actor):
        raise CaseConflict(_("Báo cáo đã được gửi, không sửa được nữa."))
    _check_report(data, send)
    changes = {
        "results": data.results.strip(),
        "difficulties": data.difficulties.strip(),
        "proposals": data.proposals.strip(),
        "updated_at": now,
        "version": F("version") + 1,
    }
    if send:
        today = timezone.localdate(now)
        changes |= {
            "figures": commune_figures(report.council_id, today),
            "figures_on": today,
            "submitted_at": now,
            "submitted_by": actor,
        }
    with transaction.atomic():
        unsent = BriefingReport.objects.filter(submitted_at__isnull=True)
        saved = _unchanged_since(unsent, report.pk, data.version).update(**changes)
    if not saved:
        raise CaseConflict(
            _("Báo cáo vừa được người khác sửa hoặc gửi. Vui lòng tải lại trang và thử lại.")
        )
    report.refresh_from_db()
    return report


def _check_report(data: ReportInput, send: bool) -> None:
    for text in (data.results, data.difficulties, data.proposals):
        if len(text) > rules.TEXT:
            raise CaseInvalid(_("Mỗi phần tối đa %(n)s ký tự."), n=rules.TEXT)
        try:
            rules.validate_text(text)
        except ValidationError as error:
            raise CaseInvalid(error.messages[0]) from None
    if send and not data.results.strip():
        raise CaseInvalid(_("Vui lòng nêu kết quả hoạt động trước khi gửi báo cáo."))
