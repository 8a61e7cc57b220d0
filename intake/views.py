"""Thin views of the notice-intake flow (intake/flows.py) and the application that puts it
in the Site. Each step writes through a form that calls a service; viewflow's activation,
prepared by the node's URL wrapper, moves the flow on."""

import functools
import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from viewflow.utils import viewprop
from viewflow.workflow import STATUS
from viewflow.workflow.flow import FlowAppViewset
from viewflow.workflow.flow.views import (
    AssignTaskView,
    BulkAssignTasksActionView,
    BulkUnassignTasksActionView,
    DashboardProcessListView,
    DashboardTaskListView,
    DashboardView,
    FlowArchiveListView,
    FlowChartView,
    FlowInboxListView,
    FlowQueueListView,
)

from conclusions.models import Agency, ConclusionNotice, Council, Recommendation
from conclusions.selectors import roles_of
from intake.forms import (
    ApprovalForm,
    NoticeRegistrationForm,
    RecommendationCheckForm,
    RecommendationFormSet,
    save_corrections,
)
from intake.models import NoticeIntakeProcess
from workflow.errors import CaseError

ID = re.compile("[0-9]{1,18}")


def _recommendations(notice: ConclusionNotice) -> QuerySet[Recommendation]:
    return notice.recommendations.select_related("accountable").prefetch_related(
        "lead_agencies", "coordinating_agencies"
    )


class RegisterNoticeView(TemplateView):
    """Start: the office clerk registers the notice and its recommendations."""

    template_name = "intake/register.html"

    def get(self, request, *args, **kwargs) -> HttpResponse:
        return self._page(*self._forms())

    def post(self, request, *args, **kwargs) -> HttpResponse:
        form, formset = self._forms(request.POST, request.FILES)
        if all([form.is_valid(), formset.is_valid()]):
            notice = form.register(recommendations=formset.inputs(), actor=request.user)
            if notice is not None:
                return self._start(notice)
        return self._page(form, formset)

    def _forms(self, data=None, files=None):
        councils = Council.objects.filter(pk__in=roles_of(self.request.user).clerk_council_ids)
        agencies = Agency.objects.filter(council__in=councils, is_active=True)
        return (
            NoticeRegistrationForm(data, files, councils=councils),
            RecommendationFormSet(data, prefix="rec", form_kwargs={"agencies": agencies}),
        )

    def _page(self, form, formset) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def _start(self, notice: ConclusionNotice) -> HttpResponse:
        activation = self.request.activation
        activation.process.notice = notice
        activation.execute()
        messages.success(
            self.request,
            _("Đã vào sổ thông báo %(number)s; chuyển Ban theo dõi kiểm tra.")
            % {"number": notice.number},
        )
        return redirect(activation.get_success_url(self.request))


class _TaskPage(TemplateView):
    """A human step of the flow: the notice being taken in, and how to finish the step."""

    @property
    def process(self) -> NoticeIntakeProcess:
        return self.request.activation.process

    def get_context_data(self, **kwargs):
        notice = self.process.notice
        return super().get_context_data(
            process=self.process,
            notice=notice,
            recommendations=_recommendations(notice),
            **kwargs,
        )

    def finish(self, message) -> HttpResponse:
        activation = self.request.activation
        activation.execute()
        messages.success(self.request, message % {"number": self.process.notice.number})
        return redirect(activation.get_success_url(self.request))


class CheckRecommendationsView(_TaskPage):
    """The tracking committee corrects the agencies and deadlines, then passes it on."""

    template_name = "intake/check.html"

    def get(self, request, *args, **kwargs) -> HttpResponse:
        return self._page(self._forms())

    def post(self, request, *args, **kwargs) -> HttpResponse:
        check_forms = self._forms(request.POST)
        if all([form.is_valid() for form in check_forms]) and save_corrections(check_forms):
            return self.finish(
                _("Đã kiểm tra thông báo %(number)s; chuyển Thường trực HĐND phê duyệt.")
            )
        return self._page(check_forms)

    def _forms(self, data=None) -> list[RecommendationCheckForm]:
        notice = self.process.notice
        agencies = Agency.objects.filter(council_id=notice.council_id, is_active=True)
        return [
            RecommendationCheckForm(data, recommendation=recommendation, agencies=agencies)
            for recommendation in _recommendations(notice)
        ]

    def _page(self, check_forms) -> HttpResponse:
        return self.render_to_response(self.get_context_data(check_forms=check_forms))


class ApproveNoticeView(_TaskPage):
    """The Standing Committee approves (the cases open) or returns it to the committee."""

    template_name = "intake/approve.html"

    def get(self, request, *args, **kwargs) -> HttpResponse:
        return self._page(ApprovalForm(instance=self.process))

    def post(self, request, *args, **kwargs) -> HttpResponse:
        form = ApprovalForm(request.POST, instance=self.process)
        if not form.is_valid():
            return self._page(form)
        try:
            with transaction.atomic():
                process = form.save()
                return self.finish(self._done_message(process))
        except CaseError as refusal:
            messages.error(request, refusal.message)
            return self._page(form, status=refusal.status)

    def _done_message(self, process: NoticeIntakeProcess):
        if process.approved:
            return _("Đã phê duyệt thông báo %(number)s; hồ sơ theo dõi đã được mở.")
        return _("Đã trả lại thông báo %(number)s để Ban theo dõi kiểm tra lại.")

    def _page(self, form, status: int = 200) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=status)


class AssignIntakeTaskView(AssignTaskView):
    template_name = "intake/task_assign.html"
    success_message = _("Bạn đã nhận việc {task}.")

    def get_context_data(self, **kwargs):
        notice = self.request.activation.process.notice
        return super().get_context_data(
            notice=notice, recommendations=_recommendations(notice), **kwargs
        )


