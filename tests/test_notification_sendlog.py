"""The send log (notifications/sendlog.py) against a real SMTP server and a real webhook
receiver: a dispatcher that died after handing a message over does not get it sent twice, a
dispatcher that lost its claim drops the message before its end, and every attempt of one
delivery carries the same Message-ID or Idempotency-Key."""

import datetime
import os
import signal
import time

import pytest
from django.db import connection, connections
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


# The database takes its time over the send log's COMMIT: a deferred trigger sleeps in it.
_SLOW_LOG_COMMIT = """
CREATE FUNCTION test_slow_send_log() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN PERFORM pg_sleep(%s); RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER test_slow_send_log AFTER UPDATE OF handed_at ON notifications_delivery
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.handed_at IS NOT NULL)
  EXECUTE FUNCTION test_slow_send_log();
"""
_FAST_AGAIN = """
DROP TRIGGER IF EXISTS test_slow_send_log ON notifications_delivery;
DROP FUNCTION IF EXISTS test_slow_send_log();
"""


def _dispatcher(now: datetime.datetime) -> int:
    """A dispatcher in a process of its own (forked: the test's settings and mail server)."""
    connections.close_all()
    pid = os.fork()
    if pid == 0:
        try:
            dispatch_due(now=now)
        finally:
            os._exit(0)
    return pid


def _until(condition, seconds: float = 30) -> bool:
    """Whether `condition` came true within `seconds`."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def _committing_the_log() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' "
            "AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.postgres
@pytest.mark.real_clock
def test_a_dispatcher_killed_while_its_send_log_commits_has_still_ended_the_message(
    transactional_db, world, smtp
):
    """The "." goes out with the log's COMMIT, not after its answer: a dispatcher killed while
    the database commits the log (which the next claim reads as "handed over") has sent the
    end of the message, so taking it as sent loses nothing. (It did: the chaos test's rare
    "deliveries lost: 1" was a SIGKILL in the wait for that answer on a loaded machine.)"""
    w = add_people(world)  # committed: its past was told as it was written
    Delivery.objects.all().delete()
    start_and_report(w)
    [email] = Delivery.objects.filter(channel="email")
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(_SLOW_LOG_COMMIT % 3)
    try:
        dispatcher = _dispatcher(now)
        assert _until(_committing_the_log)
        os.kill(dispatcher, signal.SIGKILL)
        os.waitpid(dispatcher, 0)
        assert _until(lambda: not _committing_the_log())
    finally:
        with connection.cursor() as cursor:
            cursor.execute(_FAST_AGAIN)
    assert Delivery.objects.get(pk=email.pk).handed_at is not None  # the log was committed
    dispatch_due(now=_after_lease(now))
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == ("sent", 1, UNCONFIRMED)
    _until(lambda: smtp.mailbox.received, seconds=5)
    assert [m.delivery_id for m in smtp.mailbox.received] == [email.pk]  # before: [], lost


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
