"""One job run by a thread of the process, off the request's path (the fan-out's nudge).

`wake(job)` returns at once; a daemon thread of this process runs the job soon after, on
its own database connection. Wakes that arrive while the job runs make one more run, not one
each, so a busy process runs it less often, not more. Nothing may depend on the thread for
correctness (a scheduled run must still do the work): the thread dies with its process (a
worker restarted, SIGKILL) and then loses only a moment. A forked process (gunicorn
--preload, a django-q2 worker) starts its own thread when it is first woken."""

import logging
import os
import threading
from collections.abc import Callable

from django.db import close_old_connections, connection

logger = logging.getLogger(__name__)

IDLE_SECONDS = 30  # the thread gives its connection back after this long without a wake


class Runner:
    """One daemon thread running one job whenever woken."""

    def __init__(self, job: Callable[[], object]) -> None:
        self.job, self.pid = job, os.getpid()
        self.wanted = threading.Event()
        self.finished = threading.Condition()
        self.runs = 0
        name = f"dondoc-{getattr(job, '__name__', 'job')}"
        threading.Thread(target=self._loop, name=name, daemon=True).start()

    def wake(self) -> None:
        self.wanted.set()

    def wait_for_run(self, after: int, timeout: float) -> bool:
        """Wait until more than `after` runs have finished (tests)."""
        with self.finished:
            return self.finished.wait_for(lambda: self.runs > after, timeout)

    def _loop(self) -> None:
        while True:
            if not self.wanted.wait(IDLE_SECONDS):
                connection.close()  # idle: hold no connection for nothing
                continue
            self.wanted.clear()
            self._run_once()

    def _run_once(self) -> None:
        # As around a request: a connection past its age (DATABASE_CONN_MAX_AGE) is renewed
        # before and closed after, so with no age set none is held between runs.
        close_old_connections()
        try:
            self.job()
        except Exception:  # the scheduled run does it later
            logger.exception("Background job %s failed", self.job)
            connection.close()
        close_old_connections()
        with self.finished:
            self.runs += 1
            self.finished.notify_all()


_lock = threading.Lock()
_runners: dict[Callable, Runner] = {}


def runner(job: Callable[[], object]) -> Runner:
    """This process's runner of `job` (a forked child makes its own)."""
    with _lock:
        current = _runners.get(job)
        if current is None or current.pid != os.getpid():
            current = _runners[job] = Runner(job)
        return current


# Woken during a request, the thread starts once the answer has gone out (request_finished,
# which a WSGI server sends after the body): run at the commit, its processor time (about
# 5 ms a transition) slowed the answer it follows.
_in_request = threading.local()


def wake(job: Callable[[], object]) -> None:
    held = getattr(_in_request, "jobs", None)
    if held is None:
        runner(job).wake()
    else:
        held.add(job)


def hold_wakes(**kwargs) -> None:
    """request_started receiver."""
    _in_request.jobs = set()


def release_wakes(**kwargs) -> None:
    """request_finished receiver."""
    held, _in_request.jobs = getattr(_in_request, "jobs", None), None
    for job in held or ():
        runner(job).wake()
