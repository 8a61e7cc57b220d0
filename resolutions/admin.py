"""Back office: the register, evaluations, programmes and questions, shown read-only (the
services write them and open their cases). Callers' name and phone are shown only to the
council's office, never to other staff, superusers included."""

from django.contrib import admin

from conclusions.admin import ReadOnlyAdmin
from conclusions.selectors import roles_of
from resolutions.models import Evaluation, HotlineQuestion, Programme, Resolution

CALLER_FIELDS = ("caller_name", "caller_phone")


@admin.register(Resolution)
class ResolutionAdmin(ReadOnlyAdmin):
    list_display = ["number", "adopted_on", "title", "kind", "sector", "lead_agency", "status"]
    list_filter = ["kind", "status", "council"]
    search_fields = ["number", "title", "sector"]
    date_hierarchy = "adopted_on"


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    list_display = ["resolution", "as_of", "effect", "evaluated_by"]
    list_filter = ["effect"]


@admin.register(Programme)
class ProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["topic", "aired_on", "committee", "notice"]


@admin.register(HotlineQuestion)
class HotlineQuestionAdmin(ReadOnlyAdmin):
    base_list = ["programme", "received_at", "locality", "answered_live", "agency"]
    list_filter = ["answered_live"]

    def _office(self, request) -> bool:
        return bool(roles_of(request.user).clerk_council_ids)

    def get_queryset(self, request):
        """For the office, its own councils' questions only, so that its columns of callers
        never show another council's."""
        questions = super().get_queryset(request)
        clerk = roles_of(request.user).clerk_council_ids
        return questions.filter(programme__council_id__in=clerk) if clerk else questions

    def get_list_display(self, request):
        return [*self.base_list, *(CALLER_FIELDS if self._office(request) else ())]

    def get_exclude(self, request, obj=None):
        return () if self._office(request) else CALLER_FIELDS

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return [f for f in fields if self._office(request) or f not in CALLER_FIELDS]
