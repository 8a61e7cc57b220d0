"""The dashboard's filter bar and the form that asks for a report."""

import datetime

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conclusions import rules
from conclusions.models import Agency, Committee, ConclusionNotice, SourceKind, Term
from conclusions.selectors import roles_of
from reports.registry import kind_choices, kind_of, kinds
from reports.snapshots import councils_of
from workflow.errors import CaseInvalid
from workflow.filters import filter_cases
from workflow.models import Case


def _date(label, **kwargs) -> forms.DateField:
    return rules.date_field(label, placeholder=True, **kwargs)


def _bodies_of(user, model) -> QuerySet:
    """Committees or agencies of the councils the user sits in (all of them for an admin)."""
    roles = roles_of(user)
    if roles.is_admin:
        return model.objects.all()
    return model.objects.filter(
        Q(council_id__in=roles.council_ids)
        | Q(pk__in=roles.committee_ids if model is Committee else roles.agency_ids)
    )


class ScopeFields(forms.Form):
    """The filters the dashboard and the reports share: term, period, source, committee,
    agency. A term (nhiệm kỳ) narrows the period to its days: the cases assigned during it, so
    the figures of a past term stay as they were while its open cases carry on into the next."""

    term = forms.ModelChoiceField(
        label=_("Nhiệm kỳ"), required=False, queryset=Term.objects.none(), empty_label=_("Tất cả")
    )
    period_from = _date(_("Giao từ ngày"), required=False)
    period_to = _date(_("đến ngày"), required=False)
    source_kind = forms.ChoiceField(
        label=_("Nguồn"), required=False, choices=[("", _("Tất cả")), *SourceKind.choices]
    )
    committee = forms.ModelChoiceField(
        label=_("Ban theo dõi"),
        required=False,
        queryset=Committee.objects.none(),
        empty_label=_("Tất cả"),
    )
    agency = forms.ModelChoiceField(
        label=_("Cơ quan"), required=False, queryset=Agency.objects.none(), empty_label=_("Tất cả")
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = _bodies_of(user, Committee)
        self.fields["agency"].queryset = _bodies_of(user, Agency).filter(is_active=True)
        self.fields["term"].queryset = Term.objects.filter(
            council__in=councils_of(user)
        ).select_related("council")

    def clean(self):
        data = super().clean()
        if term := data.pop("term", None):
            _within_term(data, term)
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and start > end:
            raise forms.ValidationError(_("Kỳ báo cáo: ngày bắt đầu phải trước ngày kết thúc."))
        return data


def _within_term(data: dict, term: Term) -> None:
    """The period, narrowed to the term's days."""
    start, end = data.get("period_from"), data.get("period_to")
    data["period_from"] = max(start, term.starts_on) if start else term.starts_on
    if term.ends_on:
        data["period_to"] = min(end, term.ends_on) if end else term.ends_on


class DashboardFilterForm(ScopeFields):
    def filter(self, cases: QuerySet[Case]) -> QuerySet[Case]:
        if not self.is_bound or not self.is_valid():
            return cases
        return filter_cases(cases, **self.cleaned_data)

    def link_params(self) -> dict[str, str]:
        """The filters as the case list reads them, so each number links to its cases."""
        if not self.is_bound or not self.is_valid():
            return {}
        params = {}
        for name, value in self.cleaned_data.items():
            if isinstance(value, datetime.date):
                params[name] = value.strftime(rules.DATE_FORMAT)
            elif hasattr(value, "pk"):
                params[name] = str(value.pk)
            elif value:
                params[name] = str(value)
        return params

    def period(self) -> tuple[datetime.date | None, datetime.date | None]:
        if not self.is_bound or not self.is_valid():
            return None, None
        return self.cleaned_data["period_from"], self.cleaned_data["period_to"]


class ReportRequestForm(ScopeFields):
    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=kind_choices)
    as_of = _date(_("Số liệu tính đến ngày"), required=True)
    council = forms.ModelChoiceField(label=_("HĐND"), queryset=None, empty_label=None)
    notice = forms.ModelChoiceField(
        label=_("Thông báo kết luận (báo cáo theo thông báo)"),
        required=False,
        queryset=ConclusionNotice.objects.none(),
    )
    number = rules.TextField(
        label=_("Số, ký hiệu (để trống nếu chưa vào sổ)"), required=False, limit=rules.NUMBER
    )

    field_order = [
        "kind",
        "as_of",
        "council",
        "term",
        "notice",
        "committee",
        "agency",
        "source_kind",
        "period_from",
        "period_to",
        "number",
    ]

    def __init__(self, *args, user, **kwargs) -> None:
        kwargs.setdefault("initial", {"as_of": timezone.localdate()})
        super().__init__(*args, user=user, **kwargs)
        self.fields["council"].queryset = councils_of(user)
        self.fields["notice"].queryset = ConclusionNotice.objects.filter(
            status=ConclusionNotice.Status.ISSUED, council__in=councils_of(user)
        ).order_by("-issue_date", "-id")
        self._option_names: dict[str, list[str]] = {}
        for kind in kinds().values():
            if kind.options_form is not None:
                extra = kind.options_form(user=user)
                self._option_names[kind.code] = list(extra)
                self.fields.update(extra)

    def service_arguments(self) -> dict:
        """The cleaned data, or a refusal carrying the first error: nothing is written. The
        chosen kind's own fields (registry.ReportKind.options_form) become its `options`."""
        if not self.is_valid():
            first = next(iter(self.errors.values()))[0]
            raise CaseInvalid(first)
        data = dict(self.cleaned_data)
        values = {name: data.pop(name) for names in self._option_names.values() for name in names}
        chosen = kind_of(data["kind"])
        if chosen is not None and chosen.code in self._option_names:
            data["options"] = {
                name: getattr(values[name], "pk", values[name])
                for name in self._option_names[chosen.code]
                if values[name] not in (None, "")
            }
        return data
