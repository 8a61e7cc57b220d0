"""The pages' forms, under the same input rules as the API (conclusions/rules.py); the
services decide the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from conclusions import rules
from conclusions.models import Agency, Committee
from intake.entries import DeadlineEntry, DeadlineScope
from intake.fields import DeadlineField
from resolutions.models import Effect, ImplementationItem, Resolution
from resolutions.services import ItemInput
from workflow.forms import ServiceForm


class ResolutionForm(ServiceForm):
    number = rules.TextField(label=_("Số, ký hiệu"), limit=rules.NUMBER)
    adopted_on = rules.date_field(_("Ngày ban hành"), placeholder=True)
    title = rules.TextField(label=_("Trích yếu"), limit=rules.TITLE)
    kind = forms.ChoiceField(label=_("Loại"), choices=Resolution.Kind.choices)
    sector = rules.TextField(label=_("Lĩnh vực"), limit=100)
    lead_agency = forms.ModelChoiceField(label=_("Cơ quan chủ trì"), queryset=Agency.objects.none())
    committee = forms.ModelChoiceField(
        label=_("Ban theo dõi"), queryset=Committee.objects.none(), required=False
    )
    in_force_from = rules.date_field(_("Hiệu lực từ"), placeholder=True)
    in_force_to = rules.date_field(_("Hiệu lực đến"), required=False, placeholder=True)

    def __init__(self, *args, council, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].queryset = council.agencies.filter(is_active=True)
        self.fields["committee"].queryset = council.committees.all()

    def service_arguments(self) -> dict:
        data = super().service_arguments()
        data["lead_agency_code"] = data.pop("lead_agency").code
        return data


class ItemForm(ServiceForm):
    """One of the API's `items`: an implementing document or a periodic report, to an agency
    of the council (the resolution's lead agency unless another is chosen), by a deadline
    picked as a date or written as notices write them ("trong 6 tháng", "trong quý III/2026"),
    counted from the resolution's day."""

    kind = forms.ChoiceField(label=_("Loại"), choices=ImplementationItem.Kind.choices)
    lead_agency = forms.ModelChoiceField(label=_("Cơ quan chủ trì"), queryset=Agency.objects.none())
    deadline = DeadlineField(label=_("Thời hạn"))
    text = rules.TextField(label=_("Nội dung"), rows=2)

    def __init__(self, *args, resolution: Resolution, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].queryset = resolution.council.agencies.filter(is_active=True)
        self.fields["lead_agency"].initial = resolution.lead_agency_id
        deadline = self.fields["deadline"]
        deadline.scope = DeadlineScope.of(resolution.council, resolution.adopted_on)
        deadline.widget.attrs |= {
            "data-dd-date": "",  # the date picker; words are read as the intake reads them
            "placeholder": _("30/06/2026 hoặc “trong 2 tháng”"),
            "title": deadline.help_text,
        }

    def service_arguments(self) -> dict:
        data = super().service_arguments()
        entry: DeadlineEntry = data["deadline"]
        item = ItemInput(
            kind=data["kind"],
            text=data["text"],
            deadline=entry.date,
            deadline_spec=entry.spec or None,
            lead_agency_code=data["lead_agency"].code,
        )
        return {"items": [item]}


class EvaluationForm(ServiceForm):
    as_of = rules.date_field(_("Đánh giá tại ngày"), placeholder=True)
    effect = forms.ChoiceField(label=_("Mức độ tác động"), choices=Effect.choices)
    note = rules.TextField(label=_("Lý do, nhận xét"), required=False, rows=2)


class ProgrammeForm(ServiceForm):
    aired_on = rules.date_field(_("Ngày phát sóng"), placeholder=True)
    topic = rules.TextField(label=_("Chủ đề"), limit=rules.TITLE)
    committee = forms.ModelChoiceField(label=_("Ban phụ trách"), queryset=Committee.objects.none())

    def __init__(self, *args, committees, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees


class QuestionForm(ServiceForm):
    received_at = forms.DateTimeField(
        label=_("Thời điểm nhận"),
        input_formats=["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"placeholder": "dd/mm/yyyy hh:mm"}),
    )
    locality = rules.TextField(label=_("Địa phương"), limit=200, required=False)
    text = rules.TextField(label=_("Nội dung câu hỏi"), rows=2)
    agency = forms.ModelChoiceField(
        label=_("Cơ quan trả lời"), queryset=Agency.objects.none(), required=False
    )
    answered_live = forms.BooleanField(label=_("Đã trả lời trực tiếp"), required=False)
    caller_consent = forms.BooleanField(label=_("Người gọi đồng ý lưu thông tin"), required=False)
    caller_name = rules.TextField(label=_("Họ tên người gọi"), limit=200, required=False)
    caller_phone = rules.TextField(label=_("Số điện thoại"), limit=20, required=False)

    def __init__(self, *args, council, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = council.agencies.filter(is_active=True)

    def service_arguments(self) -> dict:
        data = super().service_arguments()
        agency = data.pop("agency")
        data["agency_code"] = agency.code if agency else ""
        return data


class NoticeForm(ServiceForm):
    number = rules.TextField(label=_("Số thông báo"), limit=rules.NUMBER, required=False)
    issue_date = rules.date_field(_("Ngày ban hành"), required=False, placeholder=True)
    deadline = rules.date_field(_("Thời hạn trả lời"), required=False, placeholder=True)
