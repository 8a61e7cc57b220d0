"""Two dispatchers at once on PostgreSQL, each with its own connection, against a real SMTP
server: every delivery is sent exactly once, however the two share the work."""

import threading
from collections import Counter

import pytest
from django.db import connection

from notifications.dispatch import DispatchResult, dispatch_due
from notifications.models import Delivery
from tests.notify_servers import add_people
from tests.world import build_world
from workflow.models import CaseEvent

pytestmark = pytest.mark.postgres
DELIVERIES = 60


def _pending_mail(w) -> list[int]:
    events = CaseEvent.objects.bulk_create(
        CaseEvent(case_id=w.case.pk, kind="case.reported") for _ in range(DELIVERIES // 2)
    )
    rows = Delivery.objects.bulk_create(
        Delivery(event=event, recipient=user, channel="email", next_attempt_at=event.created_at)
        for event in events
        for user in (w.ban_vhxh, w.thuongtruc)
    )
    return [row.pk for row in rows]


def test_two_dispatchers_at_once_send_each_delivery_exactly_once(transactional_db, smtp):
    ids = _pending_mail(add_people(build_world()))
    smtp.mailbox.delay = 0.005  # slow enough for the two to overlap
    results: list[DispatchResult] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def dispatcher() -> None:
        try:
            start.wait(5)
            results.append(dispatch_due(batch_size=4))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatcher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    received = Counter(mail.delivery_id for mail in smtp.mailbox.received)
    assert sorted(received) == sorted(ids)
    assert set(received.values()) == {1}
    assert len(results) == 2
    assert sum(r.sent for r in results) == len(ids)
    assert set(Delivery.objects.filter(pk__in=ids).values_list("status", "attempts")) == {
        ("sent", 1)
    }
