"""deploy/: a backup restores into a fresh database with every case and event; the nginx
site, the systemd units and the settings agree (upload size, ports, the client's address)."""

import os
import re
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import get_commands
from django.db import connection

from devtools.scratch import database_url
from tests import pg_pair
from tests.helpers import move
from tests.world import build_world
from workflow.models import Case, CaseEvent

DEPLOY = Path(settings.BASE_DIR) / "deploy"
NGINX = (DEPLOY / "nginx" / "dondoc.conf").read_text()


def _run_backup(action: str, file: Path, url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(DEPLOY / "dondoc-backup"), action, str(file)],
        env=os.environ | {"DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.postgres
def test_a_backup_restores_into_a_fresh_database_with_every_case_and_event(
    transactional_db, tmp_path
):
    w = build_world()
    move(w, w.so_ldtbxh, "start")
    cases = set(Case.objects.values_list("id", "state", "deadline"))
    events = set(CaseEvent.objects.values_list("id", "case_id", "kind"))
    dump = tmp_path / "dondoc.dump"
    source = database_url(connection.settings_dict, connection.settings_dict["NAME"])
    backed_up = _run_backup("backup", dump, source)
    assert backed_up.returncode == 0, backed_up.stderr
    assert dump.stat().st_size > 0 and not Path(f"{dump}.partial").exists()
    fresh = f"{connection.settings_dict['NAME'][:40]}_restore_{secrets.token_hex(3)}"
    target = database_url(connection.settings_dict, fresh)
    with psycopg.connect(database_url(connection.settings_dict, "postgres"), autocommit=True) as s:
        s.execute(f'CREATE DATABASE "{fresh}"')
    try:
        restored = _run_backup("restore", dump, target)
        assert restored.returncode == 0, restored.stderr
        with psycopg.connect(target, autocommit=True) as copy:
            assert set(copy.execute("SELECT id, state, deadline FROM workflow_case")) == cases
            assert set(copy.execute("SELECT id, case_id, kind FROM workflow_caseevent")) == events
            with pytest.raises(psycopg.Error):  # the event log is append-only there too
                copy.execute("DELETE FROM workflow_caseevent")
    finally:
        with psycopg.connect(
            database_url(connection.settings_dict, "postgres"), autocommit=True
        ) as server:
            server.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


@pytest.mark.postgres
def test_a_restore_into_a_database_that_holds_data_writes_nothing_and_fails(
    transactional_db, tmp_path
):
    build_world()
    source = database_url(connection.settings_dict, connection.settings_dict["NAME"])
    dump = tmp_path / "dondoc.dump"
    assert _run_backup("backup", dump, source).returncode == 0
    before = Case.objects.count()
    refused = _run_backup("restore", dump, source)  # the tables exist: first error, rollback
    assert refused.returncode != 0
    assert Case.objects.count() == before


def test_the_backup_script_says_how_to_use_it():
    used = subprocess.run([str(DEPLOY / "dondoc-backup")], capture_output=True, text=True)
    assert used.returncode == 2 and "backup|restore" in used.stderr


def test_nginx_takes_the_largest_upload_the_settings_allow():
    size = re.search(r"client_max_body_size (\d+)m;", NGINX)
    assert size and int(size.group(1)) * 1024 * 1024 == settings.DONDOC_MAX_UPLOAD_BYTES


def test_nginx_passes_the_clients_address_that_the_settings_believe_from_it():
    assert "proxy_set_header X-Real-IP $remote_addr;" in NGINX
    assert "X-Forwarded-Proto $scheme" in NGINX  # production's SECURE_PROXY_SSL_HEADER
    assert settings.AXES_CLIENT_IP_CALLABLE == "config.security.client_address"


def test_nginx_proxies_to_where_the_web_unit_listens_and_serves_collected_static_files():
    web = (DEPLOY / "systemd" / "dondoc-web.service").read_text()
    bind = re.search(r"--bind (\S+)", web).group(1)
    assert f"server {bind};" in NGINX
    assert "config.wsgi:application" in web
    static = re.search(r"location /static/ \{\s*alias /srv/dondoc/(\S+)/;", NGINX).group(1)
    assert static == Path(settings.STATIC_ROOT).name
    assert "ssl_certificate " in NGINX and "listen 443 ssl" in NGINX


def test_the_worker_unit_runs_the_django_q2_cluster():
    worker = (DEPLOY / "systemd" / "dondoc-worker.service").read_text()
    assert "manage.py qcluster" in worker and "qcluster" in get_commands()


@pytest.mark.skipif(pg_pair.binaries() is None, reason="PostgreSQL's server programs are missing")
def test_postgresql_reads_the_servers_settings_as_written():
    """deploy/postgresql/dondoc.conf, included as conf.d includes it, is what the server runs
    with: every line a setting PostgreSQL knows, with a value it accepts."""
    folder = Path(tempfile.mkdtemp(prefix="dondoc-conf-"))
    pg_pair._hand_over(folder)
    try:
        _check_server_settings(folder / "data")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _check_server_settings(data: Path) -> None:
    pg_pair._run(pg_pair.binaries() / "initdb", "-A", "trust", "-U", "postgres", "-D", data)
    conf = data / "dondoc.conf"
    conf.write_text((DEPLOY / "postgresql" / "dondoc.conf").read_text())
    names = [line.split()[0] for line in conf.read_text().splitlines() if line[:1].isalpha()]
    assert {"shared_buffers", "max_wal_size", "checkpoint_timeout"} <= set(names)
    defaults = _server_settings(data, names)
    with (data / "postgresql.conf").open("a") as main:
        main.write("include 'dondoc.conf'\n")
    configured = _server_settings(data, names)  # fails on a name or value the server refuses
    assert [name for name in names if configured[name] == defaults[name]] == []


def _server_settings(data: Path, names: list[str]) -> dict[str, str]:
    def shown(name: str) -> str:
        return subprocess.run(
            [*pg_pair._as_server_user(), pg_pair.binaries() / "postgres", "-D", data, "-C", name],
            capture_output=True, text=True, cwd="/tmp", check=True,
        ).stdout.strip()  # fmt: skip

    return {name: shown(name) for name in names}
