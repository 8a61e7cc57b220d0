"""Django's SMTP backend with one hook: `before_end_of_data`, called once the message's whole
content is on the wire and before the "." that ends the DATA (and makes the server take the
message). The email channel writes its send log there (notifications/sendlog.py). If the hook
raises, the connection is dropped, so the server discards the unfinished message."""

import smtplib
from collections.abc import Callable

from django.core.mail.backends import smtp

DJANGO_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
BACKEND = "notifications.channels.smtp.EmailBackend"
_CRLF = b"\r\n"


class _EndOfDataHook:
    before_end_of_data: Callable[[], None] | None = None

    def data(self, msg):
        """smtplib's DATA, with the hook before the final "."."""
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        if isinstance(msg, str):
            msg = smtplib._fix_eols(msg).encode("ascii")
        content = smtplib._quote_periods(msg)
        self.send(content if content.endswith(_CRLF) else content + _CRLF)
        if self.before_end_of_data is not None:
            try:
                self.before_end_of_data()
            except BaseException:
                self.close()  # the server drops what it had; the message was never sent
                raise
        self.send(b"." + _CRLF)
        return self.getreply()


class LoggedSMTP(_EndOfDataHook, smtplib.SMTP):
    pass


class LoggedSMTP_SSL(_EndOfDataHook, smtplib.SMTP_SSL):
    pass


class EmailBackend(smtp.EmailBackend):
    """Configured exactly as Django's (EMAIL_HOST, EMAIL_PORT, …); `set_hook` chooses what
    runs before the end of each DATA, on this connection and any it opens again."""

    hook: Callable[[], None] | None = None

    @property
    def connection_class(self):
        return LoggedSMTP_SSL if self.use_ssl else LoggedSMTP

    def open(self) -> bool | None:
        opened = super().open()
        if self.connection is not None:
            self.connection.before_end_of_data = self._before_end_of_data
        return opened

    def set_hook(self, hook: Callable[[], None] | None) -> None:
        self.hook = hook

    def _before_end_of_data(self) -> None:
        if self.hook is not None:
            self.hook()
