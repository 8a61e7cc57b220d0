"""The case page: its timeline, deadline and ladder, and one panel per action the user may
take (transitions, comments, extension requests and decisions, the committee's decision)."""

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from workflow import next_steps
from workflow.decisions import case_decide, case_decisions, may_decide
from workflow.definitions import AGENCY_TURN
from workflow.errors import CaseError
from workflow.extensions import extension_decide, extension_request, may_decide_extension
from workflow.forms import (
    ACTION_FORMS,
    CommentForm,
    DecisionForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    TransitionForm,
)
from workflow.models import (
    Case,
    CaseEvent,
    CaseState,
    Decision,
    EscalationStep,
    EventKind,
    Extension,
    Outcome,
    UrgingLetter,
)
from workflow.selectors import (
    StepNames,
    case_extensions,
    case_timeline,
    cases_visible_to,
    deadline_explanation,
    escalation_status,
    escalation_step_names,
    may_request_extension,
    takes_part_in,
)
from workflow.services import case_comment, case_transition
from workflow.templatetags.work import rung_label
from workflow.transitions import TRANSITIONS, Action, actions_for
from workflow.work_sources import returns_of

# The case page shows one panel per allowed action, the committee's decision first.
PANEL_ORDER = [Action.START, Action.REPORT, Action.CLOSE, Action.RETURN, Action.REOPEN]
PRIMARY_ACTIONS = {Action.START, Action.REPORT, Action.CLOSE}
# Extension panels come after the transitions and post to the same URL pattern, but they are
# not transitions of the case: they are marked data-extension-panel, not data-action-panel.
EXTENSION_REQUEST = "extension-request"
EXTENSION_DECIDE = "extension-decide"
# The Standing Committee's decision at its rung of the ladder (workflow/decisions.py).
DECIDE = "decision"


def _button(label, *, raised: bool = False, name: str = "", value: str = "") -> dict:
    return {"label": label, "raised": raised, "name": name, "value": value}


def _timeline(case: Case) -> list[CaseEvent]:
    """The case's events, each with a readable label, a detail (the outcome, the rung of the
    ladder reached, the date asked or granted) and, where it changed, the state."""
    states = dict(CaseState.choices)
    steps = escalation_step_names(case.council_id)
    events = list(case_timeline(case))
    for event in events:
        event.label = event.get_kind_display()
        event.detail = _event_detail(event, steps)
        changed = event.from_state and event.to_state and event.from_state != event.to_state
        event.state_label = states.get(event.to_state, "") if changed else ""
        event.letter_id = (event.data or {}).get("letter_id")
    return events


def _event_detail(event: CaseEvent, steps: StepNames) -> str:
    data = event.data or {}
    if event.kind == EventKind.CLOSED:
        return dict(Outcome.choices).get(data.get("outcome", ""), "")
    if event.kind == EventKind.ESCALATED:
        level = data.get("level", event.level)
        # The rung's name on the council's ladder; if the ladder changed since, what it did.
        name = steps.get(level) or dict(EscalationStep.Action.choices).get(data.get("action"))
        return rung_label(level, name)
    if event.kind == EventKind.DECIDED:
        return decision_text(data)
    if event.kind in (EventKind.LETTER_DRAFTED, EventKind.LETTER_SENT):
        kind = str(dict(UrgingLetter.Kind.choices).get(data.get("kind", ""), ""))
        if event.kind == EventKind.LETTER_DRAFTED:
            return kind
        sent_on = date_format(datetime.date.fromisoformat(data["sent_on"]), "d/m/Y")
        return _("%(kind)s số %(number)s ngày %(date)s") % {
            "kind": kind,
            "number": data.get("number", ""),
            "date": sent_on,
        }
    if event.kind in (EventKind.EXTENSION_REQUESTED, EventKind.EXTENSION_APPROVED) and data.get(
        "until"
    ):
        until = datetime.date.fromisoformat(data["until"])
        return _("đến %(date)s") % {"date": date_format(until, "d/m/Y")}
    return ""


