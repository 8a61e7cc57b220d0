"""Thin pages of trực báo: the list (the province's schedules and rounds, and the form that
sets a schedule; a commune's own reports), a schedule (changed, stopped, restarted), a round
(where each commune stands) and a report (the commune's form, read-only once sent). Reads
through selectors, writes through services; a refusal shows the page again with its 4xx."""

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
from briefings.forms import ReportForm, ScheduleChangeForm, ScheduleForm
from briefings.models import BriefingReport, BriefingSchedule
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


class ScheduleView(LoginRequiredMixin, TemplateView):
    """A schedule's page: what it asks, its rounds, and for the province the form that changes
    it and the button that stops or restarts it."""

    template_name = "briefings/schedule.html"

    def _schedule(self) -> BriefingSchedule:
        schedules = schedules_visible_to(self.request.user).select_related("council")
        return get_object_or_404(schedules.prefetch_related("communes"), pk=self.kwargs["pk"])

    def get_context_data(self, form=None, schedule=None, **kwargs):
        schedule = schedule or self._schedule()
        may_set = provinces_setting(self.request.user).filter(pk=schedule.council_id).exists()
        if may_set and form is None:
            form = ScheduleChangeForm(
                province=schedule.council,
                initial={
                    "title": schedule.title,
                    "due_working_days": schedule.due_working_days,
                    "communes": list(schedule.communes.all()),
                    "version": schedule.version,
                },
            )
        rounds = schedule.rounds.annotate(
            reports_n=Count("reports"),
            sent_n=Count("reports", filter=Q(reports__submitted_at__isnull=False)),
        ).order_by("-period_end", "-id")[:ROWS]
        return super().get_context_data(
            schedule=schedule, rounds=rounds, form=form if may_set else None, **kwargs
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        schedule = self._schedule()
        form = ScheduleChangeForm(request.POST, province=schedule.council)
        try:
            services.schedule_change(
                schedule_id=schedule.pk, data=form.service_arguments(), actor=request.user
            )
        except CaseError as refusal:
            messages.error(request, refusal.message)
            context = self.get_context_data(form=form, schedule=schedule)
            return self.render_to_response(context, status=refusal.status)
        messages.success(
            request, _("Đã lưu lịch trực báo; các kỳ đã mở giữ nguyên hạn nộp và các xã, phường.")
        )
        return redirect("briefings:schedule", pk=schedule.pk)


class ScheduleActiveView(ScheduleView):
    """Stop a schedule (`active=0`) or start it again (`active=1`)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        schedule = self._schedule()
        active = request.POST.get("active") == "1"
        try:
            services.schedule_set_active(
                schedule_id=pk, active=active, actor=request.user, today=timezone.localdate()
            )
        except CaseError as refusal:
            messages.error(request, refusal.message)
            context = self.get_context_data(schedule=schedule)
            return self.render_to_response(context, status=refusal.status)
        messages.success(
            request,
            _("Đã áp dụng lại lịch trực báo, từ kỳ kết thúc hôm nay trở đi.")
            if active
            else _("Đã ngừng lịch trực báo: không mở kỳ mới; các kỳ đã mở giữ nguyên."),
        )
        return redirect("briefings:schedule", pk=pk)


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
                    "version": report.version,
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
        messages.success(request, _saved_message(report, send))
        return redirect("briefings:report", pk=report.pk)


def _saved_message(report: BriefingReport, sent: bool) -> str:
    """What happened and what comes next."""
    if sent:
        return _(
            "Đã gửi báo cáo lên %(province)s; Thường trực %(province)s sẽ xem tại kỳ trực báo. "
            "Báo cáo đã gửi không sửa được nữa."
        ) % {"province": report.round.schedule.council.name}
    return _("Đã lưu bản nháp; vui lòng gửi báo cáo trước ngày %(due)s.") % {
        "due": f"{report.round.due_on:%d/%m/%Y}"
    }


class BriefingsApplication(Application):
    app_name = "briefings"
    title = _("Trực báo")
    icon = "campaign"
    menu_template_name = "briefings/menu.html"

    list_path = path("", BriefingListView.as_view(), name="list")
    schedule_path = path("schedules/<int:pk>/", ScheduleView.as_view(), name="schedule")
    schedule_active_path = path(
        "schedules/<int:pk>/active/", ScheduleActiveView.as_view(), name="schedule_active"
    )
    round_path = path("rounds/<int:pk>/", RoundView.as_view(), name="round")
    report_path = path("reports/<int:pk>/", ReportView.as_view(), name="report")

    def has_view_permission(self, user, obj=None) -> bool:
        # Only a council's Standing Committee or office sets schedules or writes reports: the
        # app is in their menu, anyone else is refused before any lookup (nothing told apart).
        # A visitor not logged in is sent to log in by each view.
        if not user.is_authenticated:
            return True
        roles = roles_of(user)
        return roles.is_admin or bool(roles.council_ids)
