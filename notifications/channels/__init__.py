"""The channels a delivery may go out on, behind one registry.

Each channel is one small class. The dispatcher makes one instance per batch and uses it as
a context manager, so a channel may keep a connection open for the whole batch (email does).
`send` returns quietly or raises `ChannelError`; a permanent error (a rejected address, an
endpoint that is gone) is not retried."""

from notifications.channels.base import ChannelError, Transport
from notifications.channels.email import EmailTransport
from notifications.channels.inapp import InAppTransport
from notifications.channels.webhook import WebhookTransport, ZaloTransport
from notifications.models import Channel

TRANSPORTS: dict[str, type[Transport]] = {
    Channel.INAPP: InAppTransport,
    Channel.EMAIL: EmailTransport,
    Channel.WEBHOOK: WebhookTransport,
    Channel.ZALO: ZaloTransport,
}

__all__ = ["TRANSPORTS", "ChannelError", "Transport"]
