"""django-q2 entry points; each calls a service and returns a summary for the task log."""

from dataclasses import asdict

from notifications.digests import digests_create
from notifications.dispatch import dispatch_due
from notifications.fanout import fan_out_pending

# A run stops taking new batches after this long, before the next minute's run starts.
DISPATCH_BUDGET_SECONDS = 50


def deliver_notifications() -> dict:
    events = fan_out_pending()
    result = dispatch_due(time_budget=DISPATCH_BUDGET_SECONDS)
    return {"events": events, **asdict(result)}


def send_digests() -> dict:
    return {"digests": digests_create()}