# The flow's lists, each narrowed to what the user's seats allow (see IntakeFlow).


class IntakeDashboardView(DashboardView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tasks = self.flow_class.instance.tasks_visible_to(self.request.user)
        active = Q(finished__isnull=True) | Q(status=STATUS.ERROR)
        for column in context["columns"]:
            column["tasks"] = tasks.filter(active, flow_task=column["node"])[: self.MAX_ROWS]
        context["finished"] = tasks.filter(
            finished__isnull=False, flow_task__in=context["end_nodes"]
        )[: self.MAX_ROWS]
        return context


class IntakeInboxView(FlowInboxListView):
    title = _("Việc đang xử lý")


class IntakeQueueView(FlowQueueListView):
    title = _("Việc chờ nhận")

    @viewprop
    def queryset(self):
        tasks = self.flow_class.instance.tasks_open_to(self.request.user)
        return tasks.select_related("process").order_by("-created")


class IntakeArchiveView(FlowArchiveListView):
    title = _("Việc đã xử lý")


class IntakeProcessListView(DashboardProcessListView):
    def get_queryset(self):
        visible = self.flow_class.instance.processes_visible_to(self.request.user)
        return super().get_queryset().filter(pk__in=visible.values("pk")).order_by("-created")


class IntakeChartView(FlowChartView):
    """The flow's chart for anyone in the app; one process's progress only for its viewers
    (any other process is not found, see `_visible_process_only`)."""

    def dispatch(self, request, *args, **kwargs):
        flow = self.flow_class.instance
        process_pk = kwargs.get("process_pk")
        if (
            process_pk is not None
            and not flow.processes_visible_to(request.user).filter(pk=process_pk).exists()
        ):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class _ScopedBulkAction:
    """A bulk action over the user's own tasks only: "select all" lists and takes nothing
    the user may not (viewflow's would list every task of every flow)."""

    flow_class = None

    def scope(self, flow, user) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self):
        tasks = self.scope(self.flow_class.instance, self.request.user).select_related("process")
        chosen = self.request.POST.getlist("pk")
        if chosen and not self.request.POST.get("select_all"):
            # Only ids here; anything else is left to the form, which refuses it.
            tasks = tasks.filter(pk__in=[pk for pk in chosen if ID.fullmatch(pk)])
        self.filterset, self.object_list = None, tasks
        return tasks


class IntakeBulkAssignView(_ScopedBulkAction, BulkAssignTasksActionView):
    def scope(self, flow, user) -> QuerySet:
        return flow.tasks_open_to(user)


class IntakeBulkUnassignView(_ScopedBulkAction, BulkUnassignTasksActionView):
    def scope(self, flow, user) -> QuerySet:
        return flow.tasks_visible_to(user).filter(owner=user, status=STATUS.ASSIGNED)


class IntakeTaskListView(DashboardTaskListView):
    @viewprop
    def queryset(self):
        tasks = self.flow_class.instance.tasks_visible_to(self.request.user)
        return tasks.select_related("process")


class IntakeApplication(FlowAppViewset):
    """The intake flow as one application of the Site: dashboard, queue, inbox, archive."""

    icon = "post_add"
    menu_template_name = "intake/menu.html"
    dashboard_view_class = IntakeDashboardView
    inbox_view_class = IntakeInboxView
    queue_view_class = IntakeQueueView
    archive_view_class = IntakeArchiveView
    process_list_view_class = IntakeProcessListView
    task_list_view_class = IntakeTaskListView
    chart_view_class = IntakeChartView
    tasks_assign_view_class = IntakeBulkAssignView
    tasks_unassign_view_class = IntakeBulkUnassignView
    # Bulk imports from Excel (intake/imports): /intake/nhap/…
    imports_path = path("nhap/", include("intake.imports.urls"))

    def _get_urls(self):
        flow = self._flow_class.instance
        patterns = super()._get_urls()
        for pattern in patterns:
            _guard(pattern, flow)
        return patterns

    def get_context_data(self, request) -> dict:
        flow = self._flow_class.instance
        start = flow.register
        return {
            "user_inbox": flow.task_class._default_manager.inbox([self._flow_class], request.user),
            "user_queue": flow.tasks_open_to(request.user),
            "register_url": start.reverse("execute") if start.can_execute(request.user) else "",
        }


def _guard(pattern, flow) -> None:
    """Every page of one process (its detail, chart and task pages) answers 404 to whoever
    may not see the process, exactly as for a process that does not exist, so that ids
    cannot be told apart; a task named under another process is not found either."""
    if isinstance(pattern, URLResolver):
        for inner in pattern.url_patterns:
            _guard(inner, flow)
    elif (
        isinstance(pattern, URLPattern)
        and "process_pk" in str(pattern.pattern)
        and not getattr(pattern.callback, "guards_process", False)
    ):
        pattern.callback = _visible_process_only(pattern.callback, flow)


def _visible_process_only(view, flow):
    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        process_pk, task_pk = kwargs.get("process_pk"), kwargs.get("task_pk")
        if not request.user.is_authenticated:
            raise PermissionDenied  # asked to log in, whatever the id
        if not flow.processes_visible_to(request.user).filter(pk=process_pk).exists():
            raise Http404
        tasks = flow.task_class._default_manager
        if task_pk is not None and not tasks.filter(pk=task_pk, process_id=process_pk).exists():
            raise Http404
        return view(request, *args, **kwargs)

    guarded.guards_process = True
    return guarded
