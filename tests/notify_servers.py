"""Real servers on localhost for the notification tests, and the people who receive mail.

`smtp`: an aiosmtpd server that can be stopped and started again on the same port and told
to refuse addresses with 550 or 450; it keeps every message it accepted. `webhook_server`: an
http.server in a thread that keeps every POST and answers with a status the test chooses.
`told_so_far`: the world's past marked as told, so that a nudge tells only what a test does.
(`committed`, `move` and `start_and_report`, what a user does, committed: tests/helpers.py.)"""

import asyncio
import email
import email.policy
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import User

from conclusions.models import Membership
from notifications.models import FannedEvent
from tests.helpers import free_port
from workflow.models import CaseEvent

SITE = "https://dondoc.haugiang.gov.vn"


@dataclass
class Received:
    peer: tuple  # the client's address: one per SMTP connection
    rcpt_tos: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        # Django folds an encoded subject onto its own line; the parser keeps the fold's space.
        return str(self.message["Subject"]).strip()

    @property
    def delivery_id(self) -> int:
        return int(self.message["X-Dondoc-Delivery"])

    def body(self, subtype: str = "plain") -> str:
        return self.message.get_body(preferencelist=(subtype,)).get_content()


class Mailbox:
    """The aiosmtpd handler: accepts mail, refuses the addresses in `refuse` with 550 (for
    good) and those in `busy` with 450 (for now)."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.refuse: set[str] = set()
        self.busy: set[str] = set()
        self.delay = 0.0  # seconds spent on each message, to make senders overlap
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        if address in self.busy:
            return "450 4.2.1 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._lock:
            self.received.append(Received(session.peer, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]


class SmtpServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.mailbox = Mailbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(settings):
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Đôn đốc <khong-tra-loi@haugiang.gov.vn>"
    settings.SITE_URL = SITE
    yield server
    server.stop()


class _Hook(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((dict(self.headers), body))
        self.send_response(self.server.status)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def webhook_server(settings):
    settings.SITE_URL = SITE
    settings.DONDOC_WEBHOOK_TIMEOUT = 5
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    server.received, server.status = [], 200
    server.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def payloads(server) -> list[dict]:
    return [json.loads(body) for _, body in server.received]


def add_people(w):
    """Give the world's people email addresses, and add the heads the ladder asks for: the
    director of the lead agency and the chair of the accountable People's Committee."""
    for user in User.objects.all():
        user.email = f"{user.username}@haugiang.gov.vn"
        user.save(update_fields=["email"])
    R = Membership.Role
    w.giamdoc = _seat("giamdoc_ldtbxh", R.AGENCY_OFFICER, w.council, agency=w.ldtbxh, head=True)
    w.chutich = _seat("chutich_ubnd", R.AGENCY_OFFICER, w.council, agency=w.ubnd, head=True)
    w.chuyenvien_ubnd = _seat("chuyenvien_ubnd", R.AGENCY_OFFICER, w.council, agency=w.ubnd)
    for name in ("thuongtruc", "vanphong", "ban_vhxh", "ban_ktns", "so_ldtbxh", "so_khdt"):
        setattr(w, name, User.objects.get(username=name))
    return w


def _seat(username, role, council, *, agency=None, committee=None, head=False) -> User:
    user = User.objects.create_user(
        username, email=f"{username}@haugiang.gov.vn", password="demo", first_name=username
    )
    Membership.objects.create(
        user=user, role=role, council=council, agency=agency, committee=committee, is_head=head
    )
    return user


def told_so_far(w):
    """The world's past is old news: its events were fanned out long before the test (their
    messages are none of its business), so a nudge tells only what the test does."""
    FannedEvent.objects.bulk_create(FannedEvent(event=event) for event in CaseEvent.objects.all())
    return w
