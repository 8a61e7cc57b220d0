"""The writers of extension requests and decisions (gia hạn).

A request filed on or before the deadline holds the due and overdue rungs of the ladder
until it is decided; an approved one moves the deadline and restarts the ladder from it.
The original deadline stays on the case, and every request stays on record."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from conclusions import rules
from conclusions.rules import normalize_text
from conclusions.selectors import roles_of
from workflow.deadlines import calendar_for
from workflow.errors import CaseConflict, CaseForbidden, CaseInvalid
from workflow.escalation import schedule
from workflow.models import Case, CaseState, EventKind, Extension
from workflow.services import check_may_see, check_rule, log_event

EXTENSION_FIELDS = [
    "deadline",
    "deadline_explanation",
    "escalation_level",
    "ladder_cycle",
    "decision",
    "decision_until",
    "extension_pending",
    "extension_undecided",
    "next_escalation_at",
    "updated_at",
]


@transaction.atomic
def extension_request(
    *, case: Case, actor, requested_until: datetime.date, reason: str, letter_number: str = ""
) -> Extension:
    check_may_see(case, actor)
    if case.agency_id not in roles_of(actor).agency_ids:
        raise CaseForbidden(_("Chỉ cơ quan chủ trì được đề nghị gia hạn."))
    case = _locked(case)
    _check_request(case, requested_until, normalize_text(reason))
    timely = timezone.localdate() <= case.deadline
    try:
        with transaction.atomic():
            extension = Extension.objects.create(
                case=case,
                requested_by=actor,
                requested_until=requested_until,
                reason=normalize_text(reason),
                letter_number=normalize_text(letter_number),
                deadline_at_request=case.deadline,
            )
    except IntegrityError:
        raise _already_pending() from None
    case.extension_pending, case.extension_undecided = timely, True
    _save(case)
    log_event(
        case,
        EventKind.EXTENSION_REQUESTED,
        actor,
        from_state=case.state,
        note=extension.reason,
        data={
            "extension_id": extension.pk,
            "until": requested_until.isoformat(),
            "holds_ladder": timely,
        },
    )
    return extension


@transaction.atomic
def extension_decide(
    *,
    extension: Extension,
    actor,
    approve: bool,
    approved_until: datetime.date | None = None,
    note: str = "",
) -> Extension:
    extension = Extension.objects.select_for_update().select_related("case").get(pk=extension.pk)
    check_may_see(extension.case, actor)
    if not may_decide_extension(extension.case, actor):
        raise CaseForbidden(_("Bạn không có quyền quyết định gia hạn hồ sơ này."))
    if extension.status != Extension.Status.PENDING:
        raise CaseConflict(_("Đề nghị gia hạn này đã được quyết định."))
    case = _locked(extension.case)
    if approve:
        _approve(case, extension, approved_until or extension.requested_until)
    extension.status = Extension.Status.APPROVED if approve else Extension.Status.REJECTED
    extension.decided_by, extension.decided_at = actor, timezone.now()
    extension.decision_note = normalize_text(note)
    extension.save()
    case.extension_pending = case.extension_undecided = False
    _save(case)
    kind = EventKind.EXTENSION_APPROVED if approve else EventKind.EXTENSION_REJECTED
    log_event(
        case,
        kind,
        actor,
        from_state=case.state,
        note=extension.decision_note,
        data={
            "extension_id": extension.pk,
            "until": case.deadline.isoformat() if approve else None,
        },
    )
    return extension


def may_decide_extension(case: Case, user) -> bool:
    roles = roles_of(user)
    if case.council_id in roles.standing_council_ids:
        return True
    return case.committee_id in roles.committee_ids and case.council.committee_decides_extensions


def _approve(case: Case, extension: Extension, until: datetime.date) -> None:
    check_rule(rules.validate_date, until)  # a request stored before the rule, too
    if until <= case.deadline:
        raise CaseInvalid(
            _("Ngày gia hạn phải sau thời hạn hiện tại (%(deadline)s)."),
            deadline=date_format(case.deadline, "d/m/Y"),
        )
    deadline = calendar_for(case.council_id).extended_to(timezone.localdate(), until)
    extension.approved_until = deadline.due
    case.deadline = deadline.due
    case.deadline_explanation = deadline.to_json() | {"extension_id": extension.pk}
    case.restart_ladder()


def _check_request(case: Case, until: datetime.date, reason: str) -> None:
    if case.state == CaseState.CLOSED:
        raise CaseConflict(_("Hồ sơ đã đóng, không thể gia hạn."))
    if case.deadline is None:
        raise CaseInvalid(_("Hồ sơ thực hiện thường xuyên, không có thời hạn để gia hạn."))
    if case.extension_undecided:
        raise _already_pending()
    check_rule(rules.validate_date, until)
    if until <= case.deadline:
        raise CaseInvalid(
            _("Ngày đề nghị gia hạn phải sau thời hạn hiện tại (%(deadline)s)."),
            deadline=date_format(case.deadline, "d/m/Y"),
        )
    if not reason:
        raise CaseInvalid(_("Vui lòng nêu lý do đề nghị gia hạn."))


def _already_pending() -> CaseConflict:
    return CaseConflict(_("Hồ sơ đang có một đề nghị gia hạn chờ quyết định."))


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("council").get(pk=case.pk)


def _save(case: Case) -> None:
    schedule(case)
    case.save(update_fields=EXTENSION_FIELDS)
