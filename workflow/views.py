"""Thin web interface for cases: every read goes through the selectors, every write through
`case_transition`, `case_comment` or the extension services."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from viewflow.urls import Application

from workflow.agenda_views import CalendarView
from workflow.calendar_views import CalendarDaysView

# The case page lives in workflow/case_views.py; its names stay importable from here.
from workflow.case_views import (  # noqa: F401
    DECIDE,
    EXTENSION_DECIDE,
    EXTENSION_REQUEST,
    PANEL_ORDER,
    PRIMARY_ACTIONS,
    CaseActionView,
    CaseDetailView,
    _button,
    _comment_form,
    _event_detail,
    _timeline,
    decision_text,
)
from workflow.errors import CaseError
from workflow.forms import (
    CaseFilterForm,
    LetterSendForm,
)
from workflow.letters import letter_send, may_send_letter
from workflow.models import (
    Case,
    UrgingLetter,
)
from workflow.notice_views import NoticeDetailView, NoticeListView, NoticePublishView
from workflow.selectors import (
    cases_visible_to,
    letters_visible_to,
)
from workflow.work import work_of

PAGE_SIZE = 25
LETTER_ROWS = 100


def _list_page(queryset: QuerySet[Case], request: HttpRequest):
    """The page's ids first, in order, then only its rows whole with what they show. An
    agency's cases come from three arms (lead, coordinating, accountable) and are gathered
    and sorted: sorting their (deadline, id) costs little, sorting them joined to their
    committees, notices and recommendations costs much."""
    in_order = queryset.order_by("deadline", "id").values_list("pk", flat=True)
    page = Paginator(in_order, PAGE_SIZE).get_page(request.GET.get("page"))
    ids = list(page.object_list)
    rows = Case.objects.select_related("notice", "recommendation", "agency", "committee")
    shown = rows.in_bulk(ids)
    page.object_list = [shown[pk] for pk in ids]
    return page


class InboxView(LoginRequiredMixin, TemplateView):
    """ "Việc của tôi": every move expected of the user, from every work source."""

    template_name = "workflow/inbox.html"

    def get_context_data(self, **kwargs):
        number = self.request.GET.get("page", "1")
        number = int(number) if number.isdigit() and len(number) < 7 else 1
        today = timezone.localdate()
        page = work_of(self.request.user, today=today, page=number)
        return super().get_context_data(page=page, today=today, **kwargs)


class CaseListView(LoginRequiredMixin, TemplateView):
    """The cases the user may see, filtered; a filter that cannot be read is shown as an
    error above the whole list (400), never ignored in silence."""

    template_name = "workflow/case_list.html"

    def get(self, request, *args, **kwargs) -> HttpResponse:
        form = CaseFilterForm(request.GET or None, user=request.user)
        cases = form.filter(cases_visible_to(request.user))
        context = self.get_context_data(form=form, page=_list_page(cases, request), **kwargs)
        return self.render_to_response(context, status=400 if form.errors else 200)


class LetterListView(LoginRequiredMixin, TemplateView):
    """ "Văn bản đôn đốc": the letters the ladder drafted, for the office to number and send,
    and those already sent; each opens as a Word document."""

    template_name = "workflow/letter_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        letters = letters_visible_to(user).select_related(
            "council", "committee", "agency", "addressee", "sent_by"
        )
        drafts = letters.filter(status=UrgingLetter.Status.DRAFT).annotate(n=Count("items"))
        sent = letters.filter(status=UrgingLetter.Status.SENT).annotate(n=Count("items"))
        rows = [
            {"letter": letter, "form": LetterSendForm(auto_id=f"id_letter{letter.pk}_%s")}
            if may_send_letter(letter, user)
            else {"letter": letter, "form": None}
            for letter in drafts.order_by("drafted_at", "id")[:LETTER_ROWS]
        ]
        return super().get_context_data(
            drafts=rows,
            sent=list(sent.order_by("-sent_on", "-id")[:LETTER_ROWS]),
            **kwargs,
        )


class LetterSendView(LoginRequiredMixin, View):
    """POST: the office numbers a draft and marks it sent."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        letter = get_object_or_404(letters_visible_to(request.user), pk=pk)
        form = LetterSendForm(request.POST)
        try:
            sent = letter_send(letter=letter, actor=request.user, **form.service_arguments())
        except CaseError as refusal:
            messages.error(request, refusal.message)
            return redirect("workflow:letter_list")
        messages.success(
            request, _("Đã vào sổ và gửi văn bản số %(number)s.") % {"number": sent.number}
        )
        return redirect("workflow:letter_list")


class CasesApplication(Application):
    app_name = "workflow"
    title = _("Theo dõi kiến nghị")
    icon = "assignment"
    menu_template_name = "workflow/menu.html"

    inbox_path = path("", InboxView.as_view(), name="inbox")
    case_list_path = path("cases/", CaseListView.as_view(), name="case_list")
    case_detail_path = path("cases/<int:pk>/", CaseDetailView.as_view(), name="case_detail")
    case_action_path = path(
        "cases/<int:pk>/<slug:action>/", CaseActionView.as_view(), name="case_action"
    )
    notice_list_path = path("notices/", NoticeListView.as_view(), name="notice_list")
    notice_detail_path = path("notices/<int:pk>/", NoticeDetailView.as_view(), name="notice_detail")
    notice_publish_path = path(
        "notices/<int:pk>/publish/", NoticePublishView.as_view(), name="notice_publish"
    )
    calendar_days_path = path(
        "calendar/days.json", CalendarDaysView.as_view(), name="calendar_days"
    )
    letter_list_path = path("letters/", LetterListView.as_view(), name="letter_list")
    calendar_path = path("calendar/", CalendarView.as_view(), name="calendar")
    letter_send_path = path("letters/<int:pk>/send/", LetterSendView.as_view(), name="letter_send")

    def has_view_permission(self, user, obj=None) -> bool:
        # Each view requires a login itself, so anonymous visitors are sent to log in.
        return True
