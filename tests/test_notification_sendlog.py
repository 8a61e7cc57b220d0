"""The send log (notifications/sendlog.py) against a real SMTP server and a real webhook
receiver: a dispatcher that died after handing a message over does not get it sent twice, a
dispatcher that lost its claim drops the message before its end, and every attempt of one
delivery carries the same Message-ID or Idempotency-Key."""

import datetime

import pytest
from django.db.models import Q
from django.utils import timezone

from notifications.dispatch import (
    LEASE,
    RETRY_DELAYS,
    deliveries_claim,
    deliveries_send,
    dispatch_due,
)
from notifications.models import Delivery, WebhookEndpoint
from notifications.sendlog import CLAIM_LOST, UNCONFIRMED, delivery_hand_over
from tests.helpers import start_and_report
from tests.notify_servers import add_people, told_so_far


@pytest.fixture
def w(world):
    return told_so_far(add_people(world))


def _after_lease(now: datetime.datetime) -> datetime.datetime:
    return now + LEASE + datetime.timedelta(seconds=1)


def test_an_email_handed_over_by_a_dispatcher_that_died_is_marked_sent_not_sent_again(w, smtp):
    start_and_report(w)
    now = timezone.now()
    [claimed] = deliveries_claim(now=now, limit=10)
    delivery_hand_over(claimed)  # … and the dispatcher dies before it records the answer
    assert Delivery.objects.get(pk=claimed.pk).handed_at is not None
    dispatch_due(now=_after_lease(now))
    delivery = Delivery.objects.get(pk=claimed.pk)
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 1, UNCONFIRMED)
    assert delivery.sent_at == delivery.handed_at
    assert smtp.mailbox.received == []  # nothing sent again (the dead one's "." went out)


def test_a_dispatcher_whose_claim_was_taken_drops_the_message_before_its_end(w, smtp):
    case = start_and_report(w)
    event = Delivery.objects.get(channel="email").event
    Delivery.objects.create(
        event=event, recipient=w.thuongtruc, channel="email", next_attempt_at=timezone.now()
    )
    now = timezone.now()
    stale, fresh = deliveries_claim(now=now, limit=10)
    # The first dispatcher stalls; its lease on `stale` runs out and another takes it.
    [retaken] = deliveries_claim(now=_after_lease(now), limit=10, scope=Q(pk=stale.pk))
    errors = deliveries_send([stale, fresh])
    assert str(errors[stale.pk]) == CLAIM_LOST and fresh.pk not in errors
    assert [m.delivery_id for m in smtp.mailbox.received] == [fresh.pk]
    assert deliveries_send([retaken]) == {}
    assert sorted(m.delivery_id for m in smtp.mailbox.received) == sorted([stale.pk, fresh.pk])
    assert case.pk == event.case_id


def test_every_attempt_of_an_email_carries_the_same_message_id(w, smtp):
    start_and_report(w)
    smtp.mailbox.busy.add("ban_vhxh@haugiang.gov.vn")
    now = timezone.now()
    dispatch_due(now=now)
    failed = Delivery.objects.get(channel="email")
    assert (failed.status, failed.handed_at) == ("failed", None)
    smtp.mailbox.busy.clear()
    dispatch_due(now=now + RETRY_DELAYS[0])
    [mail] = smtp.mailbox.received
    assert mail.message["Message-ID"] == f"<dondoc-delivery-{failed.pk}@haugiang.gov.vn>"
    delivery = Delivery.objects.get(pk=failed.pk)
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert delivery.handed_at is not None


def _hook(w, server) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(user=w.ban_vhxh, url=server.url, secret="khóa")


def test_a_webhook_posted_again_carries_the_same_idempotency_key(w, webhook_server):
    _hook(w, webhook_server)
    start_and_report(w)
    now = timezone.now()
    [claimed] = deliveries_claim(now=now, limit=10, scope=Q(channel="webhook"))
    assert deliveries_send([claimed]) == {}  # posted; the dispatcher dies before recording
    dispatch_due(now=_after_lease(now))  # the next claim cannot know: it posts again
    webhook_server.status = 503
    Delivery.objects.create(
        event=claimed.event, recipient=w.thuongtruc, channel="webhook", next_attempt_at=now
    )
    WebhookEndpoint.objects.create(user=w.thuongtruc, url=webhook_server.url, secret="khác")
    dispatch_due(now=_after_lease(now))
    webhook_server.status = 200
    dispatch_due(now=_after_lease(now) + RETRY_DELAYS[0])
    keys = [headers["Idempotency-Key"] for headers, _ in webhook_server.received]
    other = Delivery.objects.get(channel="webhook", recipient=w.thuongtruc)
    first, second = f"dondoc-delivery-{claimed.pk}", f"dondoc-delivery-{other.pk}"
    assert keys == [first, first, second, second]
    assert set(Delivery.objects.filter(channel="webhook").values_list("status", flat=True)) == {
        "sent"
    }
    # A receiver that keeps the keys it has seen acts once per delivery.
    assert len(set(keys)) == 2
