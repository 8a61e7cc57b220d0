"""Thin web interface for the dashboard and the reports; the figures come from queries.py
and snapshots.py, every case set from `cases_visible_to`."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from viewflow.urls import Application

from conclusions.selectors import roles_of
from reports.case_export import CaseListExportView
from reports.charts import BarChart, bar_chart, line_chart
from reports.communes import commune_rollup, provinces_of, rollup_totals
from reports.documents import document_for
from reports.exports.excel import workbook_bytes
from reports.exports.letter import letter_bytes
from reports.exports.word import document_bytes
from reports.forms import DashboardFilterForm, ReportRequestForm
from reports.models import ReportSnapshot
from reports.queries import (
    Counts,
    chart_range,
    dashboard_figures,
    overdue_series,
)
from reports.snapshots import snapshot_request, snapshots_visible_to
from workflow.definitions import Result, definitions_note
from workflow.errors import CaseError
from workflow.filters import Bucket, bucket_q
from workflow.forms import DATE_FORMAT
from workflow.letters import letter_content
from workflow.models import Case, CaseState, UrgingLetter
from workflow.selectors import (
    case_extensions,
    cases_visible_to,
    deadline_explanation,
    escalation_status,
    escalation_step_names,
    letters_visible_to,
    pending_extensions_of,
)
from workflow.views import _timeline

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DECISION_LIST = 10
AGENCY_LIST = 50
AGENCY_ROWS = 100
# The counts each committee and agency row shows, in order, each a link to its cases.
ROW_BUCKETS = (
    Bucket.OPEN,
    Bucket.DUE_SOON,
    Result.IN_PROGRESS_OVERDUE,
    Result.AWAITING_REVIEW,
    Bucket.REVIEW_OVERDUE,
    Result.DONE_ON_TIME,
    Result.DONE_LATE,
    Bucket.DUE_DONE_ON_TIME,
)
# The "Cách tính" under each table of the page.
CARDS_NOTE = ("in_progress_overdue", "awaiting_review", "review_clock", "on_time_rate")
ROWS_NOTE = ("done_on_time", "in_progress_overdue", "awaiting_review", "on_time_rate")
COMMITTEE_NOTE = (*ROWS_NOTE, "review_clock")


class Links:
    """Case-list URLs carrying the dashboard's filters plus the number's own."""

    def __init__(self, params: dict[str, str]) -> None:
        self.params = params
        self.base = reverse("workflow:case_list")

    def cases(self, **extra) -> str:
        params = self.params | {k: str(v) for k, v in extra.items() if v not in (None, "")}
        return f"{self.base}?{urlencode(params)}" if params else self.base


def _agency_rows(rows: list, links: Links, everything: bool) -> tuple[list[dict], int]:
    """The agencies with the most overdue and open cases first; beyond AGENCY_ROWS, only on
    request, since a page of a thousand rows helps nobody and costs a second to draw."""
    ranked = sorted(rows, key=lambda r: (-r.counts.in_progress_overdue, -r.counts.open, r.name))
    shown = ranked if everything else ranked[:AGENCY_ROWS]
    return [_row(r, links, agency=r.id) for r in shown], len(ranked) - len(shown)


def _row(row, links: Links, **scope) -> dict:
    return {
        "name": row.name,
        "counts": row.counts,
        "links": {"total": links.cases(**scope)}
        | {b: links.cases(bucket=b, **scope) for b in ROW_BUCKETS},
    }


def _totals(counts: Counts, links: Links) -> list[dict]:
    overdue = Result.IN_PROGRESS_OVERDUE
    cards = [
        (Bucket.OPEN, _("Đang theo dõi"), counts.open, ""),
        (Bucket.DUE_SOON, _("Sắp đến hạn"), counts.due_soon, "dd-card-warn"),
        (overdue, _("Đang thực hiện quá hạn"), counts.in_progress_overdue, "dd-card-alert"),
        (Result.AWAITING_REVIEW, _("Chờ Ban đánh giá"), counts.awaiting_review, ""),
        (Bucket.REVIEW_OVERDUE, _("Ban đánh giá quá hạn"), counts.review_overdue, "dd-card-warn"),
        (Bucket.CLOSED, _("Đã đóng"), counts.closed, "dd-card-ok"),
        (Bucket.DECISION, _("Chờ Thường trực quyết định"), counts.decision, "dd-card-decision"),
    ]
    return [
        {"bucket": b, "label": label, "value": value, "url": links.cases(bucket=b), "css": css}
        for b, label, value, css in cards
    ]


def _choices(form: DashboardFilterForm) -> dict[str, dict]:
    """The committee and agency options, drawn by a plain loop: Django's select widget takes
    most of a second to draw a thousand agencies."""
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    result = {}
    for name in ("committee", "agency"):
        field = form.fields[name]
        selected = chosen.get(name)
        result[name] = {
            "field": form[name],
            "options": [(body.pk, str(body)) for body in field.queryset],
            "selected": selected.pk if selected else None,
        }
    return result


def _dashboard_role(user) -> str:
    roles = roles_of(user)
    if roles.is_admin or roles.council_ids:  # the Standing Committee, and the office
        return "standing"
    return "committee" if roles.committee_ids else "agency"


class DashboardView(LoginRequiredMixin, TemplateView):
    """ "Tổng quan": counts by committee and agency, decisions waiting, two charts."""

    template_name = "reports/dashboard.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # A filter that cannot be read is shown above the figures (of every case), with 400.
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context, status=400 if context["form"].errors else 200)

    def get_context_data(self, **kwargs):
        user, today = self.request.user, timezone.localdate()
        form = DashboardFilterForm(self.request.GET or None, user=user)
        cases = form.filter(cases_visible_to(user))
        links = Links(form.link_params())
        figures = dashboard_figures(cases, today)
        first, last, step = chart_range(today, *form.period())
        series = overdue_series(cases, first, last, step)
        role = _dashboard_role(user)
        everything = self.request.GET.get("agencies") == "all"
        agencies, hidden = _agency_rows(figures.by_agency, links, everything)
        context = {
            "form": form,
            "choices": _choices(form),
            "role": role,
            "figures": figures,
            "today": today,
            "totals": _totals(figures.totals, links),
            "on_time_url": links.cases(bucket=Bucket.DUE_DONE_ON_TIME),
            "cards_note": definitions_note(*CARDS_NOTE),
            "rows_note": definitions_note(*ROWS_NOTE),
            "committee_note": definitions_note(*COMMITTEE_NOTE),
            "most_overdue_note": definitions_note("in_progress_overdue"),
            "overdue_chart": line_chart(
                series, lambda day: links.cases(overdue_on=day.strftime(DATE_FORMAT))
            ),
            "chart_first": first,
            "chart_last": last,
            "state_chart": self._state_chart(figures.by_state, links),
            "by_committee": [_row(r, links, committee=r.id) for r in figures.by_committee],
            "by_agency": agencies,
            "by_council_body": [_row(r, links, agency=r.id) for r in figures.by_council_body],
            "agencies_hidden": hidden,
            "all_agencies_url": self._all_agencies_url(),
            "most_overdue": [_row(r, links, agency=r.id) for r in figures.most_overdue_agencies()],
            "list_url": links.cases(),
        }
        if role == "agency":
            context["own_cases"] = self._own_cases(cases, today, figures.horizon)
        else:
            context |= self._decisions(cases, today, figures.horizon, links)
        return super().get_context_data(**context, **kwargs)

    def _all_agencies_url(self) -> str:
        params = self.request.GET.copy()
        params["agencies"] = "all"
        return f"?{params.urlencode()}"

    def _state_chart(self, by_state: dict[str, int], links: Links) -> BarChart:
        items = [
            (state, label, by_state.get(state, 0), links.cases(state=state))
            for state, label in CaseState.choices
        ]
        return bar_chart(items)

    def _decisions(self, cases, today, horizon, links: Links) -> dict:
        pending = (
            pending_extensions_of(cases)
            .select_related("case__notice", "case__recommendation", "case__agency")
            .order_by("requested_at", "id")[:DECISION_LIST]
        )
        high = (
            cases.filter(bucket_q(Bucket.HIGH_LEVEL, today, horizon))
            .select_related("notice", "recommendation", "agency")
            .order_by("-escalation_level", "deadline", "id")[:DECISION_LIST]
        )
        high = list(high)
        names = {
            council: escalation_step_names(council) for council in {c.council_id for c in high}
        }
        for case in high:
            case.rung_name = names[case.council_id].get(case.escalation_level)
        return {
            "pending_extensions": list(pending),
            "high_level_cases": high,
            "pending_url": links.cases(bucket=Bucket.EXTENSION_PENDING),
            "high_level_url": links.cases(bucket=Bucket.HIGH_LEVEL),
        }

    def _own_cases(self, cases, today, horizon) -> list[Case]:
        rows = list(
            cases.filter(bucket_q(Bucket.OPEN, today, horizon))
            .select_related("notice", "recommendation", "committee")
            .order_by("deadline", "id")[:AGENCY_LIST]
        )
        for case in rows:
            case.due_soon = case.deadline is not None and today <= case.deadline <= horizon
        return rows


# ------------------------------------------------------------------------------ reports


class ReportListView(LoginRequiredMixin, TemplateView):
    """ "Báo cáo": the reports already made, and the form that asks for a new one."""

    template_name = "reports/report_list.html"

    def get_context_data(self, form=None, **kwargs):
        user = self.request.user
        snapshots = snapshots_visible_to(user).select_related("council", "created_by")
        return super().get_context_data(
            form=form or ReportRequestForm(user=user),
            snapshots=snapshots.order_by("-created_at", "-id")[:50],
            **kwargs,
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ReportRequestForm(request.POST, user=request.user)
        try:
            arguments = form.service_arguments()
            snapshot = snapshot_request(actor=request.user, **arguments)
        except CaseError as refusal:
            messages.error(request, refusal.message)
            context = self.get_context_data(form=form)
            return self.render_to_response(context, status=refusal.status)
        return redirect("reports:snapshot", pk=snapshot.pk)


def _snapshot(request: HttpRequest, pk: int) -> ReportSnapshot:
    return get_object_or_404(
        snapshots_visible_to(request.user).select_related("council", "created_by"), pk=pk
    )


class SnapshotView(LoginRequiredMixin, TemplateView):
    """One report: its progress while it is being built, then its figures and exports."""

    template_name = "reports/snapshot.html"

    def get_context_data(self, **kwargs):
        snapshot = _snapshot(self.request, self.kwargs["pk"])
        done = snapshot.status == ReportSnapshot.Status.DONE
        return super().get_context_data(
            snapshot=snapshot,
            document=document_for(snapshot) if done else None,
            status_url=reverse("reports:snapshot_status", args=[snapshot.pk]),
            **kwargs,
        )


class SnapshotStatusView(LoginRequiredMixin, View):
    """What the report page polls every second while the worker builds the report."""

    def get(self, request: HttpRequest, pk: int) -> JsonResponse:
        snapshot = _snapshot(request, pk)
        return JsonResponse(
            {
                "status": snapshot.status,
                "label": str(snapshot.get_status_display()),
                "progress": snapshot.progress,
                "error": snapshot.error,
            }
        )


class SnapshotExportView(LoginRequiredMixin, View):
    """The frozen figures as an .xlsx or .docx file, always in Vietnamese (official use)."""

    formats = {
        "xlsx": (
            workbook_bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        "docx": (document_bytes, DOCX),
    }

    def get(self, request: HttpRequest, pk: int, format: str) -> HttpResponse:
        snapshot = _snapshot(request, pk)
        if format not in self.formats:
            return HttpResponse(status=404)
        if snapshot.status != ReportSnapshot.Status.DONE:
            return HttpResponse(_("Báo cáo chưa tổng hợp xong."), status=409)
        build, content_type = self.formats[format]
        with translation.override("vi"):
            body = build(snapshot, document_for(snapshot))
        response = HttpResponse(body, content_type=content_type)
        name = f"bao-cao-{snapshot.kind}-{snapshot.as_of:%Y-%m-%d}-{snapshot.pk}.{format}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class LetterDownloadView(LoginRequiredMixin, View):
    """An urging letter as a Word document, to whoever sees a case it lists (and the office);
    a draft reads as it stands today, a sent letter as it was sent. Always in Vietnamese."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        letter = get_object_or_404(
            letters_visible_to(request.user).select_related(
                "council", "committee", "agency", "addressee"
            ),
            pk=pk,
        )
        with translation.override("vi"):
            draft = letter.status == UrgingLetter.Status.DRAFT
            body = letter_bytes(letter_content(letter), draft=draft)
        response = HttpResponse(body, content_type=DOCX)
        name = f"van-ban-don-doc-{letter.pk}.docx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class CasePrintView(LoginRequiredMixin, TemplateView):
    """One case on one printed page: facts, deadline, reports and the timeline."""

    template_name = "reports/case_print.html"

    def get_context_data(self, **kwargs):
        case = get_object_or_404(
            cases_visible_to(self.request.user).select_related(
                "notice", "recommendation__accountable", "agency", "committee", "council"
            ),
            pk=self.kwargs["pk"],
        )
        extensions = list(case_extensions(case))
        return super().get_context_data(
            case=case,
            printed_on=timezone.localdate(),
            deadline_explanation=deadline_explanation(case, get_language() or "vi"),
            escalation=escalation_status(case),
            extensions=extensions,
            coordinating=case.coordinating_agencies.all(),
            reports=case.reports.select_related("author"),
            timeline=_timeline(case),
            **kwargs,
        )


