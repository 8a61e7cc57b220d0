"""The send log: what keeps a dispatcher that dies mid-send from sending a message twice.

Before the step that cannot be taken back (for email: the end of the SMTP DATA, the "." that
makes the server take the message; for a webhook: the POST), the dispatcher writes
`Delivery.handed_at` in a transaction of its own. The write is conditioned on the claim it
answers (still SENDING, same attempt, not handed yet), so it is also a fence: a dispatcher
whose lease ran out and was claimed again by another finds nothing to update and drops the
message instead of sending it. A webhook's log is committed before the POST; an email's
COMMIT goes out right after the ".", before either answer is awaited (`_hand_over_ending`
says why).

When a lease runs out, the log decides what the next claim does:
- no `handed_at`: the server never got the end of the message (but for a death between the
  "." and the COMMIT, below); a dropped connection makes it discard what it had (RFC 5321),
  so sending again sends once;
- email with `handed_at`: the dispatcher died between the log and its record of the answer,
  that is after the "." was sent (the COMMIT goes out after it). It is marked SENT without
  sending again, with `UNCONFIRMED` as its note. What is still possible: a death in the few
  microseconds between the "." and the COMMIT sends the message twice (the chaos run counts
  it); none is lost;
- webhook with `handed_at`: sent again with the same `Idempotency-Key`, for the receiver to
  drop if it had it (a POST has no "." to wait for: the death may fall anywhere in the call).

A live dispatcher whose "." is refused, or gets no answer (a server that stored a message
answers at once; one that broke off most likely did not), undoes the log at once
(`delivery_hand_back`) and retries; a death between the refusal and that undo would take a
refused message as sent. (Found by the chaos run: undone only with the batch's record, a
death later in the batch lost a message the mail server had dropped while going away.)"""

import contextlib
import datetime
import logging
import select
from collections.abc import Callable

import psycopg
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from psycopg import pq

from notifications.channels.base import ChannelError
from notifications.models import Channel, Delivery

logger = logging.getLogger(__name__)

UNCONFIRMED = (
    "Máy gửi dừng sau khi đã trao thư cho máy chủ thư, trước khi ghi nhận trả lời: coi là đã "
    "gửi. / The dispatcher stopped after handing the message to the mail server, before it "
    "recorded the answer: taken as sent."
)
CLAIM_LOST = "Lượt nhận việc đã hết hạn / the claim expired and was taken by another dispatcher"


def delivery_hand_over(delivery: Delivery, end: Callable[[], None] | None = None) -> None:
    """Log, committed, that this attempt hands the message over for good, and send `end` (the
    "." of an email) if given; raise a ChannelError, and send nothing, if the claim was lost
    meanwhile."""
    if end is not None and connection.vendor == "postgresql" and not connection.in_atomic_block:
        _hand_over_ending(delivery, end)
        return
    with transaction.atomic():
        _commit_without_waiting_for_the_disk()
        logged = _log(delivery)
    if not logged:
        raise ChannelError(CLAIM_LOST)
    if end is not None:
        end()


def _hand_over_ending(delivery: Delivery, end: Callable[[], None]) -> None:
    """The log's row updated (and locked), then the "." and the COMMIT go out back to back,
    before either answer is awaited. Waiting for the COMMIT's answer before sending the "."
    left a gap, the answer's way back to a dispatcher on a busy machine (up to milliseconds),
    where a SIGKILL left the log committed and the message unended: taken as sent, lost (the
    chaos test's rare "deliveries lost: 1"). A death between the two writes, microseconds
    apart, now leaves the log uncommitted: the message is sent again, never lost."""
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        try:
            _commit_without_waiting_for_the_disk()
            logged = _log(delivery)
        except BaseException:
            with contextlib.suppress(Exception):
                cursor.execute("ROLLBACK")
            raise
        if not logged:
            cursor.execute("ROLLBACK")
            raise ChannelError(CLAIM_LOST)
        try:
            end()
        except BaseException:  # the server may not have it: no log, so it is sent again
            with contextlib.suppress(Exception):
                cursor.execute("ROLLBACK")
            raise
    _commit_now(connection.connection.pgconn)


def _commit_now(pgconn) -> None:
    """COMMIT, sent at once on the raw connection (psycopg would wait for the answer first).
    Its failure is only logged: the "." is out, and the record of the answer decides."""
    try:
        pgconn.send_query(b"COMMIT")
        while pgconn.flush():
            select.select([], [pgconn.socket], [])
        while True:
            pgconn.consume_input()
            if not pgconn.is_busy():
                break
            select.select([pgconn.socket], [], [])
        while (result := pgconn.get_result()) is not None:
            if result.status != pq.ExecStatus.COMMAND_OK:
                raise psycopg.OperationalError(result.error_message.decode(errors="replace"))
    except (psycopg.Error, OSError) as error:
        logger.warning("Notifications: the send log's COMMIT failed after the end: %s", error)


def _commit_without_waiting_for_the_disk() -> None:
    """A log lost with a crash of the database means a message sent again, never one lost:
    the commit need not wait for the disk."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _log(delivery: Delivery) -> int:
    """The log, conditioned on the claim it answers (the fence)."""
    return Delivery.objects.filter(
        pk=delivery.pk,
        status=Delivery.Status.SENDING,
        attempts=delivery.attempts,
        handed_at__isnull=True,
    ).update(handed_at=timezone.now())


def delivery_hand_back(delivery: Delivery) -> None:
    """The server answered the end of the message with a refusal, or not at all: undo the log
    at once (not with the batch's record), so that a death before that record sends it again
    rather than taking it as sent."""
    Delivery.objects.filter(
        pk=delivery.pk, status=Delivery.Status.SENDING, attempts=delivery.attempts
    ).update(handed_at=None)


# Emails handed over by an attempt whose lease ran out: never claimed for sending again.
HANDED_EMAIL = Q(channel=Channel.EMAIL, handed_at__isnull=False)


def handed_emails_confirm(*, now: datetime.datetime, scope: Q | None = None) -> int:
    """Mark SENT the emails whose dispatcher died after handing them over (see above)."""
    orphans = Delivery.objects.filter(
        HANDED_EMAIL, status=Delivery.Status.SENDING, next_attempt_at__lte=now
    )
    if scope is not None:
        orphans = orphans.filter(scope)
    return orphans.update(
        status=Delivery.Status.SENT,
        sent_at=F("handed_at"),
        next_attempt_at=None,
        last_error=UNCONFIRMED,
    )


def idempotency_key(delivery: Delivery) -> str:
    """The same for every attempt of one delivery, different for every delivery."""
    return f"dondoc-delivery-{delivery.pk}"
