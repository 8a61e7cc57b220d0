"""Which channels a person is told on, for each kind of event, and in which language."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from notifications.models import Channel, DigestFrequency, Language, WebhookEndpoint
from workflow.models import EventKind

# Every kind a user may choose channels for, in the order the settings page lists them.
EVENT_KINDS: dict[str, object] = {
    EventKind.OPENED: _("Hồ sơ mới được giao"),
    EventKind.STARTED: _("Cơ quan bắt đầu thực hiện"),
    EventKind.REPORTED: _("Có báo cáo kết quả chờ xem xét"),
    EventKind.RETURNED: _("Báo cáo bị trả lại"),
    EventKind.CLOSED: _("Hồ sơ được đóng"),
    EventKind.REOPENED: _("Hồ sơ được mở lại"),
    EventKind.COMMENTED: _("Ý kiến mới"),
    EventKind.ESCALATED: _("Nhắc hạn, cảnh báo và đôn đốc quá hạn"),
    EventKind.EXTENSION_REQUESTED: _("Đề nghị gia hạn"),
    EventKind.EXTENSION_APPROVED: _("Chấp thuận gia hạn"),
    EventKind.EXTENSION_REJECTED: _("Không chấp thuận gia hạn"),
}
# Told on the in-app inbox only unless the user asks for more.
QUIET_KINDS = frozenset({EventKind.STARTED, EventKind.COMMENTED})
# What a digest covers (cases coming due, overdue, extensions waiting), so the user may take
# these in the digest instead of one message each.
DIGESTIBLE_KINDS = (EventKind.ESCALATED, EventKind.EXTENSION_REQUESTED)
EXTERNAL = (Channel.EMAIL, Channel.WEBHOOK, Channel.ZALO)


@dataclass(frozen=True)
class Recipient:
    id: int
    email: str
    language: str = Language.VI
    digest: str = DigestFrequency.OFF
    chosen: dict = field(default_factory=dict)  # {kind: [channel, ...]} the user set
    digest_kinds: frozenset[str] = frozenset()
    endpoints: frozenset[str] = frozenset()  # channels with an active webhook endpoint

    def available(self) -> set[str]:
        return {Channel.INAPP} | ({Channel.EMAIL} if self.email else set()) | set(self.endpoints)

    def default_channels(self, kind: str) -> set[str]:
        if kind in QUIET_KINDS:
            return {Channel.INAPP}
        return {Channel.INAPP, Channel.EMAIL} | set(self.endpoints)

    def channels(self, kind: str) -> set[str]:
        """The channels to tell this person on now about an event of `kind`."""
        wanted = set(self.chosen[kind]) if kind in self.chosen else self.default_channels(kind)
        if self.digest != DigestFrequency.OFF and kind in self.digest_kinds:
            wanted -= set(EXTERNAL)  # the digest tells them; the inbox still shows it
        return wanted & self.available()


def recipients(user_ids: Iterable[int]) -> dict[int, Recipient]:
    """Each user's address, settings and endpoints, in two queries for any number of users."""
    endpoints = defaultdict(set)
    ids = list(user_ids)
    for user_id, channel in WebhookEndpoint.objects.filter(
        user_id__in=ids, is_active=True
    ).values_list("user_id", "channel"):
        endpoints[user_id].add(channel)
    rows = (
        get_user_model()
        .objects.filter(id__in=ids, is_active=True)
        .values_list(
            "id",
            "email",
            "notification_settings__language",
            "notification_settings__digest",
            "notification_settings__channels",
            "notification_settings__digest_kinds",
        )
    )
    return {
        pk: Recipient(
            id=pk,
            email=email,
            language=language or Language.VI,
            digest=digest or DigestFrequency.OFF,
            chosen=chosen or {},
            digest_kinds=frozenset(digest_kinds or ()),
            endpoints=frozenset(endpoints[pk]),
        )
        for pk, email, language, digest, chosen, digest_kinds in rows
    }
