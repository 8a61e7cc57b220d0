"""The month view of my deadlines ("Lịch của tôi") and the personal iCalendar feed."""

import datetime
import re

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from workflow.agenda import feed_ical, feed_of, feed_renew, feed_revoke, feed_url, month_weeks
from workflow.errors import bilingual
from workflow.models import CalendarFeed

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
WEEKDAYS = [_("T2"), _("T3"), _("T4"), _("T5"), _("T6"), _("T7"), _("CN")]


def _month(value: str | None) -> tuple[int, int] | None:
    """ "2026-12" as (2026, 12); None if it is not a month from year 2000 to 2100."""
    today = timezone.localdate()
    if not value:
        return today.year, today.month
    found = MONTH.match(value)
    if not found:
        return None
    year, month = int(found[1]), int(found[2])
    return (year, month) if 2000 <= year <= 2100 and 1 <= month <= 12 else None


def _shift(year: int, month: int, by: int) -> str:
    index = year * 12 + month - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


class CalendarView(LoginRequiredMixin, TemplateView):
    template_name = "workflow/calendar.html"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        chosen = _month(request.GET.get("month"))
        if chosen is None:
            words = bilingual(_("Tháng không hợp lệ: cần dạng 2026-12."))
            messages.error(request, f"{words['vi']} / {words['en']}")
            chosen = _month(None)
            context = self.get_context_data(year=chosen[0], month=chosen[1])
            return self.render_to_response(context, status=400)
        context = self.get_context_data(year=chosen[0], month=chosen[1])
        return self.render_to_response(context)

    def get_context_data(self, *, year: int, month: int, **kwargs):
        user = self.request.user
        feed = feed_of(user)
        return super().get_context_data(
            weeks=month_weeks(user, year, month),
            first=datetime.date(year, month, 1),
            today=timezone.localdate(),
            previous_month=_shift(year, month, -1),
            next_month=_shift(year, month, 1),
            weekdays=WEEKDAYS,
            feed_url=feed_url(feed) if feed else "",
            **kwargs,
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        """Make a new secret address (the old one stops working) or turn the feed off."""
        if request.POST.get("feed") == "revoke":
            feed_revoke(user=request.user)
            messages.success(request, _("Đã tắt lịch cá nhân; địa chỉ cũ không còn dùng được."))
        else:
            feed_renew(user=request.user)
            messages.success(
                request,
                _(
                    "Đã tạo địa chỉ lịch mới; địa chỉ cũ (nếu có) không còn dùng được. Thêm "
                    "địa chỉ này vào Outlook, Google Calendar hoặc Thunderbird."
                ),
            )
        return redirect("workflow:calendar")


class FeedView(View):
    """GET /calendar/<secret>.ics: no login, the secret is the key; a revoked one is a 404."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
        if feed is None or not feed.user.is_active:
            raise Http404
        response = HttpResponse(feed_ical(feed.user), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="dondoc.ics"'
        response["Cache-Control"] = "private, max-age=300"
        return response
