"""A database of the first version (one `workflow` app holding intake and reports) migrates to
today's layout and loses nothing: every row of every table it had reads the same afterwards,
and the moved models (intake's process, reports' snapshots) are found in their new apps."""

import json
import os
import subprocess
import sys
import tarfile
import uuid
from io import BytesIO
from pathlib import Path

import psycopg
import pytest

from tests.helpers import ROOT, server_url

pytestmark = [pytest.mark.long, pytest.mark.postgres]

V1 = "ba6aa6b"  # main before the apps were split (2026-12-01)

# Run by the first version: its demo, one intake process waiting at the check step, one report.
V1_EXTRAS = """
import datetime
from django.contrib.auth.models import User
from conclusions.models import ConclusionNotice, Council
from workflow.flows import IntakeFlow
from workflow.models import NoticeIntakeProcess
from workflow.reports.snapshots import snapshot_request

notice = ConclusionNotice.objects.order_by("id").first()
process = NoticeIntakeProcess.objects.create(flow_class=IntakeFlow, notice=notice)
process.task_set.create(flow_task=IntakeFlow.check, flow_task_type="HUMAN")
snapshot_request(actor=User.objects.get(username="thuongtruc"), kind="results",
                 as_of=datetime.date(2026, 11, 30), council=notice.council)
"""

# Run by today's code on the migrated database.
NEW_READS = """
import json
from django.contrib.contenttypes.models import ContentType
from intake.flows import IntakeFlow
from intake.models import NoticeIntakeProcess
from reports.models import ReportSnapshot

process = NoticeIntakeProcess.objects.get()
print(json.dumps({
    "flow": process.flow_class is IntakeFlow,
    "tasks": [t.flow_task is IntakeFlow.check for t in process.task_set.all()],
    "snapshots": list(ReportSnapshot.objects.values_list("status", flat=True)),
    "labels": sorted(ContentType.objects.filter(
        model__in=["noticeintakeprocess", "reportsnapshot"]).values_list("app_label", flat=True)),
}))
"""

# What a move may rewrite: the migration log, and the names Django and viewflow keep of a model.
RENAMED = {"django_migrations", "django_content_type", "viewflow_process", "viewflow_task"}
# What models added since may add rows to (their content types and permissions): the first
# version's rows must all be there, unchanged.
GROWS = {"auth_permission": "id"}


def _manage(cwd: Path, url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": url, "DONDOC_REPORTS_SYNC": "true", "PYTHONPATH": str(cwd)}
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _export_v1(target: Path) -> Path:
    archive = subprocess.run(
        ["git", "archive", "--format=tar", V1], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def _last_id(conn, table: str, column: str) -> int:
    return conn.execute(f'SELECT coalesce(max("{column}"), 0) FROM "{table}"').fetchone()[0]


def _ids(conn, table: str) -> set[int]:
    return {row[0] for row in conn.execute(f'SELECT id FROM "{table}"')}


def _fingerprint(conn, columns: dict[str, list[str]] | None = None, upto: dict | None = None):
    """{table: (row count, md5 of its rows in order)} over the given columns (all by default);
    for the tables in `upto`, only the rows up to the given id."""
    if columns is None:
        rows = conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
        ).fetchall()
        columns = {}
        for table, column in rows:
            columns.setdefault(table, []).append(column)
    prints = {}
    upto = upto or {}
    for table, cols in columns.items():
        listed = ", ".join(f'"{c}"' for c in cols)
        where = f' WHERE "{GROWS[table]}" <= {int(upto[table])}' if table in upto else ""
        prints[table] = conn.execute(
            f"SELECT count(*), md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) "
            f'FROM (SELECT {listed} FROM "{table}"{where}) r'
        ).fetchone()
    return prints, columns


@pytest.fixture
def scratch_url():
    name = f"dondoc_v1_{uuid.uuid4().hex[:8]}"
    server = server_url()
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_first_version_database_migrates_to_the_new_layout_and_loses_nothing(
    tmp_path, scratch_url
):
    v1 = _export_v1(tmp_path / "v1")
    _manage(v1, scratch_url, "migrate", "--noinput", "-v", "0")
    _manage(v1, scratch_url, "loaddemo")
    _manage(v1, scratch_url, "shell", "-c", V1_EXTRAS)
    with psycopg.connect(scratch_url) as conn:
        before, columns = _fingerprint(conn)
        last_ids = {t: _last_id(conn, t, c) for t, c in GROWS.items()}
        content_types = _ids(conn, "django_content_type")

    _manage(ROOT, scratch_url, "migrate", "--noinput", "-v", "0")
    with psycopg.connect(scratch_url) as conn:
        after, _ = _fingerprint(conn, columns, last_ids)
        assert content_types <= _ids(conn, "django_content_type")
    reads = json.loads(_manage(ROOT, scratch_url, "shell", "-v", "0", "-c", NEW_READS))

    assert before["workflow_case"][0] > 0 and before["workflow_caseevent"][0] > 0
    kept = {t: before[t] for t in before if t not in RENAMED}
    assert {t: after[t] for t in kept} == kept
    for table in ("viewflow_process", "viewflow_task"):
        assert after[table][0] == before[table][0], table  # relabelled, none added or lost
    assert reads == {
        "flow": True,
        "tasks": [True],
        "snapshots": ["done"],
        "labels": ["intake", "reports"],
    }
