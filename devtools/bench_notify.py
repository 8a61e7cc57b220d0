"""Synthetic deliveries for the notification benchmark, local SMTP sinks to send them to,
and dispatchers run in processes of their own.

The benchmark builds them in a scratch database of its own (devtools/scratch.py), on a world
from devtools/synthetic.py."""

import datetime
import multiprocessing
import socket
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager

from django.contrib.auth.models import User
from django.db import connections, transaction
from django.db.models import Q
from django.test.utils import override_settings

from devtools import synthetic
from notifications.dispatch import dispatch_due
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


def requeue(parts: int) -> list[datetime.datetime]:
    """Every bench delivery pending again, split in id order into `parts` parts due at
    distinct times (after those of `build`); returns those times."""
    ids = list(_bench_deliveries().order_by("id").values_list("id", flat=True))
    due_times = [DUE_AT + datetime.timedelta(days=1, seconds=p) for p in range(parts)]
    size = -(-len(ids) // parts)
    for part, due in enumerate(due_times):
        _bench_deliveries().filter(id__in=ids[part * size : (part + 1) * size]).update(
            status=Delivery.Status.PENDING,
            attempts=0,
            sent_at=None,
            handed_at=None,
            next_attempt_at=due,
        )
    return due_times


def _bench_deliveries():
    return Delivery.objects.filter(recipient__username__startswith=f"{BENCH_CODE}-")


def run_dispatchers(due: datetime.datetime, batch_size: int, ports: list[int]) -> tuple[int, float]:
    """One dispatcher per SMTP port, each in its own process with its own database
    connection, sends the deliveries due at `due`; returns how many they sent and the
    seconds from their common start to the last one's end. The processes are forked, so
    they share this process's settings (the test database among them)."""
    if connections["default"].in_atomic_block:
        raise RuntimeError(
            "dispatcher processes see only committed rows: run outside a transaction"
        )
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(len(ports) + 1), context.Queue()
    connections.close_all()  # a child must not share the parent's socket
    workers = [
        context.Process(target=_dispatcher, args=(start, results, due, batch_size, port))
        for port in ports
    ]
    for worker in workers:
        worker.start()
    start.wait(60)
    started = time.perf_counter()
    ends = [results.get(timeout=600) for _ in workers]
    for worker in workers:
        worker.join(60)
    if any(worker.exitcode for worker in workers) or any(end is None for end in ends):
        raise RuntimeError("a bench dispatcher failed")
    return sum(sent for sent, _ in ends), max(end for _, end in ends) - started


def _dispatcher(start, results, due: datetime.datetime, batch_size: int, port: int) -> None:
    try:
        connections["default"].ensure_connection()
        start.wait(60)
        with override_settings(EMAIL_PORT=port):
            result = dispatch_due(now=due, batch_size=batch_size, scope=Q(next_attempt_at=due))
        results.put((result.sent, time.perf_counter()))
    except BaseException:
        results.put(None)
        raise
    finally:
        connections.close_all()


@contextmanager
def smtp_sinks(count: int):
    """`count` local aiosmtpd servers that accept and discard everything, each in its own
    process; yields their ports. A real mail server serves each connection in a process of
    its own (Postfix's smtpd), so each dispatcher gets a sink of its own: one aiosmtpd
    process, a single asyncio loop, would make two dispatchers wait on each other."""
    with ExitStack() as stack:
        yield [stack.enter_context(_smtp_sink()) for _ in range(count)]


@contextmanager
def _smtp_sink():
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
