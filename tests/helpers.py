"""The small moves the test files share, kept here once: reading and moving the world's case
(each move committed, as a request commits, so that its events nudge the fan-out), logging in,
the case page's addresses, an API client with a token, a free port, and a django-q2 worker run
in another process."""

import datetime
import io
import os
import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import docx
from django.db import connection
from django.test import TestCase
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.world import TODAY
from workflow.models import Case
from workflow.services import ReportInput, case_transition

ROOT = Path(__file__).resolve().parent.parent


def case_of(w) -> Case:
    """The world's case as the database holds it now."""
    return Case.objects.get(pk=w.case.pk)


@contextmanager
def committed():
    """Run the block, then what waits for its commit, as a real commit would: that is when
    a saved event nudges the fan-out. (A test runs inside a transaction that is rolled back.)"""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield


def move(w, actor, action: str, **kwargs) -> Case:
    """One committed transition of the world's case, re-read first as a fresh request would."""
    with committed():
        return case_transition(case=case_of(w), actor=actor, action=action, **kwargs)


def start_and_report(w, report: ReportInput | None = None) -> Case:
    """The lead agency starts the world's case and reports on it, each step committed."""
    move(w, w.so_ldtbxh, "start")
    report = report or ReportInput(text="Đã rà soát nhu cầu đào tạo nghề của 12.000 lao động.")
    return move(w, w.so_ldtbxh, "report", report=report)


def carried_out(case: Case, *, agency, committee, report: str) -> Case:
    """Any case started and reported on by `agency`, then closed as implemented by
    `committee`, each step committed and made on the case as the database holds it."""
    with committed():
        case_transition(case=case, actor=agency, action="start")
        case = Case.objects.get(pk=case.pk)
        case_transition(case=case, actor=agency, action="report", report=ReportInput(text=report))
        case = Case.objects.get(pk=case.pk)
        return case_transition(case=case, actor=committee, action="close", outcome="implemented")


def due_in(w, days: int) -> Case:
    """The world's case with its deadline `days` from the world's today."""
    Case.objects.filter(pk=w.case.pk).update(deadline=TODAY + datetime.timedelta(days=days))
    return case_of(w)


def docx_texts(body: bytes) -> list[str]:
    """Every paragraph of a .docx, table cells included, in order."""
    document = docx.Document(io.BytesIO(body))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts += [p.text for p in cell.paragraphs]
    return [t for t in texts if t.strip()]


def login(client, user):
    client.force_login(user)
    return client


def detail_url(case) -> str:
    return reverse("workflow:case_detail", args=[case.pk])


def action_url(case, action: str) -> str:
    return reverse("workflow:case_action", args=[case.pk, action])


def api_client(user=None, **defaults) -> APIClient:
    """An API client sending `user`'s token (anonymous without a user)."""
    client = APIClient(**defaults)
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def free_port() -> int:
    """A port nobody listens on now (the system picks it), for a server started next."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_url() -> str:
    """The PostgreSQL server the tests run on, without a database."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"


def database_url() -> str:
    """The test database, for a process started beside the tests."""
    return f"{server_url()}/{connection.settings_dict['NAME']}"


def run_worker_once() -> subprocess.CompletedProcess:
    """One run of a real django-q2 worker in another process, on the test database."""
    return subprocess.run(
        [sys.executable, "manage.py", "qcluster", "--run-once"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url(), "DONDOC_REPORTS_SYNC": "false"},
        capture_output=True,
        text=True,
        timeout=120,
    )
