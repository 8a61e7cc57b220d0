"""Forms of the notice-intake flow. They parse what the user typed; the rules live in
conclusions.services, whose Vietnamese refusals are shown on the form that caused them."""

from collections.abc import Sequence

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from conclusions import rules
from conclusions.deadline_spec import MAX_DAYS
from conclusions.models import Agency, Committee, ConclusionNotice, Council, Sitting, SourceKind
from conclusions.services import RecommendationInput, notice_register, recommendation_update
from intake.models import NoticeIntakeProcess

UNKNOWN_AGENCY = _("Không tìm thấy cơ quan có mã: %(value)s.")
TOO_MANY_AGENCIES = _("Tối đa %(limit)s cơ quan.")


def date_field(label, *, required: bool = True, help_text: str = "") -> forms.DateField:
    """A date typed as dd/mm/yyyy (ISO is accepted too), within the rules' years."""
    return rules.date_field(
        label,
        required=required,
        help_text=help_text,
        placeholder=True,
        error_messages={"invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")},
    )


def _check_codes(codes) -> None:
    """A code that no query could hold (a NUL byte) is unknown, before any query is made."""
    for code in codes:
        try:
            rules.validate_text(str(code))
        except ValidationError:
            raise ValidationError(UNKNOWN_AGENCY, params={"value": code[:50]}) from None


class AgencyChoiceField(forms.ModelMultipleChoiceField):
    """Agencies picked from the council's list by code; an unknown code is refused."""

    def __init__(self, **kwargs) -> None:
        super().__init__(
            queryset=Agency.objects.none(),
            to_field_name="code",
            error_messages={"invalid_choice": UNKNOWN_AGENCY},
            **kwargs,
        )

    def label_from_instance(self, obj: Agency) -> str:
        return obj.name

    def clean(self, value):
        if value and len(value) > rules.CODES:
            raise ValidationError(TOO_MANY_AGENCIES, params={"limit": rules.CODES})
        if isinstance(value, list | tuple):
            _check_codes(value)
        return super().clean(value)


class AgencyField(forms.ModelChoiceField):
    def __init__(self, **kwargs) -> None:
        super().__init__(
            queryset=Agency.objects.none(),
            to_field_name="code",
            error_messages={"invalid_choice": UNKNOWN_AGENCY},
            **kwargs,
        )

    def clean(self, value):
        if isinstance(value, str):
            _check_codes([value])
        return super().clean(value)

    def label_from_instance(self, obj: Agency) -> str:
        return obj.name


def _codes(agencies) -> list[str]:
    return [agency.code for agency in agencies]


