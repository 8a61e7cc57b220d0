"""The table of case actions: what each is called, which state-machine method runs it,
and which event it writes. Who may run it is declared on the method itself (models.py)."""

from typing import NamedTuple

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from workflow.models import Case, EventKind


class Action:
    START = "start"
    REPORT = "report"
    RETURN = "return"
    CLOSE = "close"
    REOPEN = "reopen"


class Transition(NamedTuple):
    method: str
    event_kind: str
    label: Promise


TRANSITIONS: dict[str, Transition] = {
    Action.START: Transition("start", EventKind.STARTED, _("Bắt đầu thực hiện")),
    Action.REPORT: Transition("report", EventKind.REPORTED, _("Báo cáo kết quả")),
    Action.RETURN: Transition("send_back", EventKind.RETURNED, _("Trả lại")),
    Action.CLOSE: Transition("close", EventKind.CLOSED, _("Đóng hồ sơ")),
    Action.REOPEN: Transition("reopen", EventKind.REOPENED, _("Mở lại")),
}


def role_allows(case: Case, action: str, user) -> bool:
    # Ask the permission django-fsm keeps on the method, whatever the current state, so
    # that a wrong role is reported as such even when the state is wrong too.
    method = getattr(case, TRANSITIONS[action].method)
    return any(t.has_perm(case, user) for t in method._django_fsm.transitions.values())


def state_allows(case: Case, action: str) -> bool:
    return can_proceed(getattr(case, TRANSITIONS[action].method))


def actions_for(case: Case, user) -> list[str]:
    """The actions this user may take on this case right now, in the table's order."""
    return [a for a in TRANSITIONS if state_allows(case, a) and role_allows(case, a, user)]
