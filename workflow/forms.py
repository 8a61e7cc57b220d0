from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conclusions.models import Agency, Committee, ConclusionNotice
from workflow.errors import CaseInvalid
from workflow.models import Case, CaseState, Outcome
from workflow.services import ReportInput
from workflow.transitions import Action

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class TransitionForm(forms.Form):
    """One form for every transition; each action reads only the fields it needs."""

    note = forms.CharField(
        label=_("Ghi chú / lý do"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    outcome = forms.ChoiceField(
        label=_("Kết quả đánh giá"), required=False, choices=[("", "---------"), *Outcome.choices]
    )
    text = forms.CharField(
        label=_("Nội dung báo cáo"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    letter_number = forms.CharField(label=_("Số công văn"), required=False, max_length=60)
    letter_date = forms.DateField(label=_("Ngày công văn"), required=False, widget=DATE_INPUT)
    evidence = MultipleFileField(label=_("Tệp minh chứng"), required=False)

    def service_arguments(self, action: str) -> dict:
        if not self.is_valid():
            first = next(iter(self.errors.values()))[0]
            raise CaseInvalid(first)
        data = self.cleaned_data
        arguments = {"note": data["note"], "outcome": data["outcome"]}
        if action == Action.REPORT:
            arguments["report"] = ReportInput(
                text=data["text"],
                letter_number=data["letter_number"],
                letter_date=data["letter_date"],
                files=data["evidence"],
            )
        return arguments


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 2}))


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm nội dung"), required=False)
    state = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Tất cả")), *CaseState.choices]
    )
    committee = forms.ModelChoiceField(
        label=_("Ban theo dõi"), required=False, queryset=Committee.objects.all()
    )
    agency = forms.ModelChoiceField(
        label=_("Cơ quan"), required=False, queryset=Agency.objects.filter(is_active=True)
    )
    notice = forms.ModelChoiceField(
        label=_("Thông báo"), required=False, queryset=ConclusionNotice.objects.all()
    )
    overdue = forms.BooleanField(label=_("Chỉ hồ sơ quá hạn"), required=False)

    def filter(self, cases: QuerySet[Case]) -> QuerySet[Case]:
        if not self.is_bound or not self.is_valid():
            return cases
        data = self.cleaned_data
        for name in ("state", "committee", "agency", "notice"):
            if data[name]:
                cases = cases.filter(**{name: data[name]})
        if data["overdue"]:
            cases = cases.filter(deadline__lt=timezone.localdate()).exclude(state=CaseState.CLOSED)
        if data["q"]:
            cases = cases.filter(
                Q(recommendation__text__icontains=data["q"])
                | Q(notice__number__icontains=data["q"])
            )
        return cases
