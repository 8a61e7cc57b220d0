"""Email through Django's email machinery: an `EmailMultiAlternatives` (plain text and an
HTML alternative) per delivery, all of a batch sent over one connection of the configured
backend (SMTP in production, the console in development).

The connection is opened once when the batch starts and each message is handed to it on its
own, so that one refused address fails only its own delivery. SMTP replies decide what a
failure is: a 5xx refusal is permanent (the delivery is dead), anything else is temporary
(retried later). A broken connection is opened again once; if the server cannot be reached,
the rest of the batch fails at once with the same temporary error.

Each message is logged in the send log, which sends the end of its DATA (Django's SMTP backend
with a hook, channels/smtp.py; notifications/sendlog.py says why), and carries a Message-ID
made from the delivery, the same on every attempt."""

import contextlib
import functools
import re
import smtplib
import uuid
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.message import sanitize_address

from notifications.channels import smtp
from notifications.channels.base import ChannelError, Transport
from notifications.models import Delivery
from notifications.sendlog import delivery_hand_back, delivery_hand_over, idempotency_key


class NotificationEmail(EmailMultiAlternatives):
    """Django's message with its MIME boundary chosen up front. Left to itself, Python's
    email generator draws a boundary and compiles a new regular expression to check the
    text against it, for every message; that evicts everything else from the `re` cache and
    doubles the cost of building a message. Our text will not contain a random UUID."""

    def message(self):
        message = super().message()
        if message.is_multipart():
            message.set_boundary(f"=_dondoc_{uuid.uuid4().hex}")
        return message


class EmailTransport(Transport):
    def __enter__(self) -> "EmailTransport":
        backend = settings.EMAIL_BACKEND
        if backend == smtp.DJANGO_SMTP_BACKEND:
            backend = smtp.BACKEND  # the same, with the send log's hook
        self.connection = get_connection(backend, fail_silently=False)
        self.down: ChannelError | None = None  # once the server is unreachable, stop trying
        self._open()
        return self

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(Exception):  # closing a dead connection may fail too
            self.connection.close()

    def send(self, delivery: Delivery) -> None:
        email = self.email(delivery)
        if self.down is None and _is_closed(self.connection):
            self._open()  # the connection broke on an earlier message: one new try
        if self.down:
            raise self.down
        try:
            self._send_logged(email, delivery)
        except ChannelError:  # the claim was lost: the message was dropped before its end
            self._close()
            raise
        except smtplib.SMTPRecipientsRefused as refused:
            codes = [code for code, _ in refused.recipients.values()]
            raise ChannelError(_describe(refused), permanent=min(codes) >= 500) from None
        except smtplib.SMTPResponseException as answer:
            permanent = answer.smtp_code >= 500
            if not permanent:
                self._close()
            raise ChannelError(_describe(answer), permanent=permanent) from None
        except (smtplib.SMTPException, OSError) as error:
            self._close()
            raise ChannelError(_describe(error)) from None

    def email(self, delivery: Delivery) -> NotificationEmail:
        """The message for one delivery: subject, a plain-text body, an HTML alternative."""
        address = _address(delivery.recipient.email)
        message = self.message(delivery)
        text, html = self.composer.email_bodies(message)
        email = NotificationEmail(
            subject=message.subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            headers={"X-Dondoc-Delivery": str(delivery.pk), "Message-ID": message_id(delivery)},
            connection=self.connection,
        )
        email.attach_alternative(html, "text/html")
        return email

    def _send_logged(self, email: NotificationEmail, delivery: Delivery) -> None:
        if not isinstance(self.connection, smtp.EmailBackend):  # console, files, memory
            delivery_hand_over(delivery)
            self.connection.send_messages([email])
            return
        handed = []
        self.connection.set_hook(lambda end: handed.append(delivery_hand_over(delivery, end)))
        try:
            self.connection.send_messages([email])
        except (smtplib.SMTPException, OSError):
            if handed:
                delivery_hand_back(delivery)
            raise
        finally:
            self.connection.set_hook(None)

    def _open(self) -> None:
        try:
            self.connection.open()
        except (smtplib.SMTPException, OSError) as error:
            self.down = ChannelError(_describe(error))

    def _close(self) -> None:
        with contextlib.suppress(Exception):  # Django's close forgets the connection anyway
            self.connection.close()


def _is_closed(connection) -> bool:
    """Whether an SMTP backend has lost its connection; other backends never do."""
    return getattr(connection, "connection", True) is None


def message_id(delivery: Delivery) -> str:
    return f"<{idempotency_key(delivery)}@{_domain(settings.DEFAULT_FROM_EMAIL)}>"


@functools.cache
def _domain(sender: str) -> str:
    return parseaddr(sender)[1].rpartition("@")[2] or "localhost"


_PLAIN_ADDRESS = re.compile(r"[^\s<>,;\"@]+@[^\s<>,;\"@]+")


def _address(raw: str) -> str:
    """The recipient's address as it will be sent, or a permanent error if there is none."""
    if not raw:
        raise ChannelError("Người nhận không có địa chỉ thư điện tử.", permanent=True)
    if raw.isascii() and _PLAIN_ADDRESS.fullmatch(raw):
        return raw  # the usual case, without the cost of parsing
    try:
        address = sanitize_address(raw, "utf-8")
    except ValueError as error:
        raise ChannelError(f"Địa chỉ thư không hợp lệ: {error}", permanent=True) from None
    return parseaddr(address)[1] or address


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]
