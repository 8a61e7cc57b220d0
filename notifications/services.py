"""Writers for what a person does with notifications, and for the admin's resend."""

from collections.abc import Iterable, Mapping

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.models import (
    Channel,
    Delivery,
    DigestFrequency,
    Language,
    NotificationSettings,
)
from notifications.preferences import DIGESTIBLE_KINDS, EVENT_KINDS
from workflow.errors import CaseInvalid


def notification_mark_read(*, user, delivery_id: int) -> bool:
    """Mark one of the user's in-app notifications read; False if it is not theirs."""
    mine = Delivery.objects.filter(pk=delivery_id, recipient=user, channel=Channel.INAPP)
    mine.filter(read_at__isnull=True).update(read_at=timezone.now())
    return mine.exists()


def notifications_mark_all_read(*, user) -> int:
    return Delivery.objects.filter(
        recipient=user, channel=Channel.INAPP, read_at__isnull=True
    ).update(read_at=timezone.now())


def notification_settings_update(
    *,
    user,
    language: str,
    digest: str,
    channels: Mapping[str, Iterable[str]],
    digest_kinds: Iterable[str] = (),
) -> NotificationSettings:
    """Store the user's choices; an unknown language, frequency, kind or channel is refused."""
    chosen = {kind: sorted(set(values)) for kind, values in channels.items()}
    digest_kinds = sorted(set(digest_kinds))
    if language not in Language.values or digest not in DigestFrequency.values:
        raise CaseInvalid(_("Lựa chọn ngôn ngữ hoặc bản tổng hợp không hợp lệ."))
    if not set(chosen) <= set(EVENT_KINDS) or not set(digest_kinds) <= set(DIGESTIBLE_KINDS):
        raise CaseInvalid(_("Loại thông báo không hợp lệ."))
    if any(not set(values) <= set(Channel.values) for values in chosen.values()):
        raise CaseInvalid(_("Kênh nhận thông báo không hợp lệ."))
    settings, _created = NotificationSettings.objects.update_or_create(
        user=user,
        defaults={
            "language": language,
            "digest": digest,
            "channels": chosen,
            "digest_kinds": digest_kinds,
        },
    )
    return settings


def deliveries_resend(*, ids: Iterable[int]) -> int:
    """Queue dead (or waiting) deliveries again, with a fresh count of attempts."""
    return Delivery.objects.filter(
        Q(status=Delivery.Status.DEAD) | Q(status=Delivery.Status.FAILED), pk__in=list(ids)
    ).update(
        status=Delivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now(), handed_at=None
    )
