"""Back office for successions (the 2025 mergers). The add form checks the succession as
`succession_preview` does; "preview only" shows what would move and records nothing; saving
records it through `succession_record`, which moves the open cases. A recorded succession is
never changed or deleted here: the cases it moved say so in their timelines."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from conclusions.models import Agency, Council, Succession
from workflow.errors import CaseError
from workflow.successions import succession_preview, succession_record


class SuccessionForm(forms.ModelForm):
    preview_only = forms.BooleanField(
        label=_("Chỉ xem trước, chưa ghi nhận"), required=False, initial=True
    )

    class Meta:
        model = Succession
        fields = [
            "kind",
            "on",
            "basis",
            "from_councils",
            "to_council",
            "from_agencies",
            "to_agency",
            "carry_memberships",
        ]

    def arguments(self) -> dict:
        data = self.cleaned_data
        council = data.get("kind") == Succession.Kind.COUNCIL
        bodies = data.get("from_councils" if council else "from_agencies") or []
        target = data.get("to_council" if council else "to_agency")
        return {
            "kind": data.get("kind"),
            "from_codes": [body.code for body in bodies],
            "to_code": target.code if target else "",
            "on": data.get("on"),
        }

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            plan = succession_preview(actor=self.actor, **self.arguments())
        except CaseError as refused:
            raise ValidationError(refused.message) from None
        if data.get("preview_only"):
            moves = "; ".join(
                f"{m.source.name} → {m.target.name}: {m.cases}"
                + (f" ({m.committee.name} → {m.to_committee.name})" if m.committee else "")
                for m in plan.moves
            )
            raise ValidationError(
                _(
                    "Xem trước: %(open)s hồ sơ đang mở sẽ được chuyển (%(moves)s); %(closed)s hồ "
                    "sơ đã đóng ở lại đơn vị cũ. Bỏ chọn “Chỉ xem trước” để ghi nhận."
                ),
                params={
                    "open": plan.open_cases,
                    "moves": moves or "—",
                    "closed": plan.closed_staying,
                },
            )
        return data


@admin.register(Succession)
class SuccessionAdmin(admin.ModelAdmin):
    form = SuccessionForm
    list_display = ["__str__", "kind", "on", "basis", "moved_cases", "recorded_by"]
    list_filter = ["kind"]
    filter_horizontal = ["from_councils", "from_agencies"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.actor = request.user
        return form

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        model = {"from_councils": Council, "from_agencies": Agency}.get(db_field.name)
        if model is not None:
            kwargs["queryset"] = model.objects.filter(successor__isnull=True)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        recorded = succession_record(
            actor=request.user,
            **form.arguments(),
            basis=data["basis"],
            carry_memberships=data["carry_memberships"],
        )
        obj.pk = recorded.pk
        obj.refresh_from_db()
        messages.info(request, _("Đã chuyển %(count)s hồ sơ.") % {"count": recorded.moved_cases})

    def save_related(self, request, form, formsets, change) -> None:
        """The service already set the predecessors."""

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
