"""The notices a user follows, each with its progress; the Standing Committee publishes or
withdraws one on the council's public page from here."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from conclusions.models import ConclusionNotice
from workflow.errors import CaseError
from workflow.progress import Progress, progress_by_notice
from workflow.publication import may_publish, notice_publish
from workflow.selectors import cases_visible_to

PAGE_SIZE = 25


def notices_visible_to(user):
    """Issued notices with at least one case the user may see."""
    return ConclusionNotice.objects.filter(
        status=ConclusionNotice.Status.ISSUED,
        pk__in=cases_visible_to(user).values("notice_id"),
    )


class NoticeListView(LoginRequiredMixin, TemplateView):
    template_name = "workflow/notice_list.html"

    def get_context_data(self, **kwargs):
        notices = notices_visible_to(self.request.user).select_related("tracking_committee")
        page = Paginator(notices.order_by("-issue_date", "-id"), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        progress = progress_by_notice(
            cases_visible_to(self.request.user).filter(notice_id__in=[n.pk for n in page])
        )
        rows = [(notice, progress.get(notice.pk, Progress())) for notice in page]
        return super().get_context_data(page=page, rows=rows, **kwargs)


class NoticeDetailView(LoginRequiredMixin, TemplateView):
    template_name = "workflow/notice_detail.html"

    def get_context_data(self, pk: int, **kwargs):
        user = self.request.user
        notice = _visible_notice(user, pk)
        cases = cases_visible_to(user).filter(notice=notice)
        page = Paginator(
            cases.select_related("notice", "recommendation", "agency", "committee").order_by(
                "recommendation__position", "id"
            ),
            PAGE_SIZE,
        ).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            notice=notice,
            progress=progress_by_notice(cases).get(notice.pk, Progress()),
            page=page,
            may_publish=may_publish(notice, user),
            **kwargs,
        )


class NoticePublishView(LoginRequiredMixin, View):
    """POST publish=1 publishes, publish=0 withdraws."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        notice = _visible_notice(request.user, pk)
        publish = request.POST.get("publish") == "1"
        try:
            notice_publish(notice=notice, actor=request.user, publish=publish)
        except CaseError as refusal:
            messages.error(request, refusal.message)
            return redirect("workflow:notice_detail", pk=pk)
        messages.success(
            request,
            _("Đã công khai thông báo %(number)s; trang công khai của HĐND hiển thị ngay.")
            % {"number": notice.number}
            if publish
            else _("Đã thôi công khai thông báo %(number)s; trang công khai không còn hiển thị.")
            % {"number": notice.number},
        )
        return redirect("workflow:notice_detail", pk=pk)


def _visible_notice(user, pk: int) -> ConclusionNotice:
    notice = notices_visible_to(user).select_related("council", "tracking_committee")
    found = notice.filter(pk=pk).first()
    if found is None:
        raise Http404(_("Không tìm thấy thông báo."))
    return found


__all__ = ["NoticeDetailView", "NoticeListView", "NoticePublishView"]
