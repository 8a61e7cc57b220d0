"""Load-test the API: a fresh PostgreSQL database beside the configured one, gunicorn on
127.0.0.1, N clients for S seconds (workflow/loadtest.py), then the figures and the check
that no accepted transition was lost. Bounded in time; drops its database afterwards."""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from devtools import loadtest

STEP_TIMEOUT = 600  # seconds for migrating or seeding the database


class Command(BaseCommand):
    help = "Thử tải API với gunicorn trên PostgreSQL / Load-test the API (local only)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--clients", type=int, default=32)
        parser.add_argument("--seconds", type=float, default=60)
        parser.add_argument("--cases", type=int, default=3000)
        parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--database", default="dondoc_load", help="created, then dropped")
        parser.add_argument("--keep", action="store_true", help="keep the database")
        parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, **options) -> None:
        if options["seed"]:  # run in a subprocess against the fresh database
            seats = loadtest.seed(cases=options["cases"])
            self.stdout.write(json.dumps([seat.__dict__ for seat in seats]))
            return
        if connection.vendor != "postgresql":
            raise CommandError("loadtest needs PostgreSQL (DATABASE_URL).")
        if not 1 <= options["clients"] <= 256 or not 0 < options["seconds"] <= 600:
            raise CommandError("--clients must be 1-256 and --seconds at most 600.")
        url = loadtest.database_url(connection.settings_dict, options["database"])
        loadtest.check_local(url)
        _recreate(options["database"])
        try:
            self._run(url, options)
        finally:
            if not options["keep"]:
                _drop(options["database"])

    def _run(self, url: str, options: dict) -> None:
        started = time.monotonic()
        _manage(url, "migrate", "--noinput", "-v", "0")
        seeded = _manage(url, "loadtest", "--seed", "--cases", str(options["cases"]))
        seats = [loadtest.Seat(**seat) for seat in json.loads(seeded.splitlines()[-1])]
        media = Path(tempfile.mkdtemp(prefix="dondoc-load-"))
        log = (media / "gunicorn.log").open("w+")
        server = loadtest.start_gunicorn(
            database_url=url, port=options["port"], workers=options["workers"], media=media, log=log
        )
        try:
            loadtest.wait_until_ready(options["port"], seats[0].token)
            prepared = time.monotonic() - started
            options["load_before"] = os.getloadavg()[0]
            tally = loadtest.run_clients(
                seats, clients=options["clients"], port=options["port"], seconds=options["seconds"]
            )
        finally:
            loadtest.stop(server)
            log.seek(0)
            errors = [line for line in log if "Traceback" in line or "Error" in line]
            log.close()
            shutil.rmtree(media, ignore_errors=True)
        for line in errors[:20]:
            self.stderr.write(f"gunicorn: {line.rstrip()}")
        self._report(url, tally, options, prepared)

    def _report(self, url: str, tally, options: dict, prepared: float) -> None:
        self.stdout.write(
            f"{options['clients']} clients × {options['seconds']:g} s, gunicorn "
            f"{options['workers']} workers on 127.0.0.1, PostgreSQL, {options['cases']} cases "
            f"(prepared in {prepared:.0f} s); load average before the run "
            f"{options['load_before']:.1f} on {os.cpu_count()} cores"
        )
        for line in loadtest.summary(tally, options["seconds"]):
            self.stdout.write(line)
        lost = loadtest.lost_updates(url, tally.accepted)
        accepted = sum(tally.accepted.values())
        errors, failures = loadtest.server_errors(tally), len(tally.errors)
        self.stdout.write(
            f"accepted transitions {accepted}, 5xx {errors}, network errors {failures}, "
            f"lost updates {len(lost)}"
        )
        if errors or failures or lost:
            details = [*lost[:10], *tally.errors[:10]]
            raise CommandError("Load test failed:\n" + "\n".join(details))


def _server() -> psycopg.Connection:
    server = loadtest.database_url(connection.settings_dict, "postgres")
    return psycopg.connect(server, autocommit=True)


def _recreate(name: str) -> None:
    _drop(name)
    with _server() as server:
        server.execute(f'CREATE DATABASE "{_identifier(name)}"')


def _drop(name: str) -> None:
    with _server() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{_identifier(name)}" WITH (FORCE)')


def _identifier(name: str) -> str:
    reserved = {"postgres", "template0", "template1", connection.settings_dict["NAME"]}
    if not name.replace("_", "").isalnum() or name in reserved:
        raise CommandError(f"Refusing to use the database {name!r} for a load test.")
    return name


def _manage(url: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=os.environ | {"DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
    )
    if result.returncode:
        raise CommandError(f"manage.py {args[0]} failed:\n{result.stderr[-2000:]}")
    return result.stdout
