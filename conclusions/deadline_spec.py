"""How a recommendation's deadline is written down when it is a period, not a date.

Stored as JSON on the recommendation and computed into a date by workflow.deadlines, with
the working-day calendar, when the notice is issued. One kind per spec:

    {"working_days": 15}              15 working days from the issue date
    {"calendar_days": 30}             30 days from the issue date
    {"months": 6}                     6 months from the issue date
    {"quarter": 3, "year": 2026}      by the end of quarter III/2026
    {"month": 5, "year": 2026}        by the end of May 2026
    {"sitting": 7, "lead_days": 10}   10 days before sitting 7 opens (the documents for a
                                      sitting are sent ahead of it); without lead_days, the
                                      last working day before it opens
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

MAX_DAYS = 3660
MAX_MONTHS = 120
MAX_LEAD_DAYS = 90
_DAY_KINDS = ("working_days", "calendar_days")
KINDS = frozenset({*_DAY_KINDS, "months", "quarter", "month", "sitting"})


def parse_deadline_spec(data: Mapping | None) -> dict:
    """A normalised copy of `data`, or a ValidationError (lazy, as conclusions.services')."""
    if not data:
        return {}
    if not isinstance(data, Mapping):
        raise ValidationError(_("Cách tính thời hạn không hợp lệ."))
    keys = set(data)
    kinds = keys & KINDS
    if len(kinds) != 1:
        raise ValidationError(
            _(
                "Chỉ chọn một cách tính thời hạn: số ngày làm việc, số ngày, số tháng, hết quý, "
                "hết tháng hoặc kỳ họp."
            )
        )
    (kind,) = kinds
    return _PARSERS[kind](data, keys)


def _days(data: Mapping, keys: set) -> dict:
    if len(keys) != 1:
        raise ValidationError(_("Cách tính thời hạn không hợp lệ."))
    (kind,) = keys
    return {kind: _whole(data[kind], 1, MAX_DAYS, _("Số ngày"))}


def _months(data: Mapping, keys: set) -> dict:
    if keys != {"months"}:
        raise ValidationError(_("Cách tính thời hạn không hợp lệ."))
    return {"months": _whole(data["months"], 1, MAX_MONTHS, _("Số tháng"))}


def _quarter(data: Mapping, keys: set) -> dict:
    if keys != {"quarter", "year"}:
        raise ValidationError(_("Thời hạn hết quý cần có quý và năm."))
    return {"quarter": _whole(data["quarter"], 1, 4, _("Quý")), "year": _year(data)}


def _month(data: Mapping, keys: set) -> dict:
    if keys != {"month", "year"}:
        raise ValidationError(_("Thời hạn hết tháng cần có tháng và năm."))
    return {"month": _whole(data["month"], 1, 12, _("Tháng")), "year": _year(data)}


def _sitting(data: Mapping, keys: set) -> dict:
    if not keys <= {"sitting", "lead_days"}:
        raise ValidationError(_("Cách tính thời hạn không hợp lệ."))
    spec = {"sitting": _whole(data["sitting"], 1, 2**62, _("Kỳ họp"))}
    if "lead_days" in keys:
        spec["lead_days"] = _whole(data["lead_days"], 1, MAX_LEAD_DAYS, _("Số ngày trước kỳ họp"))
    return spec


def _year(data: Mapping) -> int:
    return _whole(data["year"], 2000, 2100, _("Năm"))


_PARSERS = {
    "working_days": _days,
    "calendar_days": _days,
    "months": _months,
    "quarter": _quarter,
    "month": _month,
    "sitting": _sitting,
}


def _whole(value, low: int, high: int, label: Promise) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(
            _("%(label)s phải là số nguyên từ %(low)s đến %(high)s."),
            params={"label": label, "low": low, "high": high},
        )
    return value


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def describe_deadline_spec(spec: Mapping) -> str:
    """The period as a person writes it: "10 ngày làm việc", "hết quý III/2026"."""
    if "working_days" in spec:
        n = spec["working_days"]
        return ngettext("%(n)s ngày làm việc", "%(n)s ngày làm việc", n) % {"n": n}
    if "calendar_days" in spec:
        n = spec["calendar_days"]
        return ngettext("%(n)s ngày", "%(n)s ngày", n) % {"n": n}
    if "months" in spec:
        n = spec["months"]
        return ngettext("%(n)s tháng", "%(n)s tháng", n) % {"n": n}
    if "quarter" in spec:
        return gettext("hết quý %(quarter)s/%(year)s") % {
            "quarter": ROMAN[spec["quarter"]],
            "year": spec["year"],
        }
    if "month" in spec:
        return gettext("hết tháng %(month)s/%(year)s") % spec
    if "sitting" in spec:
        if spec.get("lead_days"):
            return gettext("%(n)s ngày trước kỳ họp") % {"n": spec["lead_days"]}
        return gettext("trước kỳ họp")
    return ""
