"""Django's SMTP backend with one hook: `end_of_data`, called once the message's whole content
is on the wire, with the function that sends the "." that ends the DATA (and makes the server
take the message). The email channel writes its send log there and sends the "." itself
(notifications/sendlog.py). If the hook raises before sending it, the connection is dropped,
so the server discards the unfinished message."""

import smtplib
from collections.abc import Callable

from django.core.mail.backends import smtp

DJANGO_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
BACKEND = "notifications.channels.smtp.EmailBackend"
_CRLF = b"\r\n"


class _EndOfDataHook:
    end_of_data: Callable[[Callable[[], None]], None] | None = None

    def data(self, msg):
        """smtplib's DATA, with the hook sending the final "."."""
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        if isinstance(msg, str):
            msg = smtplib._fix_eols(msg).encode("ascii")
        content = smtplib._quote_periods(msg)
        self.send(content if content.endswith(_CRLF) else content + _CRLF)
        try:
            (self.end_of_data or _send_at_once)(lambda: self.send(b"." + _CRLF))
        except BaseException:
            self.close()  # before the ".", the server drops what it had: never sent
            raise
        return self.getreply()


def _send_at_once(send_end: Callable[[], None]) -> None:
    send_end()


class LoggedSMTP(_EndOfDataHook, smtplib.SMTP):
    pass


class LoggedSMTP_SSL(_EndOfDataHook, smtplib.SMTP_SSL):
    pass


class EmailBackend(smtp.EmailBackend):
    """Configured exactly as Django's (EMAIL_HOST, EMAIL_PORT, …); `set_hook` chooses what
    ends each DATA, on this connection and any it opens again."""

    hook: Callable[[Callable[[], None]], None] | None = None

    @property
    def connection_class(self):
        return LoggedSMTP_SSL if self.use_ssl else LoggedSMTP

    def open(self) -> bool | None:
        opened = super().open()
        if self.connection is not None:
            self.connection.end_of_data = self._end_of_data
        return opened

    def set_hook(self, hook: Callable[[Callable[[], None]], None] | None) -> None:
        self.hook = hook

    def _end_of_data(self, send_end: Callable[[], None]) -> None:
        (self.hook or _send_at_once)(send_end)
