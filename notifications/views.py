"""The in-app inbox and the settings page: thin views over the selectors and services."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView
from viewflow.urls import Application

from notifications.messages import Composer
from notifications.models import Channel, DigestFrequency, Language
from notifications.preferences import DIGESTIBLE_KINDS, EVENT_KINDS, Recipient
from notifications.selectors import inbox_of, settings_of
from notifications.services import (
    notification_mark_read,
    notification_settings_update,
    notifications_mark_all_read,
)
from workflow.errors import CaseError

PAGE_SIZE = 25


class InboxView(LoginRequiredMixin, TemplateView):
    template_name = "notifications/inbox.html"

    def get_context_data(self, **kwargs):
        page = Paginator(inbox_of(self.request.user), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        composer, language = Composer(), _page_language()
        for delivery in page:
            delivery.message = composer.compose(delivery, language=language)
        return super().get_context_data(page=page, **kwargs)


class OpenView(LoginRequiredMixin, View):
    """Following a notification marks it read and goes to what it is about."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        delivery = get_object_or_404(inbox_of(request.user), pk=pk)
        notification_mark_read(user=request.user, delivery_id=pk)
        if delivery.event_id:
            return redirect("workflow:case_detail", pk=delivery.event.case_id)
        if delivery.notice_event_id and delivery.notice_event.link.startswith("/"):
            return redirect(delivery.notice_event.link)
        if delivery.alert_id and delivery.alert.link.startswith("/"):
            return redirect(delivery.alert.link)
        return redirect("notifications:inbox")


class MarkReadView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not notification_mark_read(user=request.user, delivery_id=pk):
            raise Http404
        return redirect(_back(request))


class MarkAllReadView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest) -> HttpResponse:
        count = notifications_mark_all_read(user=request.user)
        messages.success(request, _("Đã đánh dấu %(n)s tin nhắn là đã đọc.") % {"n": count})
        return redirect("notifications:inbox")


class SettingsForm(forms.Form):
    language = forms.ChoiceField(label=_("Ngôn ngữ của tin nhắn"), choices=Language.choices)
    digest = forms.ChoiceField(label=_("Bản tổng hợp qua thư"), choices=DigestFrequency.choices)

    def __init__(self, *args, recipient: Recipient, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rows = []
        for kind, label in EVENT_KINDS.items():
            chosen = recipient.chosen.get(kind) or recipient.default_channels(kind)
            row = {"label": label, "channels": [], "digest": None}
            for channel in Channel.values:
                name = f"{kind}:{channel}"
                self.fields[name] = forms.BooleanField(required=False, initial=channel in chosen)
                row["channels"].append(self[name])
            if kind in DIGESTIBLE_KINDS:
                self.fields[f"{kind}:digest"] = forms.BooleanField(
                    required=False, initial=kind in recipient.digest_kinds
                )
                row["digest"] = self[f"{kind}:digest"]
            self.rows.append(row)

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "language": data["language"],
            "digest": data["digest"],
            "channels": {
                kind: [c for c in Channel.values if data.get(f"{kind}:{c}")] for kind in EVENT_KINDS
            },
            "digest_kinds": [k for k in DIGESTIBLE_KINDS if data.get(f"{k}:digest")],
        }


class SettingsView(LoginRequiredMixin, TemplateView):
    template_name = "notifications/settings.html"

    def get_context_data(self, form=None, **kwargs):
        stored = settings_of(self.request.user)
        recipient = Recipient(
            id=self.request.user.pk,
            email=self.request.user.email,
            chosen=stored.channels,
            digest_kinds=frozenset(stored.digest_kinds),
        )
        form = form or SettingsForm(
            initial={"language": stored.language, "digest": stored.digest}, recipient=recipient
        )
        return super().get_context_data(form=form, channels=Channel.choices, **kwargs)

    def post(self, request: HttpRequest) -> HttpResponse:
        stored = settings_of(request.user)
        recipient = Recipient(id=request.user.pk, email=request.user.email, chosen=stored.channels)
        form = SettingsForm(request.POST, recipient=recipient)
        if form.is_valid():
            try:
                notification_settings_update(user=request.user, **form.service_arguments())
            except CaseError as refusal:
                messages.error(request, refusal.message)
                return self.render_to_response(self.get_context_data(form), status=refusal.status)
            messages.success(request, _("Đã lưu cài đặt nhận tin nhắn."))
            return redirect("notifications:settings")
        return self.render_to_response(self.get_context_data(form), status=400)


def _page_language() -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("notifications:inbox")


class NotificationsApplication(Application):
    app_name = "notifications"
    title = _("Tin nhắn")
    icon = "notifications"
    menu_template_name = "notifications/menu.html"

    inbox_path = path("", InboxView.as_view(), name="inbox")
    open_path = path("<int:pk>/", OpenView.as_view(), name="open")
    read_path = path("<int:pk>/read/", MarkReadView.as_view(), name="read")
    read_all_path = path("read-all/", MarkAllReadView.as_view(), name="read_all")
    settings_path = path("settings/", SettingsView.as_view(), name="settings")

    def has_view_permission(self, user, obj=None) -> bool:
        return True
