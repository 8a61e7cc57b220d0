"""The dispatcher: claim due deliveries, send them outside any transaction, record the result.

A claim is a short transaction that takes due rows with SKIP LOCKED (on PostgreSQL), marks
them SENDING, counts the attempt and sets a lease; several dispatchers never take the same
row. A dispatcher that dies mid-batch leaves its rows SENDING until the lease runs out, then
they are claimed again. A failure is retried with growing delays; a permanent failure, or
the last try, makes the delivery DEAD for an admin to see and resend. The send log
(sendlog.py) keeps a dispatcher that dies mid-send, or outlives its lease, from sending twice."""

import datetime
import gc
import logging
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Prefetch, Q, prefetch_related_objects
from django.utils import timezone

from notifications.channels import TRANSPORTS, ChannelError
from notifications.messages import Composer
from notifications.models import Alert, Channel, Delivery, Digest, WebhookEndpoint
from notifications.sendlog import HANDED_EMAIL, handed_emails_confirm
from workflow.models import Case, CaseEvent, NoticeEvent

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
LEASE = datetime.timedelta(minutes=10)
RETRY_DELAYS = tuple(datetime.timedelta(minutes=m) for m in (1, 5, 15, 60, 3 * 60, 6 * 60, 12 * 60))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1  # about 22 hours from the first try to the last
DUE_STATUSES = (Delivery.Status.PENDING, Delivery.Status.FAILED, Delivery.Status.SENDING)


@dataclass(frozen=True)
class Timing:
    """How long a claim lasts and how long to wait before each retry. The chaos run
    (devtools) compresses them; everything else uses DEFAULT_TIMING."""

    lease: datetime.timedelta = LEASE
    retry_delays: tuple[datetime.timedelta, ...] = RETRY_DELAYS

    @property
    def max_attempts(self) -> int:
        return len(self.retry_delays) + 1

    def scaled(self, factor: float) -> "Timing":
        return Timing(self.lease * factor, tuple(d * factor for d in self.retry_delays))


DEFAULT_TIMING = Timing()


@dataclass
class DispatchResult:
    sent: int = 0
    failed: int = 0
    dead: int = 0


def dispatch_due(
    *,
    now: datetime.datetime | None = None,
    batch_size: int = BATCH_SIZE,
    time_budget: float | None = None,
    scope: Q | None = None,
    timing: Timing = DEFAULT_TIMING,
) -> DispatchResult:
    """Send every delivery due at `now` (default: the clock, read per batch). Call it outside
    any transaction. `scope` narrows what this run may claim (benchmarks)."""
    result, started = DispatchResult(), time.monotonic()
    with _collector_skips_old_objects():
        while time_budget is None or time.monotonic() - started < time_budget:
            claimed_at = now or timezone.now()
            batch = deliveries_claim(
                now=claimed_at, limit=batch_size, scope=scope, lease=timing.lease
            )
            if not batch:
                break
            errors = deliveries_send(batch)
            at = now or timezone.now()
            deliveries_record(batch, errors, now=at, result=result, timing=timing)
    return result


