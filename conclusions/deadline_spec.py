"""How a recommendation's deadline is written down when it is a period, not a date.

Stored as JSON on the recommendation and computed into a date by workflow.deadlines, with
the working-day calendar, when the notice is issued."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

MAX_DAYS = 3660
_DAY_KINDS = ("working_days", "calendar_days")


def parse_deadline_spec(data: Mapping | None) -> dict:
    """A normalised copy of `data`, or a ValidationError (lazy, as conclusions.services')."""
    if not data:
        return {}
    if not isinstance(data, Mapping):
        raise ValidationError(_("Cách tính thời hạn không hợp lệ."))
    keys = set(data)
    if len(keys & {*_DAY_KINDS, "quarter", "sitting"}) != 1:
        raise ValidationError(
            _("Chỉ chọn một cách tính thời hạn: số ngày làm việc, số ngày, hết quý hoặc kỳ họp.")
        )
    if keys & set(_DAY_KINDS):
        (kind,) = keys
        return {kind: _whole(data[kind], 1, MAX_DAYS, _("Số ngày"))}
    if "quarter" in keys:
        if keys != {"quarter", "year"}:
            raise ValidationError(_("Thời hạn hết quý cần có quý và năm."))
        return {
            "quarter": _whole(data["quarter"], 1, 4, _("Quý")),
            "year": _whole(data["year"], 2000, 2100, _("Năm")),
        }
    if keys != {"sitting"}:
        raise ValidationError(_("Cách tính thời hạn không hợp lệ."))
    return {"sitting": _whole(data["sitting"], 1, 2**62, _("Kỳ họp"))}


def _whole(value, low: int, high: int, label: Promise) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(
            _("%(label)s phải là số nguyên từ %(low)s đến %(high)s."),
            params={"label": label, "low": low, "high": high},
        )
    return value


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def describe_deadline_spec(spec: Mapping) -> str:
    """The period as a person writes it: "10 ngày làm việc", "hết quý III/2026"."""
    if "working_days" in spec:
        n = spec["working_days"]
        return ngettext("%(n)s ngày làm việc", "%(n)s ngày làm việc", n) % {"n": n}
    if "calendar_days" in spec:
        n = spec["calendar_days"]
        return ngettext("%(n)s ngày", "%(n)s ngày", n) % {"n": n}
    if "quarter" in spec:
        return gettext("hết quý %(quarter)s/%(year)s") % {
            "quarter": _ROMAN[spec["quarter"]],
            "year": spec["year"],
        }
    if "sitting" in spec:
        return gettext("trước kỳ họp")
    return ""
