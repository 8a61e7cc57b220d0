"""Reads for the in-app inbox and the settings page."""

from django.db.models import QuerySet

from notifications.models import Channel, Delivery, NotificationSettings


def inbox_of(user) -> QuerySet[Delivery]:
    """The user's in-app notifications, newest first, with what a page needs to show them."""
    if not user.is_authenticated:
        return Delivery.objects.none()
    return (
        Delivery.objects.filter(recipient=user, channel=Channel.INAPP)
        .select_related(
            "recipient",
            "event__actor",
            "event__fanned",
            "event__case__notice",
            "event__case__recommendation",
            "event__case__agency",
            "event__case__committee",
            "digest",
            "notice_event__actor",
            "notice_event__notice__tracking_committee",
            "alert",
        )
        .order_by("-created_at", "-id")
    )


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Delivery.objects.filter(
        recipient=user, channel=Channel.INAPP, read_at__isnull=True
    ).count()


def settings_of(user) -> NotificationSettings:
    """The user's stored choices, or the defaults (not saved)."""
    return NotificationSettings.objects.filter(user=user).first() or NotificationSettings(user=user)
