"""Back office: the outbox with its dead letters (and a resend action), settings, webhooks."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from notifications.models import Delivery, Digest, NotificationSettings, WebhookEndpoint
from notifications.services import deliveries_resend


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "created_at",
        "recipient",
        "channel",
        "status",
        "attempts",
        "next_attempt_at",
        "short_error",
    ]
    list_filter = ["status", "channel"]
    search_fields = ["recipient__username", "recipient__email", "last_error"]
    list_select_related = ["recipient"]
    raw_id_fields = ["event", "digest", "recipient"]
    readonly_fields = [
        "event",
        "digest",
        "recipient",
        "channel",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
        "read_at",
    ]
    actions = ["resend"]

    @admin.display(description=_("lỗi gần nhất"))
    def short_error(self, delivery: Delivery) -> str:
        return delivery.last_error[:80]

    @admin.action(description=_("Gửi lại các lượt đã chọn"))
    def resend(self, request, queryset) -> None:
        count = deliveries_resend(ids=queryset.values_list("id", flat=True))
        self.message_user(
            request, _("Đã đưa %(n)s lượt gửi vào hàng chờ.") % {"n": count}, messages.SUCCESS
        )

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "language", "digest"]
    list_filter = ["language", "digest"]
    raw_id_fields = ["user"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["user", "channel", "url", "is_active"]
    list_filter = ["channel", "is_active"]
    raw_id_fields = ["user"]


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = ["user", "frequency", "period", "created_at"]
    list_filter = ["frequency"]
    raw_id_fields = ["user"]
    readonly_fields = ["user", "frequency", "period", "created_at", "content"]
