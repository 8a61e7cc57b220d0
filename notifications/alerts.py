"""Alerts: messages another app sends to named people outside of any case (a trực báo
reminder). The app names the people and the kind; this module writes the `Alert` and its
deliveries in the caller's transaction, on the channels each person chose for that kind
(notifications/preferences.py), and the dispatcher sends them like any other delivery.

An app registers the kinds it sends (`alert_kind_register`, from its AppConfig.ready), so that
the settings page lists them and people may choose their channels; the texts are the app's own
templates, `notifications/<language>/<kind>.txt` (subject on the first line)."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from notifications.fanout import deliver_soon, ready_to_send
from notifications.models import Alert, Delivery
from notifications.preferences import EVENT_KINDS, recipients


def alert_kind_register(kind: str, label) -> None:
    """Let people choose the channels of `kind` on the settings page."""
    EVENT_KINDS.setdefault(kind, label)


@dataclass(frozen=True)
class AlertInput:
    kind: str
    context: dict
    link: str
    user_ids: tuple[int, ...]


def alerts_send(items: list[AlertInput], *, now: datetime.datetime | None = None) -> list[Alert]:
    """Write the alerts and one delivery per person and channel they chose for each kind, in
    four queries however many; the delivery run starts once the caller's transaction commits."""
    now = now or timezone.now()
    alerts = Alert.objects.bulk_create(
        [Alert(kind=i.kind, context=i.context, link=i.link, created_at=now) for i in items]
    )
    people = recipients({user_id for item in items for user_id in item.user_ids})
    deliveries = [
        ready_to_send(
            Delivery(alert=alert, recipient_id=user_id, channel=channel, created_at=now), now
        )
        for alert, item in zip(alerts, items, strict=True)
        for user_id in sorted(set(item.user_ids) & set(people))
        for channel in sorted(people[user_id].channels(item.kind))
    ]
    Delivery.objects.bulk_create(deliveries)
    if deliveries:
        transaction.on_commit(deliver_soon)
    return alerts
