"""Two figures for the email dispatcher, on a local SMTP sink (a real aiosmtpd server in its
own process), with N synthetic pending deliveries:
(a) one dispatcher against a bare smtplib loop sending the very same messages over one
    connection, already built (so the gap is the dispatcher's whole cost: claiming,
    rendering, building each message with Django, recording);
(b) two dispatchers, each in its own process, against one, on PostgreSQL (each dispatcher
    talks to a sink process of its own, as each connection to a real mail server would).
Prints both throughputs and the ratio of each. In a scratch database of its own
(devtools/scratch.py)."""

import smtplib
import time
from email.utils import parseaddr

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Q
from django.test.utils import override_settings

from devtools import bench_notify as bench
from devtools.scratch import ScratchCommand
from notifications.channels.email import EmailTransport
from notifications.dispatch import BATCH_SIZE, dispatch_due, with_context
from notifications.messages import Composer
from notifications.models import Delivery

PROCESS_ROUNDS = 2  # (b) alternates one and two dispatchers this many times
BATCHES_PER_DISPATCHER = 10  # (b) uses batches small enough for two to share the work


class Command(ScratchCommand):
    help = (
        "Đo tốc độ gửi thư thông báo / Benchmark the email dispatcher against bare smtplib, "
        "and two dispatcher processes against one."
    )
    needs_postgresql = False  # figure (b) is skipped on SQLite

    def add_work_arguments(self, parser) -> None:
        parser.add_argument("--deliveries", type=int, default=10000)
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument("--rounds", type=int, default=20)

    def check_options(self, **options) -> None:
        try:
            import aiosmtpd  # noqa: F401
        except ImportError:
            message = "bench_notifications needs aiosmtpd: pip install -e '.[test]'"
            raise CommandError(message) from None

    def work(self, *, deliveries: int, batch_size: int, rounds: int) -> None:
        with bench.smtp_sinks(2) as ports, override_settings(**_smtp_settings(ports[0])):
            due_times = bench.build(deliveries, rounds=rounds)
            against_loop = self._against_bare_loop(due_times, ports[0], batch_size, deliveries)
            processes = self._two_against_one(deliveries, batch_size, ports)
        self.stdout.write(f"deliveries: {deliveries}, dispatcher batches of {batch_size}")
        self._report_against_loop(deliveries, *against_loop)
        self._report_processes(deliveries, processes)

    def _against_bare_loop(
        self, due_times, port: int, batch_size: int, deliveries: int
    ) -> tuple[float, float, float]:
        dispatched, dispatcher, bare, building = 0, 0.0, 0.0, 0.0
        for due in due_times:  # the two take turns, so a busy machine slows both
            scope = Q(next_attempt_at=due)  # only this round's bench rows are due at `due`
            started = time.perf_counter()
            messages = _built(scope)
            building += time.perf_counter() - started
            started = time.perf_counter()
            dispatched += dispatch_due(now=due, batch_size=batch_size, scope=scope).sent
            dispatcher += time.perf_counter() - started
            bare += _bare_loop(port, messages)
        _check(dispatched, deliveries, "the dispatcher")
        return dispatcher, bare, building

    def _two_against_one(self, deliveries: int, batch_size: int, ports: list[int]) -> tuple | None:
        if connection.vendor != "postgresql":
            return None
        due_times = bench.requeue(parts=2 * PROCESS_ROUNDS)
        part = -(-deliveries // len(due_times))
        batch = max(1, min(batch_size, part // (2 * BATCHES_PER_DISPATCHER)))
        sent, seconds = {1: 0, 2: 0}, {1: 0.0, 2: 0.0}
        for index, due in enumerate(due_times):  # one, two, one, two: a busy machine slows both
            count = 1 + index % 2
            done, took = bench.run_dispatchers(due, batch, ports[:count])
            sent[count], seconds[count] = sent[count] + done, seconds[count] + took
        _check(sent[1] + sent[2], deliveries, "the dispatcher processes")
        return batch, sent, seconds

    def _report_against_loop(self, n: int, dispatcher: float, bare: float, building: float) -> None:
        fast, slow = n / dispatcher, n / bare
        self.stdout.write(
            f"dispatcher (claim, render, send, record): {dispatcher:7.2f} s = {fast:7.0f} msg/s"
        )
        self.stdout.write(
            f"bare smtplib loop (same messages, 1 conn): {bare:7.2f} s = {slow:7.0f} msg/s"
        )
        self.stdout.write(
            f"  building the messages with Django, apart: {building:6.2f} s"
            f" = {building / n * 1000:.2f} ms a message"
        )
        self.stdout.write(f"ratio dispatcher / bare loop: {fast / slow:.2f}")

    def _report_processes(self, n: int, processes: tuple | None) -> None:
        if processes is None:
            self.stdout.write("two dispatchers against one: needs PostgreSQL, not measured")
            return
        batch, sent, seconds = processes
        rates = {count: sent[count] / seconds[count] for count in (1, 2)}
        for count, label in ((1, "one dispatcher process:  "), (2, "two dispatcher processes:")):
            self.stdout.write(
                f"{label} {sent[count]:6d} in {seconds[count]:7.2f} s = {rates[count]:7.0f} msg/s"
                f" (batches of {batch})"
            )
        self.stdout.write(f"ratio two dispatchers / one: {rates[2] / rates[1]:.2f} (aim: 1.70)")


def _check(sent: int, expected: int, who: str) -> None:
    if sent != expected:
        raise CommandError(f"{who} sent {sent} of {expected}")


def _smtp_settings(port: int) -> dict:
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
    }


def _built(scope: Q) -> list[tuple[str, bytes]]:
    """The very messages the dispatcher will send, built beforehand for the bare loop."""
    deliveries = with_context(Delivery.objects.filter(scope).order_by("id"))
    messages = []
    with EmailTransport(Composer()) as transport:
        for delivery in deliveries:
            email = transport.email(delivery)
            messages.append((email.to[0], email.message().as_bytes(linesep="\r\n")))
    return messages


def _bare_loop(port: int, messages: list[tuple[str, bytes]]) -> float:
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as connection:
        for to, message in messages:
            connection.sendmail(sender, [to], message)
    return time.perf_counter() - started
