"""The intake's two friendly fields: the agency picker and the one deadline field.

Both are plain inputs rendered on the server, so that the form works without JavaScript:
the picker is a text box of names separated by ";" that the page's script turns into a
search box with the chosen agencies as chips; the deadline is one text box whose computed
date the server shows at every round trip and the script at every keystroke."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from conclusions import rules
from conclusions.models import Agency
from intake.entries import AgencyBook, DeadlineEntry, DeadlineScope, read_deadline_entry
from intake.entries import split_agencies as _split

UNKNOWN_AGENCY = _("Không tìm thấy cơ quan có mã: %(value)s.")
UNKNOWN_NAME = _("Không tìm thấy cơ quan “%(value)s” trong danh mục của HĐND.")
AMBIGUOUS = _("“%(value)s” có thể là %(names)s: hãy chọn một.")
TOO_MANY_AGENCIES = _("Tối đa %(limit)s cơ quan.")
ONE_AGENCY = _("Chỉ chọn một cơ quan.")


class AgencyPicker(forms.Widget):
    """A text box of agency names; `data-picker` lets the script turn it into chips."""

    template_name = "intake/widgets/agency_picker.html"

    def __init__(self, *, multiple: bool, attrs=None) -> None:
        super().__init__(attrs)
        self.multiple = multiple

    def value_from_datadict(self, data, files, name):
        return "; ".join(_split(data.getlist(name) if hasattr(data, "getlist") else []))

    def format_value(self, value):
        return value or ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["multiple"] = self.multiple
        context["widget"]["chosen"] = getattr(self, "chosen", [])
        return context


class AgencyPickerField(forms.Field):
    """Agencies of the council by code or by name; cleans to a list of Agency (one at most
    when not `multiple`). A name that fits no agency, or several, is refused and named."""

    def __init__(self, *, multiple: bool = True, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(widget=AgencyPicker(multiple=multiple), **kwargs)
        self.multiple = multiple
        self.book: AgencyBook | None = None

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "; ".join(self._label(item) for item in value)
        return value

    def _label(self, item) -> str:
        if isinstance(item, Agency):
            return item.name
        agency = self.book.by_code.get(item) if self.book else None
        return agency.name if agency else str(item)

    def clean(self, value) -> list[Agency]:
        tokens = _split([value or ""])
        if len(tokens) > rules.CODES:
            raise ValidationError(TOO_MANY_AGENCIES, params={"limit": rules.CODES})
        if not self.multiple and len(tokens) > 1:
            raise ValidationError(ONE_AGENCY)
        errors, chosen = [], []
        for token in tokens:
            codes = self._codes(token)
            if len(codes) == 1:
                agency = self.book.by_code[codes[0]]
                if agency not in chosen:
                    chosen.append(agency)
            else:
                errors.append(self._refusal(token, codes))
        if errors:
            raise ValidationError(errors)
        return chosen

    def _codes(self, token: str) -> list[str]:
        try:
            rules.validate_text(token)
        except ValidationError:
            return []
        return self.book.resolve(token) if self.book else []

    def _refusal(self, token: str, codes: list[str]) -> ValidationError:
        value = token[:80]
        if codes:
            names = ", ".join(self.book.by_code[code].name for code in codes)
            return ValidationError(AMBIGUOUS, params={"value": value, "names": names})
        if " " not in value:
            return ValidationError(UNKNOWN_AGENCY, params={"value": value})
        return ValidationError(UNKNOWN_NAME, params={"value": value})


class DeadlineInput(forms.TextInput):
    template_name = "intake/widgets/deadline.html"


class DeadlineField(rules.TextField):
    """One deadline, as a date or in a notice's words; cleans to a DeadlineEntry. The form
    sets `scope` (the council and the issue date) before it is cleaned."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _(
                "Ví dụ: 30/09/2026, “30 ngày làm việc”, “trong quý III/2026”, “trong 6 tháng”, "
                "“trước kỳ họp cuối năm 2026”; để trống hoặc “thường xuyên” nếu không có hạn."
            ),
        )
        super().__init__(
            limit=rules.DEADLINE_PHRASE,
            widget=DeadlineInput(attrs={"autocomplete": "off", "data-deadline": "1"}),
            **kwargs,
        )
        self.scope: DeadlineScope | None = None

    def clean(self, value) -> DeadlineEntry:
        return read_deadline_entry(super().clean(value), self.scope)
