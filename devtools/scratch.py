"""Tools that cannot hurt real data.

A benchmark or a load run is a `ScratchCommand`: it creates a database of its own beside the
configured one (PostgreSQL on this machine, or a temporary SQLite file), migrates it, runs
itself again in a child process whose only database that is, and drops it afterwards, also
when the run fails. The child first checks that its database holds nothing but what
`migrate` wrote, so the child's entry point, called by hand on real data, refuses to start.
In production devtools is not installed at all, and manage.py refuses its commands."""

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db import connection

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
MIGRATE_TIMEOUT = 600  # seconds
SCRATCH_MARK = "_scratch_"  # in the name of every scratch database
_WRITTEN_BY_MIGRATE = {ContentType, Permission}


class ScratchCommand(BaseCommand):
    """A devtools command whose work runs in a scratch database. A subclass declares its
    options in `add_work_arguments`, may refuse them early in `check_options`, and does its
    work in `work`, which runs only in the child, on the scratch database."""

    requires_system_checks: list[str] = []
    needs_postgresql = True

    def add_work_arguments(self, parser: argparse.ArgumentParser) -> None:
        pass

    def check_options(self, **options) -> None:
        pass

    def work(self, **options) -> None:
        raise NotImplementedError

    @property
    def name(self) -> str:
        return type(self).__module__.rpartition(".")[2]

    def add_arguments(self, parser) -> None:
        self.add_work_arguments(parser)
        parser.add_argument(
            "--keep", action="store_true", help="keep the scratch database (its URL is printed)"
        )
        parser.add_argument("--in-scratch", metavar="OPTIONS", help=argparse.SUPPRESS)

    def handle(self, *args, keep: bool, in_scratch: str | None, **options) -> None:
        options = {name: options[name] for name in self._work_option_names()}
        if in_scratch is None:
            self._run_in_scratch(options, keep=keep)
            return
        refuse_unless_empty()
        options |= json.loads(in_scratch)
        self.check_options(**options)
        self.work(**options)

    def _run_in_scratch(self, options: dict, *, keep: bool) -> None:
        if self.needs_postgresql and connection.vendor != "postgresql":
            raise CommandError(
                f"{self.name} cần PostgreSQL (DATABASE_URL). / {self.name} needs PostgreSQL."
            )
        self.check_options(**options)
        with scratch_database(keep=keep) as url:
            if keep:
                self.stdout.write(f"Cơ sở dữ liệu tạm được giữ lại / scratch database kept: {url}")
            arguments = [self.name, "--in-scratch", json.dumps(options)]
            run_inside(url, arguments, stdout=self.stdout, stderr=self.stderr)

    def _work_option_names(self) -> list[str]:
        probe = argparse.ArgumentParser(add_help=False)
        self.add_work_arguments(probe)
        return [action.dest for action in probe._actions]


@contextmanager
def scratch_database(*, keep: bool = False) -> Iterator[str]:
    """A new, migrated database beside the configured one; yields its URL, then drops it."""
    make = _postgresql_database if connection.vendor == "postgresql" else _sqlite_database
    with make(keep=keep) as url:
        _migrate(url)
        yield url


def scratch_prefix() -> str:
    """How the names of the scratch databases made beside the configured one begin."""
    configured = re.sub(r"[^a-z0-9_]", "_", connection.settings_dict["NAME"].lower())
    return f"{configured[:30]}{SCRATCH_MARK}"


@contextmanager
def _postgresql_database(*, keep: bool) -> Iterator[str]:
    name = f"{scratch_prefix()}{secrets.token_hex(4)}"
    url = database_url(connection.settings_dict, name)
    check_local(url)
    with _maintenance_connection() as server:
        # template0 never has sessions, so parallel creations never wait on each other.
        server.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    try:
        yield url
    finally:
        if not keep:
            with _maintenance_connection() as server:
                server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def _sqlite_database(*, keep: bool) -> Iterator[str]:
    folder = Path(tempfile.mkdtemp(prefix=f"dondoc{SCRATCH_MARK}"))
    try:
        yield f"sqlite:///{folder / 'scratch.sqlite3'}"
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def _maintenance_connection() -> psycopg.Connection:
    return psycopg.connect(database_url(connection.settings_dict, "postgres"), autocommit=True)


def database_url(db: dict, name: str) -> str:
    """The URL of database `name` on the server of Django's connection settings `db`."""
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def current_database_url() -> str:
    """The URL of the database this process works on (PostgreSQL)."""
    return database_url(connection.settings_dict, connection.settings_dict["NAME"])


def check_local(url: str) -> None:
    host = urlsplit(url).hostname or "localhost"
    if host not in LOCAL_HOSTS or not url.startswith(("postgres://", "postgresql://")):
        raise CommandError(
            "Công cụ chỉ tạo cơ sở dữ liệu tạm trên PostgreSQL của máy này (127.0.0.1). / "
            "Scratch databases are made only on PostgreSQL on this machine (127.0.0.1)."
        )


def refuse_unless_empty() -> None:
    """The child's guard: its database holds only what `migrate` wrote."""
    holding = [
        model._meta.db_table
        for model in apps.get_models()
        if model not in _WRITTEN_BY_MIGRATE
        and model._meta.managed
        and not model._meta.proxy
        and model._default_manager.exists()
    ]
    if holding:
        tables = ", ".join(holding[:5]) + (", …" if len(holding) > 5 else "")
        raise CommandError(
            f"Cơ sở dữ liệu này đã có dữ liệu ({tables}): công cụ chỉ chạy trên cơ sở dữ liệu "
            f"tạm do nó tự tạo. / This database already holds data ({tables}): the tool runs "
            "only in a scratch database it made itself."
        )


def run_inside(
    url: str, arguments: list[str], *, stdout: OutputWrapper, stderr: OutputWrapper
) -> None:
    """`manage.py *arguments` in a child process on `url`, its output relayed as it comes."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errors:
        child = subprocess.Popen(
            [sys.executable, "manage.py", *arguments],
            cwd=settings.BASE_DIR,
            env=_environment(url),
            stdout=subprocess.PIPE,
            stderr=errors,
            encoding="utf-8",
        )
        try:
            for line in child.stdout or ():
                stdout.write(line.rstrip("\n"))
            child.wait()
        finally:
            if child.poll() is None:  # the relay broke off: the child must not outlive it
                child.kill()
                child.wait()
        errors.seek(0)
        error_output = errors.read().strip()
    if child.returncode:
        raise CommandError(f"manage.py {arguments[0]}:\n{error_output[-3000:]}")
    if error_output:
        stderr.write(error_output)


def _migrate(url: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=settings.BASE_DIR,
        env=_environment(url),
        capture_output=True,
        text=True,
        timeout=MIGRATE_TIMEOUT,
    )
    if result.returncode:
        raise CommandError(f"manage.py migrate:\n{result.stderr[-3000:]}")


def _environment(url: str) -> dict[str, str]:
    return os.environ | {"DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
