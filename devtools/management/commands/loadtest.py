"""Load-test the API in a scratch PostgreSQL database: gunicorn on 127.0.0.1, N clients for
S seconds (devtools/loadtest), then the figures and the check that no accepted transition was
lost. Bounded in time; the database is dropped afterwards."""

import os
import shutil
import tempfile
import time
from pathlib import Path

from django.core.management.base import CommandError

from devtools.loadtest import clients, server, verdict
from devtools.loadtest.world import seed
from devtools.scratch import ScratchCommand, current_database_url


class Command(ScratchCommand):
    help = "Thử tải API với gunicorn trên PostgreSQL / Load-test the API (local only)."

    def add_work_arguments(self, parser) -> None:
        parser.add_argument("--clients", type=int, default=32)
        parser.add_argument("--seconds", type=float, default=60)
        parser.add_argument("--cases", type=int, default=3000)
        parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
        parser.add_argument("--port", type=int, default=0, help="default: a free one")

    def check_options(self, *, clients: int, seconds: float, **options) -> None:
        if not 1 <= clients <= 256 or not 0 < seconds <= 600:
            raise CommandError("--clients must be 1-256 and --seconds at most 600.")

    def work(self, **options) -> None:
        started = time.monotonic()
        callers = seed(cases=options["cases"])
        port = options["port"] or server.free_port()
        media = Path(tempfile.mkdtemp(prefix="dondoc-load-"))
        log = (media / "gunicorn.log").open("w+")
        gunicorn = server.start_gunicorn(
            database_url=current_database_url(),
            port=port,
            workers=options["workers"],
            media=media,
            log=log,
        )
        try:
            server.wait_until_ready(port, callers[0].token)
            prepared = time.monotonic() - started
            options["load_before"] = os.getloadavg()[0]
            tally = clients.run_clients(
                callers, clients=options["clients"], port=port, seconds=options["seconds"]
            )
        finally:
            server.stop(gunicorn)
            log.seek(0)
            errors = [line for line in log if "Traceback" in line or "Error" in line]
            log.close()
            shutil.rmtree(media, ignore_errors=True)
        for line in errors[:20]:
            self.stderr.write(f"gunicorn: {line.rstrip()}")
        self._report(tally, options, prepared)

    def _report(self, tally: clients.Tally, options: dict, prepared: float) -> None:
        self.stdout.write(
            f"{options['clients']} clients × {options['seconds']:g} s, gunicorn "
            f"{options['workers']} workers on 127.0.0.1, PostgreSQL, {options['cases']} cases "
            f"(prepared in {prepared:.0f} s); load average before the run "
            f"{options['load_before']:.1f} on {os.cpu_count()} cores"
        )
        for line in verdict.summary(tally, options["seconds"]):
            self.stdout.write(line)
        lost = verdict.lost_updates(tally.accepted)
        accepted = sum(tally.accepted.values())
        errors, failures = verdict.server_errors(tally), len(tally.errors)
        self.stdout.write(
            f"accepted transitions {accepted}, 5xx {errors}, network errors {failures}, "
            f"lost updates {len(lost)}"
        )
        if errors or failures or lost:
            details = [*lost[:10], *tally.errors[:10]]
            raise CommandError("Load test failed:\n" + "\n".join(details))
