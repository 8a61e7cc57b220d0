"""Synthetic deliveries for the notification benchmark, and a local SMTP sink to send them to.

The benchmark builds them in a scratch database of its own (devtools/scratch.py), on a world
from devtools/synthetic.py."""

import datetime
import socket
import subprocess
import sys
import time
from contextlib import contextmanager

from django.contrib.auth.models import User
from django.db import transaction

from devtools import synthetic
from notifications.models import Channel, Delivery, FannedEvent
from workflow.models import CaseEvent, EventKind

BENCH_CODE = "bench-notif"
PEOPLE_PER_EVENT = 5
# Far ahead, so that a worker running meanwhile never takes a bench delivery.
DUE_AT = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)


@transaction.atomic
def build(deliveries: int, *, rounds: int = 1) -> list[datetime.datetime]:
    """`deliveries` pending emails to as many people, about one case's events, each event
    told to PEOPLE_PER_EVENT of them (a committee's members, say). They are split into
    `rounds` parts due at distinct times far ahead; returns those times."""
    [case] = synthetic.open_cases(synthetic.build_world(), 1)
    events = CaseEvent.objects.bulk_create(
        CaseEvent(case=case, kind=EventKind.REPORTED, note=f"Báo cáo lần {i}")
        for i in range(-(-deliveries // PEOPLE_PER_EVENT))
    )
    # Their deliveries are the ones below, no others.
    FannedEvent.objects.bulk_create(FannedEvent(event=event) for event in events)
    users = User.objects.bulk_create(
        (
            User(
                username=f"{BENCH_CODE}-{i}",
                email=f"nguoi-nhan-{i}@bench.invalid",
                first_name="Người nhận",
                last_name=str(i),
                password="!",
            )
            for i in range(deliveries)
        ),
        batch_size=2000,
    )
    due_times = [DUE_AT + datetime.timedelta(seconds=r) for r in range(max(rounds, 1))]
    Delivery.objects.bulk_create(
        (
            Delivery(
                event=events[i // PEOPLE_PER_EVENT],
                recipient=user,
                channel=Channel.EMAIL,
                next_attempt_at=due_times[i * len(due_times) // deliveries],
            )
            for i, user in enumerate(users)
        ),
        batch_size=2000,
    )
    return due_times


@contextmanager
def smtp_sink():
    """A local aiosmtpd server that accepts and discards everything, in its own process as
    a real mail server would be; yields its port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink"]
    sink = subprocess.Popen(
        [*command, "-l", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port)
        yield port
    finally:
        sink.terminate()
        sink.wait(10)


def _wait_for(port: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the SMTP sink did not start on port {port}")
