"""Thin views of the notice-intake flow (intake/flows.py) and the application that puts it
in the Site. Each step writes through a form that calls a service; viewflow's activation,
prepared by the node's URL wrapper, moves the flow on."""

import functools
import re

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import URLPattern, URLResolver, include, path
from django.utils.translation import gettext_lazy as _
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
    DetailProcessView,
    FlowArchiveListView,
    FlowChartView,
    FlowInboxListView,
    FlowQueueListView,
)

from intake.columns import STATUS_NAMES, ProcessColumns, TaskColumns, person, when
from intake.entries import DeadlineScope
from intake.step_views import (
    ApproveNoticeView,
    CheckRecommendationsView,
    RegisterNoticeView,
    deadline_preview,
    recommendations_of,
    with_due_dates,
)

__all__ = ["ApproveNoticeView", "CheckRecommendationsView", "RegisterNoticeView"]

ID = re.compile("[0-9]{1,18}")


class AssignIntakeTaskView(AssignTaskView):
    template_name = "intake/task_assign.html"
    success_message = _("Bạn đã nhận việc “%(step)s” của thông báo %(number)s.")

    def get_success_message(self, cleaned_data):
        activation = self.request.activation
        return self.success_message % {
            "step": activation.task.flow_task.task_title,
            "number": activation.process.notice.number,
        }

    def get_context_data(self, **kwargs):
        notice = self.request.activation.process.notice
        return super().get_context_data(
            notice=notice, recommendations=recommendations_of(notice), **kwargs
        )


# The flow's lists, each narrowed to what the user's seats allow (see IntakeFlow).


TASK_RELATED = ("process__noticeintakeprocess__notice", "owner")


class IntakeDashboardView(DashboardView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tasks = self.flow_class.instance.tasks_visible_to(self.request.user)
        tasks = tasks.select_related("process", *TASK_RELATED)
        active = Q(finished__isnull=True) | Q(status=STATUS.ERROR)
        for column in context["columns"]:
            column["tasks"] = tasks.filter(active, flow_task=column["node"])[: self.MAX_ROWS]
        context["finished"] = tasks.filter(
            finished__isnull=False, flow_task__in=context["end_nodes"]
        )[: self.MAX_ROWS]
        return context


class IntakeInboxView(TaskColumns, FlowInboxListView):
    title = _("Việc đang xử lý")
    columns = ("notice_number", "notice_title", "step", "waiting_since")

    @viewprop
    def queryset(self):
        return super().queryset.select_related(*TASK_RELATED)


class IntakeQueueView(TaskColumns, FlowQueueListView):
    title = _("Việc chờ nhận")
    columns = ("notice_number", "notice_title", "step", "waiting_since")

    @viewprop
    def queryset(self):
        tasks = self.flow_class.instance.tasks_open_to(self.request.user)
        return tasks.select_related("process", *TASK_RELATED).order_by("-created")


class IntakeArchiveView(TaskColumns, FlowArchiveListView):
    title = _("Việc đã xử lý")
    columns = ("notice_number", "notice_title", "step", "finished_at")

    @viewprop
    def queryset(self):
        return super().queryset.select_related(*TASK_RELATED)


class IntakeProcessListView(ProcessColumns, DashboardProcessListView):
    columns = ("notice_number", "notice_title", "state", "started_at")
    object_link_columns = ("notice_number",)

    def get_queryset(self):
        visible = self.flow_class.instance.processes_visible_to(self.request.user)
        processes = super().get_queryset().filter(pk__in=visible.values("pk"))
        return processes.select_related("notice").order_by("-created")


SHOWN_STEPS = ("HUMAN_START", "HUMAN", "FUNCTION", "END")


class IntakeProcessDetailView(DetailProcessView):
    """One notice's intake: the notice, its items with the dates their cases will get, and
    each step with who took it, by name (no engine fields, no raw booleans)."""

    template_name = "intake/process_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        process = context["process"]
        notice = process.notice
        scope = DeadlineScope.of(notice.council, notice.issue_date)
        context["notice"] = notice
        context["recommendations"] = with_due_dates(recommendations_of(notice), scope)
        context["steps"] = [
            {
                "title": task.flow_task.task_title or str(task.flow_task),
                "holder": person(task.owner),
                "started": when(task.created),
                "finished": when(task.finished),
                "state": STATUS_NAMES.get(task.status, task.status),
            }
            for task in context["task_list"].select_related("owner")
            if task.flow_task.task_type in SHOWN_STEPS
        ]
        return context


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


class IntakeTaskListView(TaskColumns, DashboardTaskListView):
    columns = ("notice_number", "notice_title", "step", "holder", "state", "waiting_since")

    @viewprop
    def queryset(self):
        tasks = self.flow_class.instance.tasks_visible_to(self.request.user)
        return tasks.select_related("process", *TASK_RELATED)


class IntakeApplication(FlowAppViewset):
    """The intake flow as one application of the Site: dashboard, queue, inbox, archive."""

    icon = "post_add"
    menu_template_name = "intake/menu.html"
    dashboard_view_class = IntakeDashboardView
    inbox_view_class = IntakeInboxView
    queue_view_class = IntakeQueueView
    archive_view_class = IntakeArchiveView
    process_list_view_class = IntakeProcessListView
    process_detail_view_class = IntakeProcessDetailView
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
        return [*patterns, path("deadline/", deadline_preview, name="deadline_preview")]

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
