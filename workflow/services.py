"""The only writers of cases. `case_transition` is the one place a case changes state."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition

from conclusions import rules
from conclusions.models import Agency, ConclusionNotice, Council
from conclusions.rules import normalize_text
from conclusions.services import RecommendationInput, recommendations_append
from workflow.calendar import Deadline, WorkingCalendar
from workflow.deadlines import calendar_for, recommendation_deadline
from workflow.definitions import review_due
from workflow.errors import CaseConflict, CaseForbidden, CaseInvalid, CaseNotFound
from workflow.escalation import RETURNED_TWICE, climb_to_decision, schedule
from workflow.escalation_plan import shared_calendar
from workflow.models import (
    Case,
    CaseEvent,
    CaseState,
    EventKind,
    Evidence,
    Outcome,
    ProgressReport,
    SelfAssessment,
)
from workflow.selectors import cases_visible_to, known_rows, takes_part_in
from workflow.signals import events_bulk_created
from workflow.transitions import TRANSITIONS, Action, role_allows, state_allows

TRANSITION_FIELDS = ["state", "outcome", "closed_at", "next_escalation_at", "updated_at"]
LADDER_FIELDS = ["escalation_level", "ladder_cycle", "decision", "decision_until"]
REPORT_FIELDS = ["reported_at", "deadline_when_reported", "review_due"]


@dataclass(frozen=True)
class ReportInput:
    text: str
    letter_number: str = ""
    letter_date: datetime.date | None = None
    files: Sequence[UploadedFile] = field(default_factory=tuple)
    self_assessment: str = ""  # SelfAssessment, or "" when the agency does not say
    # The web form asks for it; the API leaves it optional for clients written before it.
    self_assessment_required: bool = False


@transaction.atomic
def case_transition(
    *,
    case: Case,
    actor,
    action: str,
    note: str = "",
    outcome: str = "",
    report: ReportInput | None = None,
    visible: bool = False,
) -> Case:
    """Check the actor's role, move the case, and log the event, all in one transaction.
    `visible`: the caller read `case` through `cases_visible_to(actor)` in this request, so
    the 404 check is not made twice."""
    if action not in TRANSITIONS:
        raise CaseInvalid(_("Thao tác không hợp lệ: %(action)s."), action=action)
    transition = TRANSITIONS[action]
    if not visible:
        check_may_see(case, actor)
    check_not_history(case)
    if not role_allows(case, action, actor):
        raise CaseForbidden(
            _("Bạn không có quyền thực hiện “%(label)s” trên hồ sơ này."), label=transition.label
        )
    if not state_allows(case, action):
        raise CaseConflict(
            _("Không thể “%(label)s”: hồ sơ đang ở trạng thái “%(state)s”."),
            label=transition.label,
            state=CaseState(case.state).label,
        )
    note = normalize_text(note)
    arguments = _transition_arguments(action, note, outcome, report)
    from_state = case.state
    getattr(case, transition.method)(*arguments)
    schedule(case)
    if action == Action.REPORT:
        _stamp_report(case)
    try:
        # Only what a transition changes: the sweep may be moving the ladder meanwhile.
        ladder = LADDER_FIELDS if action == Action.REOPEN else []
        stamps = REPORT_FIELDS if action == Action.REPORT else []
        case.save(update_fields=TRANSITION_FIELDS + ladder + stamps)
    except ConcurrentTransition:
        raise CaseConflict(
            _("Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại trang và thử lại.")
        ) from None
    data = {"outcome": outcome} if action == Action.CLOSE else {}
    if report is not None:
        case.saved_report = _save_report(case, actor, report)  # for an answer read from memory
        data |= _report_facts(case, case.saved_report)
    log_event(case, transition.event_kind, actor, from_state=from_state, note=note, data=data)
    if action == Action.RETURN and case.events.filter(kind=EventKind.RETURNED).count() >= 2:
        climb_to_decision(case, RETURNED_TWICE)
    return case


@transaction.atomic
def case_comment(*, case: Case, actor, text: str) -> CaseEvent:
    """Anyone who takes part in a case (coordinating agencies too) may comment on it; those
    who only watch it (the office, a People's Committee above the lead agency) may not."""
    check_may_see(case, actor)
    check_not_history(case)
    if not takes_part_in(case, actor):
        raise CaseForbidden(_("Bạn chỉ được xem hồ sơ này, không được cho ý kiến."))
    text = normalize_text(text)
    if not text:
        raise CaseInvalid(_("Nội dung ý kiến không được để trống."))
    return log_event(case, EventKind.COMMENTED, actor, from_state=case.state, note=text)


@transaction.atomic
def notice_issue(*, notice: ConclusionNotice, actor=None) -> list[Case]:
    """Open one case per recommendation × lead agency; a notice is issued exactly once."""
    locked = ConclusionNotice.objects.select_for_update().get(pk=notice.pk)
    if locked.status != ConclusionNotice.Status.DRAFT:
        raise CaseConflict(_("Thông báo %(number)s đã được ban hành."), number=notice.number)
    cases = _open_cases(locked, list(locked.recommendations.all()), actor)
    locked.status = ConclusionNotice.Status.ISSUED
    locked.save(update_fields=["status"])
    notice.status = locked.status
    return cases


@transaction.atomic
def notice_items_add(
    *, notice: ConclusionNotice, items: Sequence[RecommendationInput], actor=None
) -> list[Case]:
    """Items added to an issued notice, their cases opened at once. The streams use it: a
    petition round or a programme keeps one notice that grows as petitions are routed or
    questions forwarded, so every tracked unit is still one recommendation × lead agency."""
    locked = ConclusionNotice.objects.select_for_update().get(pk=notice.pk)
    if locked.status != ConclusionNotice.Status.ISSUED:
        raise CaseConflict(_("Thông báo %(number)s chưa được ban hành."), number=notice.number)
    recommendations = recommendations_append(notice=locked, items=items)
    return _open_cases(locked, recommendations, actor)


def _open_cases(notice, recommendations, actor) -> list[Case]:
    """One case per recommendation × lead agency, in a constant number of queries."""
    prefetch_related_objects(recommendations, "lead_agencies", "coordinating_agencies")
    calendar = calendar_for(notice.council_id)
    cases = []
    for recommendation in recommendations:
        deadline = recommendation_deadline(recommendation, calendar)
        if deadline is not None:  # a date the ladder can count from, even if stored before
            check_rule(rules.validate_date, deadline.due)
        cases += [
            _open_case(notice, recommendation, agency, deadline)
            for agency in _addressees(recommendation.lead_agencies.all())
        ]
    Case.objects.bulk_create(cases)
    Through = Case.coordinating_agencies.through
    Through.objects.bulk_create(
        Through(case_id=case.pk, agency_id=agency.pk)
        for case in cases
        for agency in case.recommendation.coordinating_agencies.all()
    )
    opened = CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case,
            kind=EventKind.OPENED,
            actor=actor,
            to_state=case.state,
            data={"notice": notice.number},
        )
        for case in cases
    )
    events_bulk_created.send(sender=CaseEvent, event_ids=[event.pk for event in opened])
    return cases


