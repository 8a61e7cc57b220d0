"""Thin web interface for cases: every read goes through the selectors, every write through
`case_transition`."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from viewflow.urls import Application

from workflow.errors import CaseError
from workflow.forms import ACTION_FORMS, CaseFilterForm, CommentForm, TransitionForm
from workflow.models import Case, CaseEvent, CaseState, Outcome
from workflow.selectors import case_timeline, cases_awaiting, cases_visible_to
from workflow.services import case_comment, case_transition
from workflow.transitions import TRANSITIONS, Action, actions_for

PAGE_SIZE = 25

# The case page shows one panel per allowed action, the committee's decision first.
PANEL_ORDER = [Action.START, Action.REPORT, Action.CLOSE, Action.RETURN, Action.REOPEN]
PRIMARY_ACTIONS = {Action.START, Action.REPORT, Action.CLOSE}

EVENT_LABELS = {
    "case.opened": _("Giao hồ sơ"),
    "case.started": _("Bắt đầu thực hiện"),
    "case.reported": _("Báo cáo kết quả"),
    "case.returned": _("Trả lại: chưa đạt yêu cầu"),
    "case.closed": _("Đóng hồ sơ"),
    "case.reopened": _("Mở lại hồ sơ"),
    "case.commented": _("Ý kiến"),
    "case.escalated": _("Đôn đốc tự động"),
    "case.extension_requested": _("Đề nghị gia hạn"),
    "case.extension_approved": _("Chấp thuận gia hạn"),
    "case.extension_rejected": _("Không chấp thuận gia hạn"),
}


def _list_page(queryset: QuerySet[Case], request: HttpRequest):
    queryset = queryset.select_related("notice", "recommendation", "agency", "committee")
    return Paginator(queryset.order_by("deadline", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )


class InboxView(LoginRequiredMixin, TemplateView):
    template_name = "workflow/inbox.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page=_list_page(cases_awaiting(self.request.user), self.request), **kwargs
        )


class CaseListView(LoginRequiredMixin, TemplateView):
    template_name = "workflow/case_list.html"

    def get_context_data(self, **kwargs):
        form = CaseFilterForm(self.request.GET or None)
        cases = form.filter(cases_visible_to(self.request.user))
        return super().get_context_data(form=form, page=_list_page(cases, self.request), **kwargs)


def _timeline(case: Case) -> list[CaseEvent]:
    """The case's events, each with a readable label and, where it changed, the state."""
    states = dict(CaseState.choices)
    outcomes = dict(Outcome.choices)
    events = list(case_timeline(case))
    for event in events:
        event.label = EVENT_LABELS.get(event.kind, event.kind)
        event.outcome_label = outcomes.get((event.data or {}).get("outcome", ""), "")
        changed = event.from_state and event.to_state and event.from_state != event.to_state
        event.state_label = states.get(event.to_state, "") if changed else ""
    return events


class CaseDetailView(LoginRequiredMixin, TemplateView):
    template_name = "workflow/case_detail.html"
    # After a refusal: the action that was refused and what the user had typed.
    refused_action: str | None = None

    def get_context_data(self, **kwargs):
        case = get_object_or_404(
            cases_visible_to(self.request.user).select_related(
                "notice", "recommendation", "agency", "committee", "council"
            ),
            pk=self.kwargs["pk"],
        )
        allowed = actions_for(case, self.request.user)
        return super().get_context_data(
            case=case,
            timeline=_timeline(case),
            reports=case.reports.select_related("author").prefetch_related("evidence"),
            coordinating=case.coordinating_agencies.all(),
            panels=[self._panel(action) for action in PANEL_ORDER if action in allowed],
            comment_form=CommentForm(auto_id="id_comment_%s"),
            **kwargs,
        )

    def _panel(self, action: str) -> dict:
        refused = action == self.refused_action
        spec = ACTION_FORMS[action]
        form = TransitionForm.for_action(action, data=self.request.POST if refused else None)
        return {
            "action": action,
            "label": TRANSITIONS[action].label,
            "hint": spec.hint,
            "form": form if form.fields else None,
            "layout": spec.layout,
            "primary": action in PRIMARY_ACTIONS,
            "refused": refused,
        }


class CaseActionView(CaseDetailView):
    """POST one transition or a comment; a refusal shows the case again with a 4xx."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        case = get_object_or_404(cases_visible_to(request.user), pk=pk)
        try:
            if action == "comment":
                form = CommentForm(request.POST)
                case_comment(case=case, actor=request.user, text=form.data.get("text", ""))
            else:
                form = TransitionForm(request.POST, request.FILES)
                case_transition(
                    case=case, actor=request.user, action=action, **form.service_arguments(action)
                )
        except CaseError as refusal:
            return self._refused(request, case, refusal)
        messages.success(request, _("Đã lưu."))
        return redirect("workflow:case_detail", pk=case.pk)

    def _refused(self, request, case, refusal: CaseError) -> HttpResponse:
        messages.error(request, refusal.message)
        self.refused_action = self.kwargs["action"]
        return self.render_to_response(self.get_context_data(), status=refusal.status)


class CasesApplication(Application):
    app_name = "workflow"
    title = _("Theo dõi kiến nghị")
    icon = "assignment"
    menu_template_name = "workflow/menu.html"

    inbox_path = path("", InboxView.as_view(), name="inbox")
    case_list_path = path("cases/", CaseListView.as_view(), name="case_list")
    case_detail_path = path("cases/<int:pk>/", CaseDetailView.as_view(), name="case_detail")
    case_action_path = path(
        "cases/<int:pk>/<slug:action>/", CaseActionView.as_view(), name="case_action"
    )

    def has_view_permission(self, user, obj=None) -> bool:
        # Each view requires a login itself, so anonymous visitors are sent to log in.
        return True
