"""The recommendations' forms: the office's items (added, removed and moved by buttons that
work without JavaScript) and the tracking committee's corrections. Every item is checked
whole, so that all its errors show at once next to their fields."""

import re
from collections.abc import Sequence

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from conclusions import rules
from conclusions.services import RecommendationInput, recommendation_update
from intake.entries import AgencyBook, DeadlineEntry, DeadlineScope, counted, preview
from intake.fields import AgencyPickerField, DeadlineField
from intake.forms import NotesField, UncertainMixin

PREFIX = "rec"
ITEM_FIELDS = (
    "anchor",
    "text",
    "lead_agencies",
    "coordinating_agencies",
    "accountable",
    "deadline",
    "notes",
)
NO_LEAD = _("Kiến nghị %(anchor)s chưa có cơ quan chủ trì.")
BOTH = _("Kiến nghị %(anchor)s: cơ quan %(codes)s vừa chủ trì vừa phối hợp.")
BEFORE_ISSUE = _(
    "Thời hạn của kiến nghị %(anchor)s (%(deadline)s) trước ngày ban hành thông báo (%(issued)s)."
)


class AgencyItemMixin:
    """The agency pickers of an item, and the checks that need the whole item."""

    def bind_registry(self, book: AgencyBook, scope: DeadlineScope | None) -> None:
        for name in ("lead_agencies", "coordinating_agencies", "accountable"):
            if name in self.fields:
                self.fields[name].book = book
        self.fields["deadline"].scope = scope
        self.scope = scope

    def check_item(self, anchor: str) -> None:
        data = self.cleaned_data
        lead, coordinating = data.get("lead_agencies"), data.get("coordinating_agencies")
        if lead == []:
            self.add_error("lead_agencies", ValidationError(NO_LEAD, params={"anchor": anchor}))
        both = sorted(a.code for a in set(lead or ()) & set(coordinating or ()))
        if both:
            params = {"anchor": anchor, "codes": ", ".join(both)}
            self.add_error("coordinating_agencies", ValidationError(BOTH, params=params))
        entry = data.get("deadline")
        if entry and entry.date and self.scope and entry.date < self.scope.issued:
            params = {
                "anchor": anchor,
                "deadline": date_format(entry.date, "d/m/Y"),
                "issued": date_format(self.scope.issued, "d/m/Y"),
            }
            self.add_error("deadline", ValidationError(BEFORE_ISSUE, params=params))

    def deadline_preview(self) -> dict | None:
        """The computed date of what the deadline field holds now, for the page."""
        if self.scope is None:
            return None
        return preview(self["deadline"].value() or "", self.scope, get_language() or "vi")


