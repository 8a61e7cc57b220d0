"""Back office for councils, bodies and people. Notices and their recommendations are only
shown here: they are written by notice_register, recommendation_update and notice_issue
(the intake flow and the API), which check what an admin form would not, and the cases
copy them when the notice is issued."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from conclusions.document_style import STANDING, names_author
from conclusions.models import (
    Agency,
    AgencyAlias,
    Committee,
    ConclusionNotice,
    Council,
    DocumentSetting,
    Membership,
    Recommendation,
    Sitting,
    Term,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never added, changed or deleted here: a service owns these rows."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.StackedInline):
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


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
    list_display = ["name", "code", "kind", "parent", "council", "is_active", "successor"]
    list_filter = ["kind", "council", "is_active"]
    readonly_fields = ["successor", "valid_to"]  # set by a recorded succession
    search_fields = ["name", "code", "short_name", "aliases__name"]
    autocomplete_fields = ["parent"]
    inlines = [AgencyAliasInline]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["council", "name", "starts_on", "ends_on"]
    list_filter = ["council"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "role",
        "council",
        "committee",
        "agency",
        "is_head",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["role", "council"]
    search_fields = ["user__username", "user__last_name"]
    autocomplete_fields = ["user", "committee", "agency"]


class RecommendationInline(ReadOnlyInline):
    model = Recommendation
    extra = 0


@admin.register(ConclusionNotice)
class ConclusionNoticeAdmin(ReadOnlyAdmin):
    list_display = ["number", "issue_date", "title", "source_kind", "tracking_committee", "status"]
    list_filter = ["status", "source_kind", "council"]
    search_fields = ["number", "title"]
    date_hierarchy = "issue_date"
    inlines = [RecommendationInline]


@admin.register(Sitting)
class SittingAdmin(admin.ModelAdmin):
    list_display = ["name", "opens_on", "council"]
    list_filter = ["council"]


class DocumentSettingForm(forms.ModelForm):
    class Meta:
        model = DocumentSetting
        fields = ["council", "committee", "kind", "issuer", "symbol", "capacity", "signer"]
        fields += ["recipients"]

    def clean(self):
        data = super().clean()
        committee = data.get("committee")
        if committee and data.get("council") and committee.council_id != data["council"].pk:
            raise forms.ValidationError(_("Ban đã chọn không thuộc HĐND này."))
        authors = {data.get("issuer") or "", committee.name if committee else STANDING}
        for line in (data.get("recipients") or "").splitlines():
            if line.strip() and names_author(line, authors):
                raise forms.ValidationError(
                    _("Nơi nhận không ghi chính cơ quan ban hành văn bản: “%(line)s”."),
                    params={"line": line.strip()},
                )
        return data


@admin.register(DocumentSetting)
class DocumentSettingAdmin(admin.ModelAdmin):
    """Who signs each kind of document and where it is sent; blank fields take the defaults."""

    form = DocumentSettingForm
    list_display = ["kind", "council", "committee", "signer", "symbol"]
    list_filter = ["kind", "council"]