def _comment_form(case: Case, user) -> CommentForm | None:
    """None for those who only watch the case (the office, a People's Committee): they read."""
    return CommentForm(auto_id="id_comment_%s") if takes_part_in(case, user) else None


def _returned(case: Case) -> CaseEvent | None:
    """The committee's return, while the case waits for the agency to report again."""
    if case.state not in AGENCY_TURN:
        return None
    return returns_of([case.pk]).get(case.pk)


def decision_text(data: dict) -> str:
    """A decision as the timeline and the case page word it."""
    text = str(dict(Decision.choices).get(data.get("decision", ""), ""))
    if data.get("sitting_name"):
        text += " — " + data["sitting_name"]
    if data.get("until"):
        until = datetime.date.fromisoformat(data["until"])
        text += " " + _("(báo cáo trước ngày %(date)s)") % {"date": date_format(until, "d/m/Y")}
    return text


class CaseDetailView(LoginRequiredMixin, TemplateView):
    template_name = "workflow/case_detail.html"
    # After a refusal: the action that was refused and what the user had typed.
    refused_action: str | None = None

    def get_context_data(self, **kwargs):
        case = get_object_or_404(
            cases_visible_to(self.request.user).select_related(
                "notice", "recommendation", "agency", "committee", "council", "accountable"
            ),
            pk=self.kwargs["pk"],
        )
        user = self.request.user
        allowed = actions_for(case, user)
        panels = [self._panel(action) for action in PANEL_ORDER if action in allowed]
        extensions = list(case_extensions(case))
        pending = next((e for e in extensions if e.status == Extension.Status.PENDING), None)
        if pending is not None and may_decide_extension(case, user):
            panels.append(self._decision_panel(case, pending))
        if may_request_extension(case, user):
            panels.append(self._request_panel())
        if may_decide(case, user):
            panels.insert(0, self._decide_panel(case))
        latest = case_decisions(case).first() if case.decision else None
        extended_by = (case.deadline_explanation or {}).get("extension_id")
        return super().get_context_data(
            case=case,
            deadline_explanation=deadline_explanation(case, get_language() or "vi"),
            # The approved extension the current deadline comes from, if any.
            deadline_extension=next((e for e in extensions if e.pk == extended_by), None),
            pending_extension=pending,
            escalation=escalation_status(case),
            decision=decision_text(latest.data) if latest else "",
            extensions=extensions,
            approved_extensions=sum(e.status == Extension.Status.APPROVED for e in extensions),
            timeline=_timeline(case),
            reports=case.reports.select_related("author").prefetch_related("evidence"),
            coordinating=case.coordinating_agencies.all(),
            panels=panels,
            returned=_returned(case),
            comment_form=_comment_form(case, user),
            **kwargs,
        )

    def _panel(self, action: str) -> dict:
        refused = action == self.refused_action
        spec = ACTION_FORMS[action]
        form = TransitionForm.for_action(action, data=self.request.POST if refused else None)
        label, primary = TRANSITIONS[action].label, action in PRIMARY_ACTIONS
        return {
            "action": action,
            "label": label,
            "hint": spec.hint,
            "form": form if form.fields else None,
            "layout": spec.layout,
            "primary": primary,
            "refused": refused,
            "buttons": [_button(label, raised=primary)],
            "marker": "data-action-panel",
        }

    def _request_panel(self) -> dict:
        refused = self.refused_action == EXTENSION_REQUEST
        form = ExtensionRequestForm(
            data=self.request.POST if refused else None, auto_id="id_extension-request_%s"
        )
        return {
            "action": EXTENSION_REQUEST,
            "label": _("Đề nghị gia hạn"),
            "hint": _(
                "Đề nghị gia hạn thời hạn thực hiện, nêu rõ lý do. Đề nghị gửi trước thời hạn "
                "sẽ tạm dừng đôn đốc quá hạn cho đến khi có quyết định."
            ),
            "form": form,
            "layout": form.layout,
            "primary": False,
            "refused": refused,
            "buttons": [_button(_("Gửi đề nghị gia hạn"))],
            "marker": "data-extension-panel",
        }

    def _decide_panel(self, case: Case) -> dict:
        refused = self.refused_action == DECIDE
        form = DecisionForm(data=self.request.POST if refused else None, case=case)
        return {
            "action": DECIDE,
            "label": _("Quyết định của Thường trực HĐND"),
            "hint": _(
                "Hồ sơ đã đến bậc Thường trực HĐND quyết định: tiếp tục đôn đốc với thời hạn "
                "mới, tổ chức phiên giải trình, chất vấn tại kỳ họp, tái giám sát, hoặc báo "
                "cáo tại kỳ họp HĐND. Trừ tiếp tục đôn đốc, việc đôn đốc tự động dừng lại."
            ),
            "form": form,
            "layout": form.layout,
            "primary": True,
            "refused": refused,
            "buttons": [_button(_("Ghi quyết định"), raised=True)],
            "marker": "data-decision-panel",
        }

    def _decision_panel(self, case: Case, pending: Extension) -> dict:
        refused = self.refused_action == EXTENSION_DECIDE
        data = None
        if refused:  # keep what was typed, but decide the request that is pending now
            data = self.request.POST.copy()
            data["extension"] = str(pending.pk)
        form = ExtensionDecisionForm.for_panel(case, pending, data=data)
        approve, reject = ExtensionDecisionForm.APPROVE, ExtensionDecisionForm.REJECT
        return {
            "action": EXTENSION_DECIDE,
            "label": _("Quyết định gia hạn"),
            "hint": _(
                "Chấp thuận đến ngày cơ quan đề nghị hoặc một ngày khác, hoặc không chấp "
                "thuận. Thời hạn ban đầu vẫn được lưu."
            ),
            "extension": pending,
            "form": form,
            "layout": form.layout,
            "primary": True,
            "refused": refused,
            "buttons": [
                _button(_("Chấp thuận"), raised=True, name="decision", value=approve),
                _button(_("Không chấp thuận"), name="decision", value=reject),
            ],
            "marker": "data-extension-panel",
        }