def _addressees(leads) -> list[Agency]:
    """The lead agencies, "UBND các xã, phường" standing for each commune People's Committee
    under the province that issued the notice (one case each, followed by the province)."""
    result: list[Agency] = []
    for agency in leads:
        if agency.kind != Agency.Kind.COMMUNE_COMMITTEES:
            result.append(agency)
            continue
        result += Agency.objects.filter(
            kind=Agency.Kind.PEOPLES_COMMITTEE,
            is_active=True,
            council__parent_id=agency.council_id,
            council__level=Council.Level.COMMUNE,
            council__successor__isnull=True,
        ).order_by("council__name", "code")
    return list(dict.fromkeys(result))


def _stamp_report(case: Case) -> None:
    """What the agency is judged by and the committee's clock starts from
    (workflow/definitions.py): when it reported, the deadline in force then, and the day the
    committee should have reviewed the report by."""
    case.deadline_when_reported = case.deadline
    stamps = report_stamps(case, timezone.now(), shared_calendar(case.council_id))
    case.reported_at, case.review_due = stamps["reported_at"], stamps["review_due"]


def report_stamps(
    case: Case, reported_at: datetime.datetime, calendar: WorkingCalendar | None = None
) -> dict:
    """When the agency reported and the day the committee should have reviewed it by; also
    for histories dated after the fact (the demo's). A transition passes the calendar its
    `schedule` read (escalation_plan.shared_calendar)."""
    on = timezone.localdate(reported_at)
    calendar = calendar or calendar_for(case.council_id)
    due = review_due(calendar, on, case.council.review_working_days)
    return {"reported_at": reported_at, "review_due": due}


