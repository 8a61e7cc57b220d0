"""Back-office view of cases. A case, its events and its reports change only through the
services, which write the event that says so; here they are shown, never edited or deleted."""

from django import forms
from django.contrib import admin
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from conclusions.admin import ReadOnlyAdmin
from workflow.admin_successions import SuccessionAdmin  # noqa: F401  (registers it)
from workflow.calendar import explain
from workflow.deadlines import deadline_drift
from workflow.models import (
    Audience,
    CalendarOverride,
    Case,
    CaseEvent,
    EscalationStep,
    Extension,
    LetterItem,
    ProgressReport,
    UrgingLetter,
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
class CaseAdmin(ReadOnlyAdmin):
    """State, deadline, agency and committee move only through case_transition,
    extension_decide and notice_issue, each of which logs the change."""

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
    inlines = [CaseEventInline]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    """The event log is append-only (the database refuses edits too): readable here."""

    list_display = ["created_at", "kind", "case", "actor", "from_state", "to_state"]
    list_filter = ["kind"]


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    """A submitted report is a record: the committee returns it, nobody edits it."""

    list_display = ["case", "author", "letter_number", "letter_date", "created_at"]


class LetterItemInline(admin.TabularInline):
    model = LetterItem
    extra = 0
    can_delete = False
    fields = ["case", "kind", "cycle"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(UrgingLetter)
class UrgingLetterAdmin(ReadOnlyAdmin):
    """Drafted by the ladder, numbered and sent by the office (the "Văn bản đôn đốc" page)."""

    list_display = ["__str__", "kind", "agency", "committee", "status", "drafted_at", "sent_on"]
    list_filter = ["status", "kind", "council"]
    inlines = [LetterItemInline]


@admin.register(Extension)
class ExtensionAdmin(ReadOnlyAdmin):
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


UNKNOWN_AUDIENCE = _("“%(value)s” không phải nhóm người được báo; hãy chọn trong danh sách.")


class EscalationStepForm(forms.ModelForm):
    """Who a rung tells, chosen from Audience by its Vietnamese label. A value that is not
    an Audience would tell nobody, so it is refused; one already stored is shown, marked."""

    audience = forms.MultipleChoiceField(
        label=_("Người được báo"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Chọn ít nhất một nhóm người được báo: một bậc không báo ai thì vô ích."),
            "invalid_choice": UNKNOWN_AUDIENCE,
        },
    )

    class Meta:
        model = EscalationStep
        fields = ["council", "level", "name", "offset", "unit", "action", "audience"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        unknown = _unknown(self.instance.audience)
        marked = [(v, _("%(value)s (không hợp lệ)") % {"value": v}) for v in unknown]
        self.fields["audience"].choices = [*Audience.choices, *marked]
        # Repeats follow the last rung by themselves (Council.repeat_working_days).
        rungs = [c for c in EscalationStep.Action.choices if c[0] != EscalationStep.Action.REPEAT]
        self.fields["action"].choices = rungs

    def clean_audience(self) -> list[str]:
        chosen = self.cleaned_data["audience"]
        unknown = _unknown(chosen)
        if unknown:
            raise forms.ValidationError(
                UNKNOWN_AUDIENCE, code="invalid_choice", params={"value": ", ".join(unknown)}
            )
        return chosen


def _as_list(values) -> list:
    """A stored audience as a list, should a lone string have been stored."""
    return values if isinstance(values, list) else [values] if values else []


def _unknown(values) -> list[str]:
    return [str(v) for v in _as_list(values) if v not in Audience.values]


@admin.register(EscalationStep)
class EscalationStepAdmin(admin.ModelAdmin):
    """A council with no rows here uses the default ladder of workflow.escalation."""

    form = EscalationStepForm
    list_display = ["council", "level", "name", "offset", "unit", "action", "audience_labels"]
    list_filter = ["council", "action"]

    @admin.display(description=_("Người được báo"))
    def audience_labels(self, obj: EscalationStep) -> str:
        return ", ".join(
            str(Audience(v).label) if v in Audience.values else f"{v} (?)"
            for v in _as_list(obj.audience)
        )


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
