"""One transition through the API against the trivial authenticated GET, in processor time:
the requests go through Django's WSGI handler in this process (middleware, DRF, the view,
PostgreSQL), as gunicorn would call it, and each is timed with `time.thread_time`, so that
other work on a shared machine (or the nudge's own thread) does not count."""

import cProfile
import io
import json
import pstats
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable

from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test.utils import override_settings

from devtools.loadtest.clients import MOVE_BODIES
from devtools.loadtest.world import seed
from workflow.models import Case, CaseState

PAUSE = 0.02  # seconds between requests, for the nudge's thread to have its turn
OPERATIONS = ("me", "view", "start", "report")


class Api:
    """Requests with one caller's token, straight into Django's WSGI handler."""

    def __init__(self, token: str) -> None:
        self.handler, self.token = WSGIHandler(), token

    def get(self, path: str) -> int:
        return self._call("GET", path)

    def post(self, path: str, body: dict) -> int:
        return self._call("POST", path, json.dumps(body).encode(), "application/json")

    def _call(self, method: str, path: str, body: bytes = b"", content_type: str = "") -> int:
        statuses = []
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_AUTHORIZATION": f"Token {self.token}",
            "HTTP_ACCEPT": "application/json",
            "CONTENT_TYPE": content_type,
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        response = self.handler(environ, lambda status, headers: statuses.append(status))
        b"".join(response)
        response.close()  # request_finished, as a WSGI server ends a request
        return int(statuses[0].split()[0])


def prepare(cases: int) -> tuple[Api, list[int]]:
    """The load test's world; an agency officer and the cases assigned to their agency."""
    caller = next(c for c in seed(cases=cases) if c.kind == "agency")
    ids = Case.objects.filter(agency__code=caller.code, state=CaseState.ASSIGNED)
    return Api(caller.token), list(ids.order_by("id").values_list("pk", flat=True))


def measure(api: Api, case_ids: list[int], repeat: int) -> dict[str, list[float]]:
    """Processor seconds of each operation, `repeat` rounds of: /me/, the case's page, start,
    report (each on a case of its own)."""
    seconds = defaultdict(list)
    with persistent_connection():
        for case_id in case_ids[:repeat]:
            case = f"/api/v1/cases/{case_id}/"
            calls = {
                "me": lambda: api.get("/api/v1/me/"),
                "view": lambda case=case: api.get(case),
                "start": lambda case=case: api.post(f"{case}start/", MOVE_BODIES["start"]),
                "report": lambda case=case: api.post(f"{case}report/", MOVE_BODIES["report"]),
            }
            for name, call in calls.items():
                seconds[name].append(_timed(call))
    return seconds


def profile(api: Api, case_ids: list[int], repeat: int, *, move: str, limit: int = 45) -> str:
    """cProfile (processor time) of `repeat` moves (`start` or `report`, a report on a case
    started beforehand)."""
    profiler = cProfile.Profile(time.thread_time)  # processor time, as `measure`
    with persistent_connection():
        for number, case_id in enumerate(case_ids[: repeat + 1]):
            if move == "report":
                api.post(f"/api/v1/cases/{case_id}/start/", {})
            if number:  # the first warms up
                profiler.enable()
            status = api.post(f"/api/v1/cases/{case_id}/{move}/", MOVE_BODIES[move])
            profiler.disable()
            assert status == 200, status
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(limit)
    stats.sort_stats("tottime").print_stats(limit)
    return out.getvalue()


def queries(api: Api, case_ids: list[int], repeat: int) -> str:
    """The wall time of each query of a start (median of `repeat` starts) against the whole
    request's wall and processor time: what the database's part is."""
    walls, threads, per_query = [], [], defaultdict(list)

    def timed_query(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            current.append((sql, time.perf_counter() - started))

    with persistent_connection():
        api.post(f"/api/v1/cases/{case_ids[0]}/start/", {})
        for case_id in case_ids[1 : repeat + 1]:
            current: list[tuple[str, float]] = []
            time.sleep(PAUSE)
            with connection.execute_wrapper(timed_query):
                wall, thread = time.perf_counter(), time.thread_time()
                status = api.post(f"/api/v1/cases/{case_id}/start/", {})
                walls.append(time.perf_counter() - wall)
                threads.append(time.thread_time() - thread)
            assert status == 200, status
            for number, (sql, seconds) in enumerate(current):
                per_query[number, sql[:70]].append(seconds)
    lines = [
        f"a start, median of {repeat}: wall {1000 * statistics.median(walls):.2f} ms, "
        f"processor {1000 * statistics.median(threads):.2f} ms; its queries (wall, ms):"
    ]
    for (_number, sql), seconds in sorted(per_query.items()):
        lines.append(f"  {1000 * statistics.median(seconds):6.2f}  {sql}")
    total = sum(statistics.median(s) for s in per_query.values())
    lines.append(f"  {1000 * total:6.2f}  all the queries")
    return "\n".join(lines)


def medians(seconds: dict[str, list[float]]) -> dict[str, float]:
    return {name: statistics.median(values) for name, values in seconds.items()}


class persistent_connection:
    """As in the load test's gunicorn (`DATABASE_CONN_MAX_AGE=60`) and with DEBUG off: one
    connection for all the requests, and no query log."""

    def __enter__(self):
        connection.close()
        connection.settings_dict["CONN_MAX_AGE"] = 60
        self.debug = override_settings(DEBUG=False)
        self.debug.enable()

    def __exit__(self, *exc):
        self.debug.disable()


def _timed(call: Callable[[], int]) -> float:
    time.sleep(PAUSE)
    started = time.thread_time()
    status = call()
    elapsed = time.thread_time() - started
    if status != 200:
        raise RuntimeError(f"HTTP {status}")
    return elapsed
