"""Email through Django's email backend and settings, one connection per batch.

With the SMTP backend each message is written by `mime.message_bytes` and handed to the open
SMTP connection; other backends (console in development, locmem) get a Django message."""

import contextlib
import re
import smtplib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.message import sanitize_address

from notifications.channels.base import ChannelError, Transport
from notifications.channels.mime import message_bytes
from notifications.models import Delivery


class EmailTransport(Transport):
    def __enter__(self) -> "EmailTransport":
        self.backend = get_connection(fail_silently=False)
        self.sender = sanitize_address(settings.DEFAULT_FROM_EMAIL, "utf-8")
        self.envelope_sender = parseaddr(self.sender)[1]
        self.down: ChannelError | None = None  # once the server is unreachable, stop trying
        self._connect()
        return self

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(Exception):  # closing a dead connection may fail too
            self.backend.close()

    def send(self, delivery: Delivery) -> None:
        address = _address(delivery.recipient.email)
        if self.down:
            raise self.down
        if getattr(self.backend, "connection", True) is None:
            self._connect()  # the connection broke on an earlier message: one new try
            if self.down:
                raise self.down
        try:
            self._send(delivery, address)
        except smtplib.SMTPRecipientsRefused as refused:
            codes = [code for code, _ in refused.recipients.values()]
            raise ChannelError(_describe(refused), permanent=min(codes) >= 500) from None
        except smtplib.SMTPResponseException as answer:
            permanent = answer.smtp_code >= 500
            if not permanent:
                self._reset()
            raise ChannelError(_describe(answer), permanent=permanent) from None
        except (smtplib.SMTPException, OSError) as error:
            self._reset()
            raise ChannelError(_describe(error)) from None

    def _send(self, delivery: Delivery, address: str) -> None:
        smtp = getattr(self.backend, "connection", None)
        if isinstance(smtp, smtplib.SMTP):
            _sendmail(smtp, self.envelope_sender, address, self.message_bytes(delivery, address))
        else:
            self.backend.send_messages([self.email(delivery)])

    def message_bytes(self, delivery: Delivery, address: str) -> bytes:
        message = self.message(delivery)
        text, html = self.composer.email_bodies(message)
        return message_bytes(
            sender=self.sender,
            to=address,
            subject=message.subject,
            text=text,
            html=html,
            headers={"X-Dondoc-Delivery": str(delivery.pk)},
        )

    def email(self, delivery: Delivery) -> EmailMultiAlternatives:
        message = self.message(delivery)
        subject, (text, html) = message.subject, self.composer.email_bodies(message)
        email = EmailMultiAlternatives(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[delivery.recipient.email],
            headers={"X-Dondoc-Delivery": str(delivery.pk)},
            connection=self.backend,
        )
        email.attach_alternative(html, "text/html")
        return email

    def _connect(self) -> None:
        try:
            self.backend.open()
        except (smtplib.SMTPException, OSError) as error:
            self.down = ChannelError(_describe(error))
        else:
            self.down = None

    def _reset(self) -> None:
        with contextlib.suppress(Exception):
            self.backend.close()
        if hasattr(self.backend, "connection"):
            self.backend.connection = None


def _sendmail(smtp: smtplib.SMTP, sender: str, address: str, data: bytes) -> None:
    """smtplib's `sendmail` for one recipient whose address is already checked, without
    parsing both addresses again for every message; the same replies, errors and resets."""
    smtp.ehlo_or_helo_if_needed()
    size = f" SIZE={len(data)}" if smtp.has_extn("size") else ""
    code, answer = smtp.docmd("MAIL", f"FROM:<{sender}>{size}")
    if code != 250:
        _abandon(smtp, code)
        raise smtplib.SMTPSenderRefused(code, answer, sender)
    code, answer = smtp.docmd("RCPT", f"TO:<{address}>")
    if code not in (250, 251):
        _abandon(smtp, code)
        raise smtplib.SMTPRecipientsRefused({address: (code, answer)})
    code, answer = smtp.data(data)
    if code != 250:
        _abandon(smtp, code)
        raise smtplib.SMTPDataError(code, answer)


def _abandon(smtp: smtplib.SMTP, code: int) -> None:
    if code == 421:  # the server is closing the connection
        smtp.close()
    else:  # as smtplib does: a reset that fails must not hide the refusal
        with contextlib.suppress(smtplib.SMTPServerDisconnected):
            smtp.rset()


_PLAIN_ADDRESS = re.compile(r"[^\s<>,;\"@]+@[^\s<>,;\"@]+")


def _address(raw: str) -> str:
    """The recipient as SMTP wants it (a non-ASCII domain in punycode), or a permanent error."""
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
