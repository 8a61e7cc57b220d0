"""The days the date picker marks (workflow/static/dondoc/datepicker.js): public holidays,
local days off and weekend days worked, from the calendar of the user's own council."""

import datetime

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from conclusions import rules
from conclusions.models import Membership
from workflow.deadlines import calendar_for


class CalendarDaysView(LoginRequiredMixin, View):
    """GET ?year=2026: {"year": 2026, "days": {"2026-09-02": {"kind": "holiday", "reason": …}}}"""

    def get(self, request: HttpRequest) -> JsonResponse:
        try:
            year = int(request.GET.get("year", ""))
            first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            rules.validate_date(first)
        except (ValueError, ValidationError):  # not a year the calendar counts
            message = _("Năm phải là một số từ %(first)s đến %(last)s.") % {
                "first": rules.EARLIEST.year,
                "last": rules.LATEST.year,
            }
            return JsonResponse({"detail": message}, status=400)
        council_id = (
            Membership.objects.filter(user=request.user)
            .order_by("council_id")
            .values_list("council_id", flat=True)
            .first()
        )
        language = (get_language() or "vi")[:2]
        days = {
            mark.day.isoformat(): {
                "kind": mark.kind,
                "reason": mark.reason.get(language, mark.reason["vi"]),
            }
            for mark in calendar_for(council_id).marks(first, last)
        }
        response = JsonResponse({"year": year, "days": days})
        response["Cache-Control"] = "private, max-age=600"
        return response
