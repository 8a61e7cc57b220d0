"""The load test's clients: each a keep-alive HTTP connection with a token, doing in a loop
what a department or a committee does (list, view, start, report, close, return), and the
trivial authenticated endpoint (/api/v1/me/) the others are measured against."""

import http.client
import json
import random
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import partial

from devtools.loadtest.world import Caller
from workflow.models import EventKind

TRANSITIONS = {
    "start": EventKind.STARTED,
    "report": EventKind.REPORTED,
    "close": EventKind.CLOSED,
    "return": EventKind.RETURNED,
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Tally:
    """One client's measurements: latencies by operation, statuses, accepted transitions."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    accepted: Counter = field(default_factory=Counter)  # (case id, event kind)
    errors: list[str] = field(default_factory=list)

    def merge(self, other: "Tally") -> None:
        for name, values in other.latencies.items():
            self.latencies[name] += values
        self.statuses.update(other.statuses)
        self.accepted.update(other.accepted)
        self.errors += other.errors


class Client:
    """One keep-alive HTTP connection with a token."""

    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, path: str) -> tuple[int, dict]:
        return self._send("GET", path)

    def post(self, path: str, body: dict) -> tuple[int, dict]:
        return self._send("POST", path, json.dumps(body).encode(), "application/json")

    def post_file(self, path: str, fields: dict, name: str, content: bytes) -> tuple[int, dict]:
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
            for key, value in fields.items()
        ]
        body = (
            "".join(parts).encode()
            + (
                f'--{boundary}\r\nContent-Disposition: form-data; name="evidence"; '
                f'filename="{name}"\r\nContent-Type: application/pdf\r\n\r\n'
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self._send("POST", path, body, f"multipart/form-data; boundary={boundary}")

    def _send(self, method, path, body=None, content_type=None) -> tuple[int, dict]:
        headers = {"Authorization": f"Token {self.token}", "Accept": "application/json"}
        if content_type:
            headers["Content-Type"] = content_type
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            payload = response.read()
        except (http.client.HTTPException, OSError):
            self.connection.close()  # reconnect next time; the caller counts the error
            raise
        is_json = response.getheader("Content-Type", "").startswith("application/json")
        return response.status, json.loads(payload) if is_json and payload else {}


def client_loop(caller: Caller, port: int, until: float, seed_value: int) -> Tally:
    client, tally = Client(port, caller.token), Tally()
    chooser = random.Random(seed_value)
    while time.monotonic() < until:
        try:
            _one_round(client, caller, tally, chooser)
        except (http.client.HTTPException, OSError, ValueError) as error:
            tally.errors.append(f"{type(error).__name__}: {error}")
    return tally


def _timed(tally: Tally, name: str, call) -> tuple[int, dict]:
    started = time.perf_counter()
    status, body = call()
    tally.latencies[name].append(time.perf_counter() - started)
    tally.statuses[(name, status)] += 1
    return status, body


def _one_round(client: Client, caller: Caller, tally: Tally, chooser: random.Random) -> None:
    """What one person does: look at the list, open a case, act on it; and the baseline, after
    the list: right after a transition it would run beside the nudge's thread, which starts
    once the transition has answered (notifications/background.py), and measure that."""
    states = ["assigned", "in_progress"] if caller.kind == "agency" else ["reported"]
    query = f"{caller.kind}={caller.code}&state={chooser.choice(states)}&page_size=20"
    status, page = _timed(tally, "list", lambda: client.get(f"/api/v1/cases/?{query}"))
    _timed(tally, "me", lambda: client.get("/api/v1/me/"))
    if status == 200 and page["results"]:
        case_id = chooser.choice(page["results"])["id"]
        status, case = _timed(tally, "view", lambda: client.get(f"/api/v1/cases/{case_id}/"))
        if status == 200:
            _act(client, caller, tally, chooser, case)


MOVE_BODIES = {
    "start": {},
    "report": {"text": "Đã thực hiện xong.", "letter_number": "12/BC-TT"},
    "return": {"reason": "Cần bổ sung số liệu."},
    "close": {"outcome": "implemented"},
}


def _next_move(caller: Caller, state: str, chooser: random.Random) -> str | None:
    """The move this person makes on a case in `state` (None if it is not theirs to make:
    someone else moved it since the list was read)."""
    if caller.kind == "committee":
        if state != "reported":
            return None
        return "return" if chooser.random() < 0.1 else "close"
    return {"assigned": "start", "in_progress": "report"}.get(state)


def _act(client: Client, caller: Caller, tally: Tally, chooser: random.Random, case: dict) -> None:
    name = _next_move(caller, case["state"], chooser)
    if name is None:
        return
    path, body = f"/api/v1/cases/{case['id']}/{name}/", MOVE_BODIES[name]
    if name == "report" and chooser.random() < 0.25:  # one report in four carries a file
        call = partial(client.post_file, path, body, "minh-chung.pdf", PDF)
    else:
        call = partial(client.post, path, body)
    status, _body = _timed(tally, name, call)
    if status == 200:
        tally.accepted[(case["id"], TRANSITIONS[name])] += 1


def run_clients(callers: list[Caller], *, clients: int, port: int, seconds: float) -> Tally:
    agency = [s for s in callers if s.kind == "agency"]
    committee = [s for s in callers if s.kind == "committee"]
    # Three clients in four act for agencies, one in four for committees.
    chosen = [
        committee[i // 4 % len(committee)] if i % 4 == 3 else agency[i % len(agency)]
        for i in range(clients)
    ]
    until = time.monotonic() + seconds
    results: list[Tally] = [Tally() for _ in chosen]

    def work(index: int) -> None:
        results[index] = client_loop(chosen[index], port, until, index)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    total = Tally()
    for tally in results:
        total.merge(tally)
    return total