class RecommendationForm(UncertainMixin, AgencyItemMixin, forms.Form):
    anchor = rules.TextField(label=_("Mục"), limit=rules.ANCHOR, help_text=_("Ví dụ: II.1.b"))
    text = rules.TextField(label=_("Nội dung kiến nghị"), rows=3)
    lead_agencies = AgencyPickerField(label=_("Cơ quan chủ trì"))
    coordinating_agencies = AgencyPickerField(label=_("Cơ quan phối hợp"))
    accountable = AgencyPickerField(label=_("Cơ quan chịu trách nhiệm"), multiple=False)
    deadline = DeadlineField(label=_("Thời hạn"))
    notes = NotesField()

    def __init__(self, *args, book: AgencyBook, scope: DeadlineScope | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.bind_registry(book, scope)

    def clean(self):
        cleaned = super().clean()
        self.check_item(cleaned.get("anchor") or "")
        return cleaned

    def to_input(self) -> RecommendationInput:
        data = self.cleaned_data
        entry: DeadlineEntry = data["deadline"]
        accountable = data["accountable"]
        return RecommendationInput(
            anchor=data["anchor"],
            text=data["text"],
            lead_agency_codes=[a.code for a in data["lead_agencies"]],
            coordinating_agency_codes=[a.code for a in data["coordinating_agencies"]],
            accountable_code=accountable[0].code if accountable else "",
            deadline=entry.date,
            deadline_spec=entry.spec or None,
            deadline_phrase=entry.words if entry.spec else "",
        )


class BaseRecommendationFormSet(forms.BaseFormSet):
    def inputs(self) -> list[RecommendationInput]:
        """The filled rows, in order; blank rows are skipped."""
        return [form.to_input() for form in self.forms if form.cleaned_data]


RecommendationFormSet = forms.formset_factory(
    RecommendationForm,
    formset=BaseRecommendationFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=rules.RECOMMENDATIONS,
    validate_max=True,
)


# --- adding, removing and moving items: the page's buttons ----------------------------------

OPERATION = re.compile(r"^(add|remove|up|down)(?::([0-9]{1,3}))?$")


def items_of(data: QueryDict) -> list[dict[str, list[str]]]:
    """The items as posted, in order, each field's values as a list."""
    try:
        total = int(data.get(f"{PREFIX}-TOTAL_FORMS", "0"))
    except ValueError:
        total = 0
    total = max(0, min(total, rules.RECOMMENDATIONS))
    return [
        {name: data.getlist(f"{PREFIX}-{index}-{name}") for name in ITEM_FIELDS}
        for index in range(total)
    ]


def reshaped(data: QueryDict, operation: str) -> QueryDict | None:
    """The posted data with one item added, removed or moved; None for an unknown operation
    (or one that cannot be done), which leaves the page as it was."""
    match = OPERATION.match(operation or "")
    if match is None:
        return None
    items = items_of(data)
    verb, index = match[1], int(match[2]) if match[2] else -1
    if verb == "add" and len(items) < rules.RECOMMENDATIONS:
        items.append({"anchor": [next_anchor(items)]})
    elif verb == "remove" and 0 <= index < len(items) and len(items) > 1:
        del items[index]
    elif verb == "up" and 0 < index < len(items):
        items[index - 1], items[index] = items[index], items[index - 1]
    elif verb == "down" and 0 <= index < len(items) - 1:
        items[index + 1], items[index] = items[index], items[index + 1]
    else:
        return None
    return _with_items(data, items)


def _with_items(data: QueryDict, items: Sequence[dict]) -> QueryDict:
    copy = QueryDict(mutable=True)
    for key in data:
        if not key.startswith(f"{PREFIX}-"):
            copy.setlist(key, data.getlist(key))
    for index, item in enumerate(items):
        for name, values in item.items():
            copy.setlist(f"{PREFIX}-{index}-{name}", values)
    copy[f"{PREFIX}-TOTAL_FORMS"] = str(len(items))
    copy[f"{PREFIX}-INITIAL_FORMS"] = "0"
    return copy


def next_anchor(items: Sequence[dict]) -> str:
    """The number after the last item's: "II.1.b" → "II.1.c", "3" → "4"."""
    last = next((i["anchor"][0] for i in reversed(items) if i.get("anchor")), "")
    match = re.search(r"([0-9]+|[a-zđ])([).]?)$", last)
    if match is None:
        return ""
    step, tail = match[1], match[2]
    following = str(int(step) + 1) if step.isdigit() else chr(ord(step) + 1)
    return f"{last[: match.start()]}{following}{tail}"


# --- the tracking committee's check ---------------------------------------------------------


class RecommendationCheckForm(AgencyItemMixin, forms.Form):
    """The tracking committee's corrections to one recommendation."""

    lead_agencies = AgencyPickerField(label=_("Cơ quan chủ trì"))
    coordinating_agencies = AgencyPickerField(label=_("Cơ quan phối hợp"))
    deadline = DeadlineField(label=_("Thời hạn"))

    def __init__(self, data=None, *, recommendation, book: AgencyBook, scope: DeadlineScope):
        super().__init__(
            data,
            prefix=f"r{recommendation.pk}",
            initial={
                "lead_agencies": list(recommendation.lead_agencies.all()),
                "coordinating_agencies": list(recommendation.coordinating_agencies.all()),
                "deadline": written_deadline(recommendation),
            },
        )
        self.recommendation = recommendation
        self.bind_registry(book, scope)
        if self.is_bound and (self["deadline"].value() or "") == self.initial["deadline"]:
            # Untouched: kept as stored (read again, "10 ngày trước kỳ họp" names no sitting).
            self.fields["deadline"].scope = None

    def clean(self):
        cleaned = super().clean()
        self.check_item(self.recommendation.anchor)
        return cleaned

    def save(self) -> None:
        if not self.has_changed():
            return
        data = self.cleaned_data
        recommendation = self.recommendation
        entry: DeadlineEntry = data["deadline"]
        # A deadline left as it was keeps its stored form (a quarter, a sitting…).
        keeps = "deadline" not in self.changed_data
        recommendation_update(
            recommendation=recommendation,
            lead_agency_codes=[a.code for a in data["lead_agencies"]],
            coordinating_agency_codes=[a.code for a in data["coordinating_agencies"]],
            deadline=recommendation.deadline if keeps else entry.date,
            deadline_spec=recommendation.deadline_spec if keeps else (entry.spec or None),
            deadline_phrase=None if keeps else (entry.words if entry.spec else ""),
        )


def written_deadline(recommendation) -> str:
    """The deadline as the field shows it: the notice's words, else the period or the date."""
    if recommendation.deadline_spec and recommendation.deadline_phrase:
        return recommendation.deadline_phrase
    return recommendation.deadline_text


def save_corrections(check_forms: Sequence[RecommendationCheckForm]) -> bool:
    """Apply every correction or none; a refusal is shown on its recommendation."""
    form = None
    try:
        with transaction.atomic():
            for form in check_forms:
                form.save()
    except ValidationError as refusal:
        form.add_error(None, refusal.messages)
        return False
    return True


def due_of(recommendation, scope: DeadlineScope):
    """The date a recommendation's case will get, or None ("thường xuyên")."""
    entry = DeadlineEntry(
        recommendation.deadline_phrase,
        date=recommendation.deadline,
        spec=recommendation.deadline_spec or {},
    )
    return counted(entry, scope)
