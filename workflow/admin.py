"""Back-office view of cases. States change only through the services, never here."""

from django.contrib import admin

from workflow.models import Case, CaseEvent, ProgressReport


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
