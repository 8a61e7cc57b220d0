"""Back-office view of cases. States change only through the services, never here."""

from django.contrib import admin
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from workflow.calendar import explain
from workflow.deadlines import deadline_drift
from workflow.models import (
    CalendarOverride,
    Case,
    CaseEvent,
    EscalationStep,
    Extension,
    ProgressReport,
)


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "actor", "from_state", "to_state", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "notice",
        "recommendation",
        "agency",
        "committee",
        "state",
        "deadline",
        "escalation_level",
    ]
    list_filter = ["state", "committee", "council"]
    search_fields = ["recommendation__text", "notice__number", "agency__name"]
    list_select_related = ["notice", "recommendation", "agency", "committee"]
    raw_id_fields = ["recommendation", "notice"]
    readonly_fields = [
        "state",
        "outcome",
        "escalation_level",
        "next_escalation_at",
        "opened_at",
        "closed_at",
    ]
    inlines = [CaseEventInline]


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin):
    """The event log is append-only: readable here, never editable."""

    list_display = ["created_at", "kind", "case", "actor", "from_state", "to_state"]
    list_filter = ["kind"]
    raw_id_fields = ["case"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["case", "author", "letter_number", "letter_date", "created_at"]
    raw_id_fields = ["case"]


@admin.register(Extension)
class ExtensionAdmin(admin.ModelAdmin):
    """Requests are decided on the case page, through the service that restarts the ladder."""

    list_display = [
        "case",
        "requested_until",
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
        "approved_until",
    ]
    list_filter = ["status"]
    raw_id_fields = ["case"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(EscalationStep)
class EscalationStepAdmin(admin.ModelAdmin):
    """A council with no rows here uses the default ladder of workflow.escalation."""

    list_display = ["council", "level", "name", "offset", "unit", "action"]
    list_filter = ["council", "action"]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["day", "is_working_day", "reason", "council", "impact_link"]
    list_filter = ["is_working_day", "council"]
    date_hierarchy = "day"

    @admin.display(description=_("Ảnh hưởng tới thời hạn"))
    def impact_link(self, obj: CalendarOverride) -> str:
        url = reverse("admin:workflow_calendaroverride_impact", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Xem"))

    def get_urls(self):
        impact = self.admin_site.admin_view(self.impact_view)
        return [
            path("<int:pk>/impact/", impact, name="workflow_calendaroverride_impact"),
            *super().get_urls(),
        ]

    def impact_view(self, request, pk: int):
        """Deadlines already issued never move by themselves; this lists which would."""
        override = get_object_or_404(CalendarOverride, pk=pk)
        changes = deadline_drift(day=override.day, council_id=override.council_id)
        rows = [(case, counted, explain(counted)) for case, counted in changes]
        context = {
            **self.admin_site.each_context(request),
            "override": override,
            "rows": rows,
            "opts": self.model._meta,
            "title": _("Thời hạn sẽ thay đổi nếu tính lại"),
        }
        return TemplateResponse(request, "admin/workflow/calendaroverride/impact.html", context)
