"""Alerts: messages another app sends to named people outside of any case (a trực báo
reminder). The app names the people and the kind; this module writes the `Alert` and its
deliveries in the caller's transaction, on the channels each person chose for that kind
(notifications/preferences.py), and the dispatcher sends them like any other delivery.

An app registers the kinds it sends (`alert_kind_register`, from its AppConfig.ready), so that
the settings page lists them and people may choose their channels; the texts are the app's own
templates, `notifications/<language>/<kind>.txt` (subject on the first line)."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from notifications.fanout import deliver_soon, ready_to_send
from notifications.models import Alert, Delivery
from notifications.preferences import EVENT_KINDS, recipients


def alert_kind_register(kind: str, label) -> None:
    """Let people choose the channels of `kind` on the settings page."""
    EVENT_KINDS.setdefault(kind, label)


def alert_send(
    *,
    kind: str,
    context: dict,
    link: str,
    user_ids: Iterable[int],
    now: datetime.datetime | None = None,
) -> Alert:
    """Write the alert and one delivery per person and channel they chose for `kind`; the
    delivery run starts once the caller's transaction commits."""
    now = now or timezone.now()
    alert = Alert.objects.create(kind=kind, context=context, link=link, created_at=now)
    people = recipients(user_ids)
    Delivery.objects.bulk_create(
        [
            ready_to_send(
                Delivery(alert=alert, recipient_id=user_id, channel=channel, created_at=now), now
            )
            for user_id in sorted(people)
            for channel in sorted(people[user_id].channels(kind))
        ]
    )
    transaction.on_commit(deliver_soon)
    return alert
