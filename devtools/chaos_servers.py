"""The chaos run's outside world, each in a process of its own (no Django here):

    python -m devtools.chaos_servers smtp PORT LOG      an SMTP sink (aiosmtpd)
    python -m devtools.chaos_servers webhook PORT LOG   a webhook receiver

Each writes one line per message it took, before it answers: the delivery's id and its
Message-ID or Idempotency-Key. The webhook receiver keeps the keys it has seen and counts a
repeat as dropped, as a receiver should. SIGTERM takes the SMTP sink away the way a mail
server stops: it stops listening, lets a message being received end, then exits."""

import asyncio
import email
import email.policy
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

GRACE = 1.0  # seconds the SMTP sink gives a message on the wire before it exits


class Recorder:
    """aiosmtpd handler: writes the line, then answers 250."""

    def __init__(self, log) -> None:
        self.log = log

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.compat32)
        self.log.write(f"{message['X-Dondoc-Delivery']} {message['Message-ID']}\n")
        self.log.flush()
        return "250 Message accepted for delivery"


async def serve_smtp(port: int, path: str) -> None:
    from aiosmtpd.smtp import SMTP

    with open(path, "a", encoding="utf-8") as log:
        handler = Recorder(log)
        loop = asyncio.get_running_loop()
        server = await loop.create_server(
            lambda: SMTP(handler, hostname="chaos.invalid"), "127.0.0.1", port
        )
        stopping = asyncio.Event()
        loop.add_signal_handler(signal.SIGTERM, stopping.set)
        print("ready", flush=True)
        await stopping.wait()
        server.close()
        await asyncio.sleep(GRACE)


class _Hook(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        key, delivery = self.headers["Idempotency-Key"], self.headers["X-Dondoc-Delivery"]
        with self.server.lock:
            seen = key in self.server.seen
            self.server.seen.add(key)
            self.server.log.write(f"{delivery} {key} {'dropped' if seen else 'new'}\n")
            self.server.log.flush()
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def serve_webhook(port: int, path: str) -> None:
    with open(path, "a", encoding="utf-8") as log:
        server = ThreadingHTTPServer(("127.0.0.1", port), _Hook)
        server.log, server.seen, server.lock = log, set(), threading.Lock()
        signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
        print("ready", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    kind, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if kind == "smtp":
        asyncio.run(serve_smtp(port, path))
    else:
        serve_webhook(port, path)