def _report_facts(case: Case, report: ProgressReport) -> dict:
    """The report's event carries the same facts, so figures "as of" a day read them."""
    return {
        "report_id": report.pk,
        "self_assessment": report.self_assessment,
        "deadline": _iso(case.deadline_when_reported),
        "review_due": case.review_due.isoformat(),
    }


def _open_case(notice, recommendation, agency, deadline: Deadline | None) -> Case:
    due = deadline.due if deadline else None
    case = Case(
        recommendation=recommendation,
        notice=notice,
        council_id=notice.council_id,
        committee_id=recommendation.tracking_committee_id,
        agency=agency,
        accountable_id=recommendation.accountable_id,
        deadline=due,
        original_deadline=due,
        deadline_explanation=deadline.to_json() if deadline else {},
    )
    schedule(case)
    return case


def check_may_see(case: Case, actor) -> None:
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise CaseNotFound(_("Không tìm thấy hồ sơ."))


def check_not_history(case: Case) -> None:
    """A case left with a predecessor (a closed case, workflow/successions.py) is history."""
    if case.council.successor_id or case.agency.successor_id:
        raise CaseConflict(
            _("Hồ sơ thuộc đơn vị đã sáp nhập (%(name)s); lịch sử chỉ được xem, không sửa."),
            name=case.agency.name if case.agency.successor_id else case.council.name,
        )


def _transition_arguments(action, note, outcome, report) -> tuple:
    if action == Action.CLOSE:
        if outcome not in Outcome.values:
            raise CaseInvalid(_("Vui lòng chọn kết quả đánh giá khi đóng hồ sơ."))
        return (outcome,)
    if action == Action.RETURN and not note:
        raise CaseInvalid(_("Vui lòng nêu lý do trả lại."))
    if action == Action.REPORT:
        if report is None or not normalize_text(report.text):
            raise CaseInvalid(_("Nội dung báo cáo không được để trống."))
        if report.self_assessment not in ("", *SelfAssessment.values):
            raise CaseInvalid(_("Tự đánh giá của cơ quan không hợp lệ."))
        if report.self_assessment_required and not report.self_assessment:
            raise CaseInvalid(_("Vui lòng chọn cơ quan tự đánh giá kết quả."))
        check_rule(rules.validate_evidence_files, report.files)
    return ()


def check_rule(rule, value) -> None:
    """An input rule (conclusions.rules) checked again by a service: its refusal, lazy and
    with its parameters, as a CaseInvalid."""
    try:
        rule(value)
    except ValidationError as error:
        raise CaseInvalid(error.message, **(error.params or {})) from None


def _save_report(case: Case, actor, report: ReportInput) -> ProgressReport:
    saved = ProgressReport.objects.create(
        case=case,
        author=actor,
        text=normalize_text(report.text),
        letter_number=normalize_text(report.letter_number),
        letter_date=report.letter_date,
        self_assessment=report.self_assessment,
    )
    files = [
        Evidence.objects.create(
            report=saved, file=upload, original_name=upload.name, size=upload.size
        )
        for upload in report.files
    ]
    known_rows(saved, "evidence", files)
    return saved


def log_event(
    case: Case, kind: str, actor, *, from_state: str, note: str = "", data=None
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        created_at=timezone.now(),
        from_state=from_state,
        to_state=case.state,
        note=note,
        data=data or {},
    )


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None
