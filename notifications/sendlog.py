"""The send log: what keeps a dispatcher that dies mid-send from sending a message twice.

Before the step that cannot be taken back (for email: the end of the SMTP DATA, the "." that
makes the server take the message; for a webhook: the POST), the dispatcher writes
`Delivery.handed_at` in a transaction of its own and commits it. The write is conditioned on
the claim it answers (still SENDING, same attempt, not handed yet), so it is also a fence: a
dispatcher whose lease ran out and was claimed again by another finds nothing to update and
drops the message instead of sending it.

When a lease runs out, the log decides what the next claim does:
- no `handed_at`: the server never got the end of the message; a dropped connection makes it
  discard what it had (RFC 5321), so sending again sends once;
- email with `handed_at`: the dispatcher died between the log and its record of the answer,
  which almost always means after the server took the message (the time from the log to the
  "." is a few microseconds, from the "." to the record a round trip and a commit). It is
  marked SENT without sending again, with `UNCONFIRMED` as its note. What is still possible:
  a death in those few microseconds loses the message (the chaos run counts it);
- webhook with `handed_at`: sent again with the same `Idempotency-Key`, for the receiver to
  drop if it had it (a POST has no "." to wait for: the death may fall anywhere in the call).

A live dispatcher whose "." is refused, or gets no answer (a server that stored a message
answers at once; one that broke off most likely did not), undoes the log at once
(`delivery_hand_back`) and retries; a death between the refusal and that undo would take a
refused message as sent. (Found by the chaos run: undone only with the batch's record, a
death later in the batch lost a message the mail server had dropped while going away.)"""

import datetime

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from notifications.channels.base import ChannelError
from notifications.models import Channel, Delivery

UNCONFIRMED = (
    "Máy gửi dừng sau khi đã trao thư cho máy chủ thư, trước khi ghi nhận trả lời: coi là đã "
    "gửi. / The dispatcher stopped after handing the message to the mail server, before it "
    "recorded the answer: taken as sent."
)
CLAIM_LOST = "Lượt nhận việc đã hết hạn / the claim expired and was taken by another dispatcher"


def delivery_hand_over(delivery: Delivery) -> None:
    """Log, committed, that this attempt is about to hand the message over for good; raise a
    ChannelError (and send nothing) if the claim was lost meanwhile."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # A log lost with a crash of the database means a message sent again, never one
            # lost: the commit need not wait for the disk.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        logged = Delivery.objects.filter(
            pk=delivery.pk,
            status=Delivery.Status.SENDING,
            attempts=delivery.attempts,
            handed_at__isnull=True,
        ).update(handed_at=timezone.now())
    if not logged:
        raise ChannelError(CLAIM_LOST)


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
