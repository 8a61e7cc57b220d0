"""The writer of the Standing Committee's decisions: where the ladder ends.

A case that reached the Standing Committee's rung (by time, or at once by a trigger: a report
returned twice, no answer to the urging letter) waits for it to decide: keep urging with a new
date, an explanation session, questioning at a named sitting, re-supervision, or the report to
the council sitting. "Keep urging" holds the ladder until the new date and then resumes it;
every other decision stops the urging for this ladder cycle (the case is in the council's
hands). Each decision is an event, told to the agency and its People's Committee."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from conclusions.models import Sitting
from conclusions.selectors import roles_of
from conclusions.services import normalize_text
from workflow.errors import CaseConflict, CaseForbidden, CaseInvalid
from workflow.escalation import decision_step, ladder_for, schedule
from workflow.models import Case, CaseEvent, CaseState, Decision, EventKind
from workflow.services import check_may_see, log_event

DECISION_FIELDS = ["decision", "decision_until", "next_escalation_at", "updated_at"]


def decision_level(council_id: int) -> int | None:
    """The level from which the Standing Committee decides, on the council's own ladder."""
    step = decision_step(ladder_for(council_id))
    return step.level if step else None


def check_may_decide(case: Case, actor) -> None:
    """The refusals that come before the input is read: 404, then 403, then 409."""
    check_may_see(case, actor)
    if case.council_id not in roles_of(actor).standing_council_ids:
        raise CaseForbidden(_("Chỉ Thường trực HĐND quyết định đối với hồ sơ ở bậc này."))
    if case.state == CaseState.CLOSED:
        raise CaseConflict(_("Hồ sơ đã đóng, không cần quyết định."))
    level = decision_level(case.council_id)
    if level is None:
        raise CaseConflict(_("Thang đôn đốc của HĐND không có bậc Thường trực HĐND quyết định."))
    if case.escalation_level < level:
        raise CaseConflict(
            _(
                "Hồ sơ chưa đến bậc Thường trực HĐND quyết định (đang ở mức %(level)s, "
                "cần từ mức %(needed)s)."
            ),
            level=case.escalation_level,
            needed=level,
        )


def may_decide(case: Case, user) -> bool:
    """Whether the case page offers this user the decision panel."""
    if case.council_id not in roles_of(user).standing_council_ids:
        return False  # the council's ladder is read only for those who may decide
    level = decision_level(case.council_id)
    return case.state != CaseState.CLOSED and level is not None and case.escalation_level >= level


@transaction.atomic
def case_decide(
    *,
    case: Case,
    actor,
    decision: str,
    sitting: Sitting | None = None,
    until: datetime.date | None = None,
    note: str = "",
) -> CaseEvent:
    """Record the Standing Committee's decision, reschedule the ladder, log and tell it."""
    check_may_decide(case, actor)
    case = Case.objects.select_for_update().select_related("council").get(pk=case.pk)
    check_may_decide(case, actor)  # again, on the row now locked against the sweep
    note = normalize_text(note)
    _check_input(case, decision, sitting, until)
    case.decision = decision
    case.decision_until = until if decision == Decision.KEEP_URGING else None
    schedule(case)
    case.save(update_fields=DECISION_FIELDS)
    return log_event(
        case,
        EventKind.DECIDED,
        actor,
        from_state=case.state,
        note=note,
        data={
            "decision": decision,
            "sitting": sitting.pk if sitting else None,
            "sitting_name": sitting.name if sitting else "",
            "sitting_opens": sitting.opens_on.isoformat() if sitting else None,
            "until": case.decision_until.isoformat() if case.decision_until else None,
            "level": case.escalation_level,
        },
    )


def _check_input(
    case: Case, decision: str, sitting: Sitting | None, until: datetime.date | None
) -> None:
    if decision not in Decision.values:
        raise CaseInvalid(_("Vui lòng chọn một quyết định."))
    if decision == Decision.KEEP_URGING:
        if until is None:
            raise CaseInvalid(_("Tiếp tục đôn đốc: vui lòng ấn định thời hạn mới."))
        if until <= timezone.localdate():
            raise CaseInvalid(
                _("Thời hạn mới phải sau hôm nay (%(today)s)."),
                today=date_format(timezone.localdate(), "d/m/Y"),
            )
    elif until is not None:
        raise CaseInvalid(_("Chỉ quyết định tiếp tục đôn đốc mới có thời hạn mới."))
    if decision == Decision.QUESTIONING and sitting is None:
        raise CaseInvalid(_("Chất vấn: vui lòng chọn kỳ họp."))
    if sitting is not None and sitting.council_id != case.council_id:
        raise CaseInvalid(_("Kỳ họp đã chọn không thuộc HĐND của hồ sơ."))


def case_decisions(case: Case):
    """The Standing Committee's decisions on the case, newest first."""
    return (
        case.events.filter(kind=EventKind.DECIDED)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )
