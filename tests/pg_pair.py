"""A private PostgreSQL primary and its streaming replica, started for a test in a
temporary directory on two free ports with the server binaries of this machine
(/usr/lib/postgresql/*/bin), as the `postgres` OS user when the tests run as root (the
server refuses to run as root). The shared server on 5432 is never touched. `binaries()`
is None where the binaries are missing, so that the test can say why it is skipped."""

import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg

from tests.helpers import free_port

NEEDED = ("initdb", "pg_ctl", "pg_basebackup")


@dataclass(frozen=True)
class Pair:
    primary_url: str
    replica_url: str

    def replica(self) -> psycopg.Connection:
        return psycopg.connect(self.replica_url, autocommit=True)

    def primary(self) -> psycopg.Connection:
        return psycopg.connect(self.primary_url, autocommit=True)


def binaries() -> Path | None:
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if all((Path(folder) / name).exists() for name in NEEDED):
            return Path(folder)
    return None


@contextmanager
def primary_and_replica(database: str) -> Iterator[Pair]:
    folder = Path(tempfile.mkdtemp(prefix="dondoc-replica-"))
    bin_dir = binaries()
    assert bin_dir is not None
    _hand_over(folder)
    ports = free_port(), free_port()
    started: list[Path] = []
    try:
        _run(bin_dir / "initdb", "-A", "trust", "-U", "postgres", "-D", folder / "primary")
        _start(bin_dir, folder, "primary", ports[0])
        started.append(folder / "primary")
        _create_database(ports[0], database)
        _run(
            bin_dir / "pg_basebackup",
            *("-h", "127.0.0.1", "-p", str(ports[0]), "-U", "postgres"),
            *("-D", folder / "replica", "-R", "-X", "stream"),
        )
        _start(bin_dir, folder, "replica", ports[1])
        started.append(folder / "replica")
        yield Pair(_url(ports[0], database), _url(ports[1], database))
    finally:
        for data in reversed(started):
            _run(bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(folder, ignore_errors=True)


def wait_until_replayed(pair: Pair, timeout: float = 30) -> None:
    """Until the replica has replayed everything the primary has written so far."""
    with pair.primary() as primary:
        target = primary.execute("SELECT pg_current_wal_lsn()").fetchone()[0]
    deadline = time.monotonic() + timeout
    with pair.replica() as replica:
        while time.monotonic() < deadline:
            done = replica.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]
            ).fetchone()[0]
            if done:
                return
            time.sleep(0.05)
    raise TimeoutError("the replica did not catch up")


def _start(bin_dir: Path, folder: Path, name: str, port: int) -> None:
    options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={folder}"
    _run(
        bin_dir / "pg_ctl",
        *("-D", folder / name, "-l", folder / f"{name}.log", "-o", options, "-w", "start"),
    )


def _create_database(port: int, name: str) -> None:
    with psycopg.connect(_url(port, "postgres"), autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"')


def _url(port: int, database: str) -> str:
    return f"postgres://postgres@127.0.0.1:{port}/{database}"


def _as_server_user() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _hand_over(folder: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")


def _run(*command, check: bool = True) -> None:
    subprocess.run(
        [*_as_server_user(), *map(str, command)],
        check=check,
        capture_output=True,
        timeout=120,
        cwd="/tmp",
    )
