"""Telling the next person that a notice waits for them, step by step of its intake.

A step writes a `workflow.NoticeEvent` (intake/services.py); its deliveries are written here in
the same transaction, one per recipient and channel as a case event's are, on the channels
each person chose (the in-app inbox, and email by default), and then sent by the same
dispatcher. Who is told comes from memberships: the tracking committee when a notice is
registered or sent back, the Standing Committee when it has been checked, the office and the
committee when it is approved. The person who took the step is never told."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from conclusions.models import Membership
from notifications.fanout import deliver_soon, ready_to_send
from notifications.models import Delivery
from notifications.preferences import recipients
from workflow.models import NoticeEvent, NoticeEventKind

R = Membership.Role


def _committee(notice) -> Q:
    return Q(role=R.COMMITTEE_MEMBER, committee_id=notice.tracking_committee_id)


def _standing(notice) -> Q:
    return Q(role=R.STANDING, council_id=notice.council_id)


def _office(notice) -> Q:
    return Q(role=R.OFFICE_CLERK, council_id=notice.council_id)


AUDIENCES = {
    NoticeEventKind.REGISTERED: (_committee,),
    NoticeEventKind.RETURNED: (_committee,),
    NoticeEventKind.CHECKED: (_standing,),
    NoticeEventKind.APPROVED: (_office, _committee),
}


def told_of(event: NoticeEvent) -> set[int]:
    """The users to tell about this step: by seat, never the one who took it."""
    scope = Q(pk__in=[])
    for seat in AUDIENCES.get(event.kind, ()):
        scope |= seat(event.notice)
    users = set(Membership.objects.filter(scope).values_list("user_id", flat=True))
    return users - {event.actor_id}


def notice_event_fan_out(event: NoticeEvent, *, now=None) -> int:
    """Write the step's deliveries; returns how many. A second call writes nothing new."""
    now = now or timezone.now()
    people = recipients(told_of(event))
    deliveries = [
        ready_to_send(
            Delivery(
                notice_event=event,
                recipient_id=user_id,
                channel=channel,
                created_at=event.created_at,
            ),
            now,
        )
        for user_id in sorted(people)
        for channel in sorted(people[user_id].channels(event.kind))
    ]
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    return len(deliveries)


def on_notice_event(sender, instance: NoticeEvent, created: bool, raw: bool = False, **kwargs):
    """post_save receiver: the deliveries in the step's own transaction, so that a step
    rolled back tells no one and a step taken always tells."""
    if created and not raw and notice_event_fan_out(instance):
        transaction.on_commit(deliver_soon)