class NoticeRegistrationForm(forms.Form):
    council = forms.ModelChoiceField(label=_("HĐND ban hành"), queryset=Council.objects.none())
    number = rules.TextField(
        label=_("Số, ký hiệu"), limit=rules.NUMBER, help_text=_("Ví dụ: 15/TB-HĐND")
    )
    issue_date = date_field(_("Ngày ban hành"))
    title = rules.TextField(label=_("Trích yếu"), limit=rules.TITLE, rows=2)
    signer = rules.TextField(label=_("Người ký"), limit=rules.SIGNER, required=False)
    source_kind = forms.ChoiceField(label=_("Nguồn"), choices=SourceKind.choices)
    tracking_committee = forms.ModelChoiceField(
        label=_("Ban theo dõi"), queryset=Committee.objects.none()
    )
    attachment = forms.FileField(
        label=_("Tệp văn bản"), required=False, validators=[rules.validate_evidence]
    )

    def __init__(self, *args, councils: QuerySet[Council], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils
        if len(councils) == 1:
            self.fields["council"].initial = councils[0]
        self.fields["tracking_committee"].queryset = Committee.objects.filter(council__in=councils)

    def register(
        self, *, recommendations: Sequence[RecommendationInput], actor
    ) -> ConclusionNotice | None:
        """Register through the service; on a refusal keep its message here, return None."""
        data = self.cleaned_data
        try:
            return notice_register(
                council=data["council"],
                number=data["number"],
                issue_date=data["issue_date"],
                title=data["title"],
                signer=data["signer"],
                source_kind=data["source_kind"],
                tracking_committee=data["tracking_committee"],
                attachment=data["attachment"] or None,
                recommendations=recommendations,
                actor=actor,
            )
        except ValidationError as refusal:
            self.add_error(None, refusal)
            return None


class RecommendationForm(forms.Form):
    anchor = rules.TextField(label=_("Mục"), limit=rules.ANCHOR, help_text=_("Ví dụ: II.1.b"))
    text = rules.TextField(label=_("Nội dung kiến nghị"), rows=3)
    lead_agencies = AgencyChoiceField(label=_("Cơ quan chủ trì"), required=False)
    coordinating_agencies = AgencyChoiceField(label=_("Cơ quan phối hợp"), required=False)
    accountable = AgencyField(label=_("Cơ quan chịu trách nhiệm"), required=False)
    deadline = date_field(
        _("Thời hạn"), required=False, help_text=_("Để trống nếu thực hiện thường xuyên")
    )
    deadline_period = forms.ChoiceField(
        label=_("Hoặc thời hạn tính theo"),
        required=False,
        choices=[
            ("", "—"),
            ("working_days", _("số ngày làm việc kể từ ngày ban hành")),
            ("calendar_days", _("số ngày kể từ ngày ban hành")),
            ("quarter", _("hết quý")),
        ],
    )
    deadline_amount = forms.IntegerField(
        label=_("Số ngày, hoặc quý (1–4)"), required=False, min_value=1, max_value=MAX_DAYS
    )
    deadline_year = forms.IntegerField(
        label=_("Năm (với hết quý)"),
        required=False,
        min_value=rules.EARLIEST.year,
        max_value=rules.LATEST.year,
    )
    deadline_sitting = forms.ModelChoiceField(
        label=_("Hoặc trước kỳ họp"), required=False, queryset=Sitting.objects.none()
    )

    def __init__(self, *args, agencies: QuerySet[Agency], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("lead_agencies", "coordinating_agencies", "accountable"):
            self.fields[name].queryset = agencies
        councils = agencies.values("council_id")
        self.fields["deadline_sitting"].queryset = Sitting.objects.filter(council__in=councils)

    def to_input(self) -> RecommendationInput:
        data = self.cleaned_data
        return RecommendationInput(
            anchor=data["anchor"],
            text=data["text"],
            lead_agency_codes=_codes(data["lead_agencies"]),
            coordinating_agency_codes=_codes(data["coordinating_agencies"]),
            accountable_code=data["accountable"].code if data["accountable"] else "",
            deadline=data["deadline"],
            deadline_spec=_deadline_spec(data),
        )


def _deadline_spec(data: dict) -> dict:
    """A period typed in the form, in the shape conclusions.deadline_spec checks."""
    if data["deadline_sitting"]:
        return {"sitting": data["deadline_sitting"].pk}
    period = data["deadline_period"]
    if period == "quarter":
        return {"quarter": data["deadline_amount"], "year": data["deadline_year"]}
    return {period: data["deadline_amount"]} if period else {}


class BaseRecommendationFormSet(forms.BaseFormSet):
    def inputs(self) -> list[RecommendationInput]:
        """The filled rows, in order; blank extra rows are skipped."""
        return [form.to_input() for form in self.forms if form.cleaned_data]


RecommendationFormSet = forms.formset_factory(
    RecommendationForm,
    formset=BaseRecommendationFormSet,
    extra=1,
    min_num=1,
    validate_min=True,
    max_num=rules.RECOMMENDATIONS,
    validate_max=True,
)


class RecommendationCheckForm(forms.Form):
    """The tracking committee's corrections to one recommendation."""

    lead_agencies = AgencyChoiceField(label=_("Cơ quan chủ trì"), required=False)
    coordinating_agencies = AgencyChoiceField(label=_("Cơ quan phối hợp"), required=False)
    deadline = date_field(
        _("Thời hạn"), required=False, help_text=_("Để trống nếu thực hiện thường xuyên")
    )

    def __init__(self, data=None, *, recommendation, agencies: QuerySet[Agency]) -> None:
        super().__init__(
            data,
            prefix=f"r{recommendation.pk}",
            initial={
                "lead_agencies": _codes(recommendation.lead_agencies.all()),
                "coordinating_agencies": _codes(recommendation.coordinating_agencies.all()),
                "deadline": recommendation.deadline,
            },
        )
        self.recommendation = recommendation
        self.fields["lead_agencies"].queryset = agencies
        self.fields["coordinating_agencies"].queryset = agencies

    def save(self) -> None:
        if not self.has_changed():
            return
        data = self.cleaned_data
        # A deadline written as a period (a quarter, N working days…) stays unless replaced.
        keeps_period = "deadline" not in self.changed_data
        recommendation_update(
            recommendation=self.recommendation,
            lead_agency_codes=_codes(data["lead_agencies"]),
            coordinating_agency_codes=_codes(data["coordinating_agencies"]),
            deadline=data["deadline"],
            deadline_spec=self.recommendation.deadline_spec if keeps_period else None,
        )


def save_corrections(check_forms: Sequence[RecommendationCheckForm]) -> bool:
    """Apply every correction or none; the first refusal is shown on its recommendation."""
    form = None
    try:
        with transaction.atomic():
            for form in check_forms:
                form.save()
    except ValidationError as refusal:
        form.add_error(None, refusal.messages)
        return False
    return True


class ApprovalForm(forms.ModelForm):
    APPROVE = "approve"
    RETURN = "return"

    decision = forms.ChoiceField(
        label=_("Quyết định"),
        widget=forms.RadioSelect,
        choices=[
            (APPROVE, _("Phê duyệt: mở hồ sơ theo dõi cho từng cơ quan chủ trì")),
            (RETURN, _("Trả lại Ban theo dõi để kiểm tra lại")),
        ],
    )

    review_note = rules.TextField(
        label=capfirst(NoticeIntakeProcess._meta.get_field("review_note").verbose_name),
        required=False,
        rows=3,
    )

    class Meta:
        model = NoticeIntakeProcess
        fields = ["review_note"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.RETURN and not cleaned.get("review_note", "").strip():
            self.add_error("review_note", _("Vui lòng ghi rõ lý do trả lại."))
        return cleaned

    def save(self, commit: bool = True) -> NoticeIntakeProcess:
        self.instance.approved = self.cleaned_data["decision"] == self.APPROVE
        return super().save(commit)
