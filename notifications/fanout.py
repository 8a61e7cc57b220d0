"""From case events to deliveries, exactly once per event, by one road: the sweep.

The event table is the outbox. `fan_out_pending` takes committed events without a
`FannedEvent` mark in id order and writes their deliveries and their marks in one
transaction per batch. It runs at the start of every dispatcher run (every minute), which
catches everything, bulk inserts included (notice issue, the escalation sweep's SQL). An
event saved through the ORM (a transition, a comment, an extension), or inserted in bulk and
announced by workflow's `events_bulk_created` signal (a notice's new cases), also nudges it
once its transaction commits, so the people concerned see it in their inbox at once; a bulk
nudge also brings the worker's next delivery run forward, for the emails. The sweeps take
turns on the cursor row's lock: the scheduled one waits for its turn, a nudge never does (if
a sweep holds the lock, the next one tells), takes one small batch and never fails the
request.

A cursor keeps the sweep cheap: every event at or below `last_event_id` is marked. Ids are
handed out before commit, so a lower id can appear after a higher one; the cursor therefore
only passes events marked more than SETTLE ago, by which time any transaction that held a
lower id has long committed or rolled back. (An event that cannot be fanned out is logged
and retried by each sweep until then.)"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django_q.models import Schedule

from notifications import background
from notifications.models import Channel, Delivery, FannedEvent, FanOutCursor
from notifications.preferences import recipients
from notifications.rules import EventFacts, Ladders, event_facts, recipients_of
from workflow.models import CaseEvent

logger = logging.getLogger(__name__)

FAN_OUT_BATCH = 1000
NUDGE_BATCH = 50  # what a request may take on after its commit: its own event, and a few
SETTLE = datetime.timedelta(hours=1)


def events_fan_out(event_ids: list[int], *, now: datetime.datetime | None = None) -> int:
    """Write the deliveries of these events and mark them; returns the deliveries written.
    Runs in the caller's transaction; a second call for the same events writes nothing."""
    now = now or timezone.now()
    facts = event_facts(event_ids)
    told = recipients_of(facts)
    people = recipients({user for users in told.values() for user in users})
    deliveries = [
        _delivery(f, user_id, channel, now)
        for f in facts
        for user_id in sorted(told[f.id])
        if user_id in people
        for channel in sorted(people[user_id].channels(f.kind))
    ]
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    ladders = Ladders()
    FannedEvent.objects.bulk_create(
        [FannedEvent(event_id=f.id, at=now, facts=sent_facts(f, ladders)) for f in facts],
        ignore_conflicts=True,
    )
    return len(deliveries)


def sent_facts(facts: EventFacts, ladders: "Ladders") -> dict:
    """What the messages of an event say, frozen now: the deadline in force, the rung reached
    (its level and its name on the council's ladder) and the case's state."""
    return {
        "deadline": facts.deadline.isoformat() if facts.deadline else None,
        "level": facts.level,
        "step": str(ladders.name(facts.council_id, facts.level)),
        "state": facts.state,
    }


def _delivery(facts: EventFacts, user_id: int, channel: str, now) -> Delivery:
    # Dated when the event happened, so the inbox reads in the order things happened.
    delivery = Delivery(
        event_id=facts.id, recipient_id=user_id, channel=channel, created_at=facts.at
    )
    return ready_to_send(delivery, now)


def ready_to_send(delivery: Delivery, now) -> Delivery:
    """A new delivery as the dispatcher expects it: the inbox row is the message, sent."""
    if delivery.channel == Channel.INAPP:
        delivery.status, delivery.sent_at = Delivery.Status.SENT, now
    else:
        delivery.next_attempt_at = now
    return delivery


def fan_out_after_commit(
    sender, instance: CaseEvent, created: bool, raw: bool = False, **kwargs
) -> None:
    """post_save receiver: once the event's transaction commits, nudge the sweep. A rolled
    back event is never seen; an error in the nudge is logged and left to the next sweep."""
    if created and not raw:
        transaction.on_commit(nudge_fan_out, robust=True)


def fan_out_soon() -> int:
    return fan_out_pending(batch_size=NUDGE_BATCH, max_batches=1, wait=False)


def nudge_fan_out() -> None:
    """The nudge, once an event has committed. Run in the request it cost a transition
    about fourteen queries, a third of its time; with `DONDOC_NUDGE_IN_BACKGROUND` (the
    default) it wakes a thread of the process instead (notifications/background.py) and the
    request answers meanwhile. Tests that look at the inbox right after a commit nudge in
    the committing thread."""
    if settings.DONDOC_NUDGE_IN_BACKGROUND:
        background.wake(fan_out_soon)
    else:
        fan_out_soon()


DELIVER_TASK = "notifications.tasks.deliver_notifications"


def on_events_bulk_created(sender, event_ids: list[int], **kwargs) -> None:
    """workflow.signals.events_bulk_created receiver: once the events commit, the sweep tells
    the people concerned, and the worker's next delivery run is due at once rather than up to
    a minute later. Bringing the schedule forward (instead of queueing a task per notice)
    queues nothing when no worker runs, and a burst of notices still makes one run."""
    if event_ids:
        transaction.on_commit(nudge_fan_out, robust=True)
        transaction.on_commit(deliver_soon)


def deliver_soon() -> None:
    now = timezone.now()
    try:
        Schedule.objects.filter(func=DELIVER_TASK, next_run__gt=now).update(next_run=now)
    except Exception:  # the minute's run is still there
        logger.exception("Notifications: could not bring the delivery run forward")


def fan_out_pending(
    *,
    batch_size: int = FAN_OUT_BATCH,
    max_batches: int | None = None,
    wait: bool = True,
    now: datetime.datetime | None = None,
) -> int:
    """Fan out committed events that have no mark yet, all of them unless `max_batches` says
    otherwise; returns how many events it took. Each batch holds the cursor row's lock; with
    `wait=False` a sweep that finds it held returns at once."""
    FanOutCursor.objects.get_or_create(pk=1)
    done, after, batches = 0, 0, 0
    while max_batches is None or batches < max_batches:
        with transaction.atomic():
            locked = FanOutCursor.objects.select_for_update(skip_locked=not wait)
            cursor = locked.filter(pk=1).first()
            if cursor is None:
                return done
            ids = _unmarked(max(after, cursor.last_event_id), batch_size)
            _fan_out_batch(ids, now)
            done, batches = done + len(ids), batches + 1
            if len(ids) < batch_size:
                _advance(cursor, now or timezone.now())
                return done
            after = ids[-1]
    return done


def _unmarked(after: int, limit: int) -> list[int]:
    marked = FannedEvent.objects.filter(event_id=OuterRef("pk"))
    return list(
        CaseEvent.objects.filter(id__gt=after)
        .filter(~Exists(marked))
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


def _fan_out_batch(ids: list[int], now) -> None:
    try:
        with transaction.atomic():
            events_fan_out(ids, now=now)
    except Exception:  # one broken event must not hold the others back: go one by one
        logger.exception("Notifications: fan-out batch failed, retrying event by event")
        for pk in ids:
            try:
                with transaction.atomic():
                    events_fan_out([pk], now=now)
            except Exception:
                logger.exception("Notifications: cannot fan out event %s", pk)


def _advance(cursor: FanOutCursor, now: datetime.datetime) -> None:
    settled = FannedEvent.objects.filter(
        event_id__gt=cursor.last_event_id, at__lt=now - SETTLE
    ).aggregate(last=Max("event_id"))["last"]
    if settled is not None:
        cursor.last_event_id = settled
        cursor.save(update_fields=["last_event_id"])