def _fresh(case: Case) -> Case:
    """The case as the action left it, with what the message names."""
    return Case.objects.select_related("agency", "committee", "council").get(pk=case.pk)


class CaseActionView(CaseDetailView):
    """POST one transition or a comment; a refusal shows the case again with a 4xx."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        case = get_object_or_404(cases_visible_to(request.user), pk=pk)
        try:
            done = self._perform(request, case, action)
        except CaseError as refusal:
            return self._refused(request, case, refusal)
        messages.success(request, done)
        return redirect("workflow:case_detail", pk=case.pk)

    def _perform(self, request: HttpRequest, case: Case, action: str) -> str:
        """Hand the action to its service; returns what happened and what comes next."""
        user = request.user
        if action == "comment":
            form = CommentForm(request.POST)
            case_comment(case=case, actor=user, **form.service_arguments())
            return next_steps.after_comment()
        if action == EXTENSION_REQUEST:
            form = ExtensionRequestForm(request.POST)
            extension = extension_request(case=case, actor=user, **form.service_arguments())
            return next_steps.after_extension_request(_fresh(case), extension)
        if action == DECIDE:
            form = DecisionForm(request.POST, case=case)
            case_decide(case=case, actor=user, **form.service_arguments())
            return next_steps.after_decision(_fresh(case))
        if action == EXTENSION_DECIDE:
            form = ExtensionDecisionForm(request.POST, case=case)
            extension = extension_decide(actor=user, **form.service_arguments())
            return next_steps.after_extension_decision(_fresh(case), extension)
        form = TransitionForm(request.POST, request.FILES)
        case_transition(case=case, actor=user, action=action, **form.service_arguments(action))
        return next_steps.after_transition(_fresh(case), action)

    def _refused(self, request, case, refusal: CaseError) -> HttpResponse:
        messages.error(request, refusal.message)
        self.refused_action = self.kwargs["action"]
        return self.render_to_response(self.get_context_data(), status=refusal.status)