@contextmanager
def _collector_skips_old_objects():
    """A run makes many short-lived objects, and Python's cycle collector would walk the
    whole long-lived heap (Django and all it loaded) again and again: about a third of the
    dispatcher's CPU. Objects that exist when the run starts are set aside until it ends."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def deliveries_claim(
    *,
    now: datetime.datetime,
    limit: int,
    scope: Q | None = None,
    lease: datetime.timedelta = LEASE,
):
    """Claim up to `limit` due deliveries. Emails that an expired claim already handed to the
    mail server are marked sent instead (sendlog.py), never claimed again."""
    due = Delivery.objects.filter(status__in=DUE_STATUSES, next_attempt_at__lte=now)
    if scope is not None:
        due = due.filter(scope)
    handed_emails_confirm(now=now, scope=scope)
    with transaction.atomic():
        ids = list(
            due.order_by("next_attempt_at")
            .select_for_update(skip_locked=True)
            .exclude(HANDED_EMAIL)  # rechecked on the row once locked
            .values_list("id", flat=True)[:limit]
        )
        Delivery.objects.filter(id__in=ids).update(
            status=Delivery.Status.SENDING,
            attempts=F("attempts") + 1,
            next_attempt_at=now + lease,
            handed_at=None,  # a webhook whose last POST went unanswered is posted again
        )
    return with_context(Delivery.objects.filter(id__in=ids).order_by("id"))


# What sending reads of a delivery and its recipient; a few columns load much faster than all.
_NEEDED = (
    "event_id",
    "notice_event_id",
    "alert_id",
    "digest_id",
    "channel",
    "attempts",
    "recipient__username",
    "recipient__email",
    "recipient__first_name",
    "recipient__last_name",
    "recipient__notification_settings__language",
)


def with_context(deliveries) -> list[Delivery]:
    """The deliveries with what rendering needs, each event, case, digest and alert read once
    however many people it concerns: seven queries for any batch."""
    rows = list(deliveries.select_related("recipient__notification_settings").only(*_NEEDED))
    events = CaseEvent.objects.select_related("actor").in_bulk(
        {d.event_id for d in rows if d.event_id}
    )
    cases = (
        Case.objects.select_related("notice", "recommendation", "agency", "committee")
        .defer("deadline_explanation", "recommendation__deadline_spec")
        .in_bulk({e.case_id for e in events.values()})
    )
    for event in events.values():
        event.case = cases[event.case_id]
    digests = Digest.objects.in_bulk({d.digest_id for d in rows if d.digest_id})
    steps = NoticeEvent.objects.select_related("actor", "notice__tracking_committee").in_bulk(
        {d.notice_event_id for d in rows if d.notice_event_id}
    )
    alerts = Alert.objects.in_bulk({d.alert_id for d in rows if d.alert_id})
    for delivery in rows:
        if delivery.event_id:
            delivery.event = events[delivery.event_id]
        elif delivery.notice_event_id:
            delivery.notice_event = steps[delivery.notice_event_id]
        elif delivery.alert_id:
            delivery.alert = alerts[delivery.alert_id]
        else:
            delivery.digest = digests[delivery.digest_id]
    hooked = [d.recipient for d in rows if d.channel in (Channel.WEBHOOK, Channel.ZALO)]
    active = WebhookEndpoint.objects.filter(is_active=True)
    prefetch_related_objects(hooked, Prefetch("webhook_endpoints", queryset=active))
    return rows


def deliveries_send(batch: list[Delivery]) -> dict[int, ChannelError]:
    """Send a claimed batch, one transport per channel; returns the failures by delivery."""
    by_channel: dict[str, list[Delivery]] = defaultdict(list)
    for delivery in batch:
        by_channel[delivery.channel].append(delivery)
    errors, composer = {}, Composer()
    for channel, deliveries in by_channel.items():
        with TRANSPORTS[channel](composer) as transport:
            for delivery in deliveries:
                try:
                    transport.send(delivery)
                except ChannelError as error:
                    errors[delivery.pk] = error
                except Exception as error:  # a bug is retried like an outage, and logged
                    logger.exception("Notifications: delivery %s could not be sent", delivery.pk)
                    errors[delivery.pk] = ChannelError(f"{type(error).__name__}: {error}")
    return errors


def deliveries_record(
    batch: list[Delivery],
    errors: dict[int, ChannelError],
    *,
    now: datetime.datetime,
    result: DispatchResult,
    timing: Timing = DEFAULT_TIMING,
) -> None:
    """Write what happened. Each update is conditioned on the claim it answers (status and
    attempt), so a claim that expired and was taken by another dispatcher is left to it."""
    by_attempt: dict[int, list[int]] = defaultdict(list)
    for d in batch:
        if d.pk not in errors:
            by_attempt[d.attempts].append(d.pk)
    sent = Q(pk__in=[])
    for attempts, ids in by_attempt.items():
        sent |= Q(attempts=attempts, pk__in=ids)
    result.sent += Delivery.objects.filter(sent, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.SENT, sent_at=now, next_attempt_at=None, last_error=""
    )
    for d in batch:
        if d.pk in errors:
            _record_failure(d, errors[d.pk], now, result, timing)


def _record_failure(
    delivery: Delivery, error: ChannelError, now, result: DispatchResult, timing: Timing
) -> None:
    dead = error.permanent or delivery.attempts >= timing.max_attempts
    retry_at = None if dead else now + timing.retry_delays[delivery.attempts - 1]
    updated = Delivery.objects.filter(
        pk=delivery.pk, status=Delivery.Status.SENDING, attempts=delivery.attempts
    ).update(
        status=Delivery.Status.DEAD if dead else Delivery.Status.FAILED,
        next_attempt_at=retry_at,
        last_error=str(error)[:2000],
        handed_at=None,  # refused, or no answer after the end of the message: try again
    )
    if updated and dead:
        result.dead += 1
        logger.warning("Notifications: delivery %s is dead: %s", delivery.pk, error)
    elif updated:
        result.failed += 1
