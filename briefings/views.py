"""Thin pages of trực báo: the list (the province's schedules and rounds, and the form that
sets a schedule; a commune's own reports), a round (where each commune stands) and a report
(the commune's form, read-only once sent). Reads through selectors, writes through services;
a refusal shows the page again with its 4xx."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from viewflow.urls import Application

from briefings import services
from briefings.figures import commune_figures
from briefings.forms import ReportForm, ScheduleForm
from briefings.models import BriefingReport
from briefings.selectors import (
    may_write,
    provinces_setting,
    reports_visible_to,
    round_rows,
    rounds_visible_to,
    schedules_visible_to,
    standing_counts,
    standing_of,
)
from conclusions.selectors import roles_of
from workflow.errors import CaseError, CaseInvalid

ROWS = 100


class BriefingListView(LoginRequiredMixin, TemplateView):
    template_name = "briefings/list.html"

    def get_context_data(self, form=None, **kwargs):
        user, today = self.request.user, timezone.localdate()
        provinces = list(provinces_setting(user))
        rounds = (
            rounds_visible_to(user)
            .select_related("schedule__council")
            .annotate(
                reports_n=Count("reports"),
                sent_n=Count("reports", filter=Q(reports__submitted_at__isnull=False)),
            )
            .order_by("-period_end", "-id")[:ROWS]
        )
        own = (
            reports_visible_to(user)
            .filter(council_id__in=roles_of(user).council_ids)
            .select_related("council", "round__schedule")
            .order_by("-round__period_end", "council__name")[:ROWS]
        )
        return super().get_context_data(
            rounds=rounds,
            schedules=schedules_visible_to(user).select_related("council")[:ROWS],
            own=[(r, standing_of(r, r.round.due_on, today)) for r in own],
            provinces=provinces,
            form=form or (ScheduleForm(province=provinces[0]) if len(provinces) == 1 else None),
            today=today,
            **kwargs,
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        provinces = list(provinces_setting(request.user))
        chosen = [p for p in provinces if str(p.pk) == request.POST.get("council")]
        province = chosen[0] if chosen else (provinces[0] if len(provinces) == 1 else None)
        form = ScheduleForm(request.POST, province=province)
        try:
            if province is None:
                raise CaseInvalid(_("Vui lòng chọn HĐND tỉnh."))
            schedule = services.schedule_create(
                council=province, data=form.service_arguments(), actor=request.user
            )
        except CaseError as refusal:
            messages.error(request, refusal.message)
            return self.render_to_response(self.get_context_data(form=form), status=refusal.status)
        opened = services.rounds_open(today=timezone.localdate())
        messages.success(
            request,
            _("Đã lập lịch trực báo “%(title)s”; %(n)s báo cáo đã được giao cho các xã, phường.")
            % {"title": schedule.title, "n": opened},
        )
        return redirect("briefings:list")


class RoundView(LoginRequiredMixin, TemplateView):
    """The province's page of a round: where each commune stands, and its report."""

    template_name = "briefings/round.html"

    def get_context_data(self, **kwargs):
        round_ = get_object_or_404(
            rounds_visible_to(self.request.user).select_related("schedule__council"),
            pk=self.kwargs["pk"],
        )
        rows = round_rows(round_, timezone.localdate())
        return super().get_context_data(
            round=round_, rows=rows, counts=standing_counts(rows), **kwargs
        )


class ReportView(LoginRequiredMixin, TemplateView):
    """A commune's report: its form while unsent (for the commune), read-only otherwise."""

    template_name = "briefings/report.html"

    def _report(self) -> BriefingReport:
        return get_object_or_404(
            reports_visible_to(self.request.user).select_related(
                "council", "round__schedule__council", "submitted_by"
            ),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, form=None, report=None, **kwargs):
        report = report or self._report()
        today = timezone.localdate()
        writable = may_write(report, self.request.user)
        if writable and form is None:
            form = ReportForm(
                initial={
                    "results": report.results,
                    "difficulties": report.difficulties,
                    "proposals": report.proposals,
                }
            )
        return super().get_context_data(
            report=report,
            round=report.round,
            figures=report.figures or commune_figures(report.council_id, today),
            standing=standing_of(report, report.round.due_on, today),
            form=form if writable else None,
            **kwargs,
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = self._report()
        form = ReportForm(request.POST)
        send = "send" in request.POST
        try:
            services.report_save(
                report_id=report.pk, actor=request.user, data=form.service_arguments(), send=send
            )
        except CaseError as refusal:
            messages.error(request, refusal.message)
            context = self.get_context_data(form=form, report=report)
            return self.render_to_response(context, status=refusal.status)
        messages.success(
            request, _("Đã gửi báo cáo lên HĐND tỉnh.") if send else _("Đã lưu bản nháp.")
        )
        return redirect("briefings:report", pk=report.pk)


class BriefingsApplication(Application):
    app_name = "briefings"
    title = _("Trực báo")
    icon = "campaign"
    menu_template_name = "briefings/menu.html"

    list_path = path("", BriefingListView.as_view(), name="list")
    round_path = path("rounds/<int:pk>/", RoundView.as_view(), name="round")
    report_path = path("reports/<int:pk>/", ReportView.as_view(), name="report")

    def has_view_permission(self, user, obj=None) -> bool:
        return True
