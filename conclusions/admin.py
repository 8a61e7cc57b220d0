from django.contrib import admin

from conclusions.models import (
    Agency,
    AgencyAlias,
    Committee,
    ConclusionNotice,
    Council,
    Membership,
    Recommendation,
    Sitting,
)


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "parent", "valid_to"]
    list_filter = ["level"]
    search_fields = ["name", "code"]


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "council"]
    list_filter = ["kind", "council"]
    search_fields = ["name", "code"]


class AgencyAliasInline(admin.TabularInline):
    """Other names notices use for the agency, read when a signed notice is parsed."""

    model = AgencyAlias
    extra = 1


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "council", "is_active"]
    list_filter = ["kind", "council", "is_active"]
    search_fields = ["name", "code", "short_name", "aliases__name"]
    autocomplete_fields = ["parent"]
    inlines = [AgencyAliasInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "council", "committee", "agency", "is_head"]
    list_filter = ["role", "council"]
    search_fields = ["user__username", "user__last_name"]
    autocomplete_fields = ["user", "committee", "agency"]


class RecommendationInline(admin.StackedInline):
    model = Recommendation
    extra = 0
    autocomplete_fields = ["lead_agencies", "coordinating_agencies", "accountable"]


@admin.register(ConclusionNotice)
class ConclusionNoticeAdmin(admin.ModelAdmin):
    list_display = ["number", "issue_date", "title", "source_kind", "tracking_committee", "status"]
    list_filter = ["status", "source_kind", "council"]
    search_fields = ["number", "title"]
    date_hierarchy = "issue_date"
    readonly_fields = ["status", "registered_by"]
    inlines = [RecommendationInline]


@admin.register(Sitting)
class SittingAdmin(admin.ModelAdmin):
    list_display = ["name", "opens_on", "council"]
    list_filter = ["council"]