class CommunesView(LoginRequiredMixin, TemplateView):
    """The province's read-only roll-up of its commune and ward councils (reports/communes.py);
    a 404 to anyone who holds no seat in a province's Standing Committee or office."""

    template_name = "reports/communes.html"

    def get_context_data(self, **kwargs):
        provinces = list(provinces_of(self.request.user))
        chosen = self.request.GET.get("council", "")
        province = next((p for p in provinces if p.code == chosen), None)
        if province is None and (chosen or not provinces):
            raise Http404(_("Không tìm thấy HĐND cấp tỉnh."))
        province = province or provinces[0]
        today = timezone.localdate()
        rows = commune_rollup(province, today)
        return super().get_context_data(
            province=province,
            provinces=provinces,
            rows=rows,
            totals=rollup_totals(rows),
            today=today,
            **kwargs,
        )


class ReportsApplication(Application):
    app_name = "reports"
    title = _("Tổng quan và báo cáo")
    icon = "insights"
    menu_template_name = "reports/menu.html"

    index_path = path("", DashboardView.as_view(), name="index")
    report_list_path = path("reports/", ReportListView.as_view(), name="report_list")
    snapshot_path = path("reports/<int:pk>/", SnapshotView.as_view(), name="snapshot")
    snapshot_status_path = path(
        "reports/<int:pk>/status/", SnapshotStatusView.as_view(), name="snapshot_status"
    )
    snapshot_export_path = path(
        "reports/<int:pk>/export.<slug:format>",
        SnapshotExportView.as_view(),
        name="snapshot_export",
    )
    communes_path = path("communes/", CommunesView.as_view(), name="communes")
    case_export_path = path("cases/export/", CaseListExportView.as_view(), name="case_export")
    case_print_path = path("cases/<int:pk>/print/", CasePrintView.as_view(), name="case_print")
    letter_download_path = path(
        "letters/<int:pk>.docx", LetterDownloadView.as_view(), name="letter_download"
    )

    def has_view_permission(self, user, obj=None) -> bool:
        # Each view requires a login itself, so anonymous visitors are sent to log in.
        return True
