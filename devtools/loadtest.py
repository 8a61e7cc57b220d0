"""The API under load: gunicorn on PostgreSQL, many clients with tokens doing what agencies
and committees do (list, view, start, report, close, return), and a trivial authenticated
endpoint (/api/v1/me/) measured in the same run as the baseline. Local only.

Afterwards every accepted transition is checked against the database: one event each,
and each case's final state is the one its accepted transitions lead to."""

import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.authtoken.models import Token

from conclusions.models import Agency, Committee, Council, Membership, SourceKind
from conclusions.services import RecommendationInput, notice_register
from workflow.models import EventKind
from workflow.services import notice_issue

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
CODE = "load"
AGENCIES, COMMITTEES = 8, 4
OFFICERS_PER_AGENCY, MEMBERS_PER_COMMITTEE = 3, 2
PER_NOTICE = 100
TRANSITIONS = {
    "start": EventKind.STARTED,
    "report": EventKind.REPORTED,
    "close": EventKind.CLOSED,
    "return": EventKind.RETURNED,
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass(frozen=True)
class Seat:
    token: str
    kind: str  # "agency" or "committee"
    code: str


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


# ------------------------------------------------------------------ the data


def seed(*, cases: int) -> list[Seat]:
    """A council with agencies, committees and their people (each with a token), and
    `cases` cases opened through the services; returns who the clients may be."""
    council = Council.objects.create(
        code=CODE, name="HĐND tỉnh (thử tải)", level=Council.Level.PROVINCE, place="Thử tải"
    )
    agencies = [
        Agency.objects.create(
            council=council, code=f"{CODE}-so-{i}", name=f"Sở thử tải {i}", kind="department"
        )
        for i in range(1, AGENCIES + 1)
    ]
    committees = [
        Committee.objects.create(
            council=council, code=f"{CODE}-ban-{i}", name=f"Ban thử tải {i}", kind="legal"
        )
        for i in range(1, COMMITTEES + 1)
    ]
    seats = [
        *_seats(council, agencies, OFFICERS_PER_AGENCY, Membership.Role.AGENCY_OFFICER),
        *_seats(council, committees, MEMBERS_PER_COMMITTEE, Membership.Role.COMMITTEE_MEMBER),
    ]
    _open_cases(council, agencies, committees, cases)
    return seats


def _seats(council, bodies, per_body: int, role: str) -> list[Seat]:
    kind = "agency" if role == Membership.Role.AGENCY_OFFICER else "committee"
    seats = []
    for body in bodies:
        for n in range(per_body):
            user = User.objects.create_user(f"{body.code}-{n}", password=uuid.uuid4().hex)
            Membership.objects.create(user=user, role=role, council=council, **{kind: body})
            seats.append(Seat(Token.objects.create(user=user).key, kind, body.code))
    return seats


def _open_cases(council, agencies, committees, cases: int) -> None:
    today = timezone.localdate()
    for first in range(0, cases, PER_NOTICE):
        items = [
            RecommendationInput(
                anchor=f"{i + 1}",
                text=f"Kiến nghị thử tải số {i + 1}.",
                lead_agency_codes=[agencies[i % AGENCIES].code],
                tracking_committee=committees[i % COMMITTEES],
                deadline_spec={"working_days": 30},
            )
            for i in range(first, min(first + PER_NOTICE, cases))
        ]
        notice = notice_register(
            council=council,
            number=f"{first // PER_NOTICE + 1}/TB-TT",
            issue_date=today,
            title="Thông báo thử tải",
            source_kind=SourceKind.THEMATIC_SUPERVISION,
            tracking_committee=committees[0],
            recommendations=items,
        )
        notice_issue(notice=notice)


# ------------------------------------------------------------------ the server


def database_url(db: dict, name: str) -> str:
    """The URL of database `name` on the server of Django's connection settings `db`."""
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def check_local(database_url: str) -> None:
    host = urlsplit(database_url).hostname or "localhost"
    if host not in LOCAL_HOSTS or not database_url.startswith(("postgres://", "postgresql://")):
        raise ValueError("loadtest runs only against PostgreSQL on this machine (127.0.0.1).")


def start_gunicorn(*, database_url: str, port: int, workers: int, media: Path, log):
    """gunicorn in its own process group, its output (and Django's) into `log`."""
    env = os.environ | {
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_MEDIA_ROOT": str(media),
        "DJANGO_LOG_LEVEL": "ERROR",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--preload",  # Django is loaded once, then forked: every worker is ready at once
        "--timeout=60",
        "--log-level=error",
    ]
    return subprocess.Popen(
        command,
        cwd=settings.BASE_DIR,
        env=env,
        start_new_session=True,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_until_ready(port: int, token: str, *, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if Client(port, token).get("/api/v1/me/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError("gunicorn did not answer within a minute.")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# ------------------------------------------------------------------ the clients


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


def client_loop(seat: Seat, port: int, until: float, seed_value: int) -> Tally:
    client, tally = Client(port, seat.token), Tally()
    chooser = random.Random(seed_value)
    while time.monotonic() < until:
        try:
            _one_round(client, seat, tally, chooser)
        except (http.client.HTTPException, OSError, ValueError) as error:
            tally.errors.append(f"{type(error).__name__}: {error}")
    return tally


def _timed(tally: Tally, name: str, call) -> tuple[int, dict]:
    started = time.perf_counter()
    status, body = call()
    tally.latencies[name].append(time.perf_counter() - started)
    tally.statuses[(name, status)] += 1
    return status, body


def _one_round(client: Client, seat: Seat, tally: Tally, chooser: random.Random) -> None:
    """What one person does: look at the list, open a case, act on it; then the baseline."""
    states = ["assigned", "in_progress"] if seat.kind == "agency" else ["reported"]
    query = f"{seat.kind}={seat.code}&state={chooser.choice(states)}&page_size=20"
    status, page = _timed(tally, "list", lambda: client.get(f"/api/v1/cases/?{query}"))
    if status == 200 and page["results"]:
        case_id = chooser.choice(page["results"])["id"]
        status, case = _timed(tally, "view", lambda: client.get(f"/api/v1/cases/{case_id}/"))
        if status == 200:
            _act(client, seat, tally, chooser, case)
    _timed(tally, "me", lambda: client.get("/api/v1/me/"))


MOVE_BODIES = {
    "start": {},
    "report": {"text": "Đã thực hiện xong.", "letter_number": "12/BC-TT"},
    "return": {"reason": "Cần bổ sung số liệu."},
    "close": {"outcome": "implemented"},
}


def _next_move(seat: Seat, state: str, chooser: random.Random) -> str | None:
    """The move this person makes on a case in `state` (None if it is not theirs to make:
    someone else moved it since the list was read)."""
    if seat.kind == "committee":
        if state != "reported":
            return None
        return "return" if chooser.random() < 0.1 else "close"
    return {"assigned": "start", "in_progress": "report"}.get(state)


def _act(client: Client, seat: Seat, tally: Tally, chooser: random.Random, case: dict) -> None:
    name = _next_move(seat, case["state"], chooser)
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


def run_clients(seats: list[Seat], *, clients: int, port: int, seconds: float) -> Tally:
    agency = [s for s in seats if s.kind == "agency"]
    committee = [s for s in seats if s.kind == "committee"]
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


# ------------------------------------------------------------------ the verdict


def lost_updates(database_url: str, accepted: Counter) -> list[str]:
    """Cases whose events or final state differ from the transitions the API accepted."""
    with psycopg.connect(database_url) as connection:
        events = Counter(
            {
                (case_id, kind): count
                for case_id, kind, count in connection.execute(
                    "SELECT case_id, kind, count(*) FROM workflow_caseevent "
                    "WHERE kind = ANY(%s) GROUP BY case_id, kind",
                    [list(TRANSITIONS.values())],
                )
            }
        )
        states = dict(connection.execute("SELECT id, state FROM workflow_case").fetchall())
    problems = [
        f"case {case_id}: {kind} accepted {accepted[(case_id, kind)]}×, logged {count}×"
        for (case_id, kind), count in (events | accepted).items()
        if events[(case_id, kind)] != accepted[(case_id, kind)]
    ]
    by_case: dict[int, dict[str, int]] = defaultdict(dict)
    for (case_id, kind), count in accepted.items():
        by_case[case_id][kind] = count
    for case_id, state in states.items():
        expected = _final_state(by_case[case_id])
        if state != expected:
            problems.append(
                f"case {case_id}: state {state}, accepted transitions lead to {expected}"
            )
    return problems


def _final_state(done: dict[str, int]) -> str:
    if not done.get(EventKind.STARTED):
        return "assigned"
    if done.get(EventKind.CLOSED):
        return "closed"
    if done.get(EventKind.REPORTED, 0) > done.get(EventKind.RETURNED, 0):
        return "reported"
    return "in_progress"


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95 + 0.5) - 1)] if ordered else 0.0


def summary(tally: Tally, seconds: float) -> list[str]:
    baseline = p95(tally.latencies["me"]) or 1e-9
    lines = [
        f"{'operation':<10}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p95 ×me':>9}{'409':>7}{'5xx':>6}"
    ]
    names = ["me", "list", "view", "start", "report", "close", "return"]
    for name in [n for n in names if tally.latencies.get(n)]:
        values = tally.latencies[name]
        ordered = sorted(values)
        conflicts = tally.statuses[(name, 409)]
        server = sum(
            n for (op, status), n in tally.statuses.items() if op == name and status >= 500
        )
        lines.append(
            f"{name:<10}{len(values):>10}{len(values) / seconds:>9.1f}"
            f"{ordered[len(ordered) // 2] * 1000:>9.1f}{p95(values) * 1000:>9.1f}"
            f"{p95(values) / baseline:>9.1f}{conflicts:>7}{server:>6}"
        )
    every = [v for values in tally.latencies.values() for v in values]
    lines.append(f"{'all':<10}{len(every):>10}{len(every) / seconds:>9.1f}")
    return lines


def server_errors(tally: Tally) -> int:
    return sum(n for (_op, status), n in tally.statuses.items() if status >= 500)
