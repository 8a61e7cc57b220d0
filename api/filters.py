"""Filtering and ordering of case lists, the django-filter way, with refusals in both
languages: a parameter that cannot be read is a 400 naming it, never ignored in silence."""

import django_filters
from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import OrderingFilter

from api.errors import ApiInvalid, flatten
from conclusions import rules
from notifications.models import Delivery
from workflow.definitions import Result, result_q
from workflow.errors import bilingual
from workflow.filters import words_q
from workflow.models import Case, CaseState

MAX_ID = 2**63 - 1
BAD_ORDERING = _(
    "Không sắp xếp được theo “%(terms)s”; chọn trong: %(allowed)s (thêm - để xếp giảm)."
)


def refused_parameter(name: str, message, **params) -> ApiInvalid:
    """A 400 naming the query parameter, in Vietnamese and English."""
    texts = bilingual(message, **params)
    return ApiInvalid({name: [texts["vi"]]}, {name: [texts["en"]]})


class IdFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class TrueFalseField(forms.Field):
    """true or false (1 or 0); anything else is refused, never read as "no filter"."""

    default_error_messages = {"invalid": _("Chỉ nhận true hoặc false, không nhận “%(value)s”.")}
    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().lower()
        if text not in self.VALUES:
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": str(value)[:20]}
            )
        return self.VALUES[text]


class TrueFalseFilter(django_filters.BooleanFilter):
    field_class = TrueFalseField


class CaseFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=CaseState.choices, help_text=_("Trạng thái"))
    agency = django_filters.CharFilter(
        field_name="agency__code", max_length=rules.CODE, help_text=_("Mã cơ quan chủ trì")
    )
    committee = django_filters.CharFilter(
        field_name="committee__code", max_length=rules.CODE, help_text=_("Mã Ban theo dõi")
    )
    notice = IdFilter(field_name="notice_id", help_text=_("Số định danh (id) của thông báo"))
    overdue = TrueFalseFilter(
        method="filter_overdue", help_text=_("true: chỉ hồ sơ quá hạn; false: không quá hạn")
    )
    q = django_filters.CharFilter(
        method="filter_words",
        max_length=rules.SEARCH,
        help_text=_("Từ cần tìm trong nội dung kiến nghị hoặc số thông báo, có dấu hay không"),
    )

    class Meta:
        model = Case
        fields = ["state", "agency", "committee", "notice", "overdue", "q"]

    def filter_words(self, queryset, name, value):
        return queryset.filter(words_q(value)) if rules.search_key(value) else queryset

    def filter_overdue(self, queryset, name, value):
        """Overdue: the agency is late, in progress past its deadline (a report waiting for
        the committee is not; workflow/definitions.py)."""
        overdue = result_q(Result.IN_PROGRESS_OVERDUE, timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class NotificationFilter(django_filters.FilterSet):
    unread = TrueFalseFilter(
        method="filter_unread",
        help_text=_("true: chỉ thông báo chưa đọc; false: chỉ thông báo đã đọc"),
    )

    class Meta:
        model = Delivery
        fields = ["unread"]

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value)


class Filters(DjangoFilterBackend):
    """django-filter's backend; a bad parameter is refused in Vietnamese and English."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise ApiInvalid(
                self._errors(request, queryset, view, "vi"),
                self._errors(request, queryset, view, "en"),
            )
        return filterset.qs

    def _errors(self, request, queryset, view, language: str) -> dict[str, list[str]]:
        with translation.override(language):
            filterset = self.get_filterset(request, queryset, view)
            filterset.is_valid()
            return flatten({name: list(errors) for name, errors in filterset.errors.items()})


class Ordering(OrderingFilter):
    """?ordering=deadline, -updated_at… always ending on the id, so pages never overlap; a
    field that cannot be ordered by is refused, naming it."""

    def remove_invalid_fields(self, queryset, fields, view, request) -> list[str]:
        terms = [term for term in fields if term]
        valid = super().remove_invalid_fields(queryset, terms, view, request)
        invalid = [term for term in terms if term not in valid]
        if invalid:
            allowed = ", ".join(name for name, _label in self.get_valid_fields(queryset, view))
            raise refused_parameter(
                self.ordering_param, BAD_ORDERING, terms=", ".join(invalid)[:200], allowed=allowed
            )
        return valid

    def get_ordering(self, request, queryset, view) -> list[str]:
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if not {"id", "-id"} & set(ordering):
            ordering.append("-id" if ordering and ordering[0].startswith("-") else "id")
        return ordering
