"""Forms of the notice-intake flow: the notice itself and the Standing Committee's decision.
The items' forms are in intake/item_forms.py. They parse what the user typed; the rules live
in conclusions.services, whose Vietnamese refusals are shown on the form that caused them."""

import json
from collections.abc import Sequence

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from conclusions import rules
from conclusions.models import Committee, ConclusionNotice, Council, SourceKind
from conclusions.services import RecommendationInput, notice_register
from intake.models import NoticeIntakeProcess

NOTICE_TOO_LARGE = _("Tệp thông báo quá lớn (tối đa %(limit)s).")


def date_field(label, *, required: bool = True, help_text: str = "") -> forms.DateField:
    """A date typed as dd/mm/yyyy (ISO is accepted too), within the rules' years."""
    return rules.date_field(
        label,
        required=required,
        help_text=help_text,
        placeholder=True,
        error_messages={"invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")},
    )


def validate_notice_size(upload) -> None:
    if upload.size > settings.DONDOC_NOTICE_MAX_BYTES:
        limit = filesizeformat(settings.DONDOC_NOTICE_MAX_BYTES)
        raise ValidationError(NOTICE_TOO_LARGE, params={"limit": limit})


class NotesField(rules.TextField):
    """The parser's warnings on a form's fields, carried from round trip to round trip in a
    hidden input: {field: {"value": what the parser read, "vi": [...], "en": [...]}}. Only
    shown; a note that cannot be read is dropped, never refused."""

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, widget=forms.HiddenInput, **kwargs)

    def clean(self, value) -> dict:
        return read_notes(value)


def read_notes(value) -> dict:
    try:
        notes = json.loads(value or "{}")
    except (TypeError, ValueError):
        return {}
    return notes if isinstance(notes, dict) else {}


class UncertainMixin:
    """Marks each field the parser was unsure of, until the user changes what it read."""

    def uncertain(self) -> dict[str, list[str]]:
        notes = read_notes(self["notes"].value())
        language = "en" if translation.get_language().startswith("en") else "vi"
        marked = {}
        for name, note in notes.items():
            if name in self.fields and isinstance(note, dict) and self._unchanged(name, note):
                marked[name] = [str(m) for m in note.get(language) or note.get("vi") or []]
        return marked

    def _unchanged(self, name: str, note: dict) -> bool:
        # The draft's initial values are the strings the inputs show, as the posted ones are.
        return str(self[name].value() or "").strip() == str(note.get("value") or "").strip()


class NoticeRegistrationForm(UncertainMixin, forms.Form):
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
        label=_("Thông báo đã ký (.docx hoặc PDF)"),
        required=False,
        validators=[rules.validate_evidence, validate_notice_size],
    )
    notes = NotesField()

    def __init__(self, *args, councils: QuerySet[Council], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils
        if len(councils) == 1:
            self.fields["council"].initial = councils[0]
        self.fields["tracking_committee"].queryset = Committee.objects.filter(council__in=councils)

    def register(
        self, *, recommendations: Sequence[RecommendationInput], actor, attachment=None
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
                attachment=attachment,
                recommendations=recommendations,
                actor=actor,
            )
        except ValidationError as refusal:
            self.add_error(None, refusal)
            return None


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
