"""Trực báo's web forms: shape and limits only (conclusions/rules.py); the services decide the
rest. `service_arguments()` gives the cleaned data or the first error as a refusal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from briefings.models import Frequency
from briefings.services import MAX_DUE_WORKING_DAYS, ReportInput, ScheduleChange, ScheduleInput
from conclusions import rules
from conclusions.models import Council
from reports.communes import communes_of
from workflow.forms import ServiceForm


class ScheduleChangeForm(ServiceForm):
    """What a schedule's page lets the province change; its periods stay as set."""

    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    title = rules.TextField(
        label=_("Tên lịch trực báo"),
        limit=300,
        help_text=_("Ví dụ: Trực báo hoạt động HĐND các xã, phường hằng quý"),
    )
    due_working_days = forms.IntegerField(
        label=_("Hạn nộp: số ngày làm việc sau cuối kỳ"),
        min_value=1,
        max_value=MAX_DUE_WORKING_DAYS,
        initial=5,
    )
    communes = forms.ModelMultipleChoiceField(
        label=_("HĐND xã, phường (để trống: tất cả)"),
        required=False,
        queryset=Council.objects.none(),
    )

    def __init__(self, *args, province: Council | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if province is not None:
            self.fields["communes"].queryset = communes_of(province).order_by("name")

    def service_arguments(self) -> ScheduleChange:
        data = super().service_arguments()
        return ScheduleChange(
            title=data["title"],
            due_working_days=data["due_working_days"],
            commune_ids=tuple(c.pk for c in data["communes"]),
            version=data.get("version"),
        )


class ScheduleForm(ScheduleChangeForm):
    version = None  # a new schedule has no page to be stale
    frequency = forms.ChoiceField(label=_("Định kỳ"), choices=Frequency.choices)
    starts_on = rules.date_field(_("Từ kỳ có ngày"), placeholder=True)
    ends_on = rules.date_field(_("Đến ngày"), required=False, placeholder=True)

    field_order = ["title", "frequency", "starts_on", "ends_on", "due_working_days", "communes"]

    def service_arguments(self) -> ScheduleInput:
        change = super().service_arguments()
        data = self.cleaned_data
        return ScheduleInput(
            title=change.title,
            frequency=data["frequency"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            due_working_days=change.due_working_days,
            commune_ids=change.commune_ids,
        )


class ReportForm(ServiceForm):
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    results = rules.TextField(
        label=_("Kết quả hoạt động của HĐND"),
        required=False,
        rows=6,
        help_text=_("Những việc đã làm được trong kỳ: kỳ họp, giám sát, tiếp xúc cử tri…"),
    )
    difficulties = rules.TextField(label=_("Khó khăn, vướng mắc"), required=False, rows=4)
    proposals = rules.TextField(label=_("Đề xuất, kiến nghị"), required=False, rows=4)

    def service_arguments(self) -> ReportInput:
        data = super().service_arguments()
        return ReportInput(
            data["results"], data["difficulties"], data["proposals"], data["version"]
        )
