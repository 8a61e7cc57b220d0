"""Dispatch N pending email deliveries to a local SMTP sink with the project's dispatcher,
then send the same messages with a bare smtplib loop over one connection, and print both
throughputs and their ratio. Cleans up after itself."""

import smtplib
import time
from email.utils import parseaddr

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.test.utils import override_settings

from devtools import bench_notify as bench
from notifications.channels.email import EmailTransport
from notifications.dispatch import BATCH_SIZE, dispatch_due, with_context
from notifications.messages import Composer
from notifications.models import Delivery


class Command(BaseCommand):
    help = "Đo tốc độ gửi thư thông báo / Benchmark the email dispatcher against bare smtplib."
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--deliveries", type=int, default=10000)
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument("--rounds", type=int, default=20)

    def handle(self, *args, deliveries: int, batch_size: int, rounds: int, **options) -> None:
        try:
            import aiosmtpd  # noqa: F401
        except ImportError:
            message = "bench_notifications needs aiosmtpd: pip install -e '.[test]'"
            raise CommandError(message) from None
        bench.drop()
        with bench.smtp_sink() as port, override_settings(**_smtp_settings(port)):
            due_times = bench.build(deliveries, rounds=rounds)
            try:
                dispatched, dispatcher_seconds, bare_seconds = 0, 0.0, 0.0
                for due in due_times:  # the two take turns, so a busy machine slows both
                    # Only this round's bench rows are due at exactly `due`.
                    scope = Q(next_attempt_at=due)
                    messages = _rendered(scope)
                    sent, seconds = self._dispatch(due, scope, batch_size)
                    dispatched, dispatcher_seconds = dispatched + sent, dispatcher_seconds + seconds
                    bare_seconds += _bare_loop(port, messages)
            finally:
                bench.drop()
        if dispatched != deliveries:
            raise CommandError(f"the dispatcher sent {dispatched} of {deliveries}")
        self._report(deliveries, batch_size, dispatcher_seconds, bare_seconds)

    def _dispatch(self, due, scope: Q, batch_size: int) -> tuple[int, float]:
        started = time.perf_counter()
        result = dispatch_due(now=due, batch_size=batch_size, scope=scope)
        return result.sent, time.perf_counter() - started

    def _report(self, n: int, batch_size: int, dispatcher: float, bare: float) -> None:
        fast, slow = n / dispatcher, n / bare
        self.stdout.write(f"deliveries: {n}, dispatcher batches of {batch_size}")
        self.stdout.write(
            f"dispatcher (claim, render, send, record): {dispatcher:7.2f} s = {fast:7.0f} msg/s"
        )
        self.stdout.write(
            f"bare smtplib loop (same messages, 1 conn): {bare:7.2f} s = {slow:7.0f} msg/s"
        )
        self.stdout.write(f"ratio dispatcher / bare loop: {fast / slow:.2f} (aim: at least 0.70)")


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


def _rendered(scope: Q) -> list[tuple[str, bytes]]:
    """The very messages the dispatcher will send, rendered beforehand for the bare loop."""
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
