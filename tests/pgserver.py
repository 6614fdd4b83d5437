"""A real PostgreSQL server for the tests: Debian's own, ``initdb`` into a temporary directory,
listening on a loopback port, stopped at the end. Every hub gets a database of its own.

PostgreSQL will not run as root: as root the server runs as the ``postgres`` user the Debian
package makes.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from tests.hubserver import free_port

BIN = Path("/usr/lib/postgresql")


def pg_bin(name: str) -> str:
    """A PostgreSQL program: Debian keeps them under /usr/lib/postgresql/<major>/bin."""
    found = sorted(BIN.glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    if found:
        return str(found[-1])
    on_path = shutil.which(name)
    if on_path is None:
        raise RuntimeError(f"PostgreSQL's {name} is not installed (Debian package postgresql)")
    return on_path


class PostgresServer:
    def __init__(self, directory: Path, port: int, as_user: str | None) -> None:
        self.directory = directory
        self.port = port
        self._as_user = as_user

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", self._as_user, "--"] if self._as_user else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, cwd=self.directory)

    def start(self, durable: bool = False) -> None:
        data = self.directory / "data"
        self._run(pg_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8")
        options = [f"-p {self.port}", f"-k {self.directory}", "-c listen_addresses=127.0.0.1",
                   "-c max_connections=400", "-c shared_buffers=128MB"]
        if not durable:  # the tests' data is thrown away: no need to wait for the disk
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        self._run(pg_bin("pg_ctl"), "-D", str(data), "-o", " ".join(options), "-l",
                  str(self.directory / "server.log"), "-w", "-t", "60", "start")

    def stop(self) -> None:
        try:
            self._run(pg_bin("pg_ctl"), "-D", str(self.directory / "data"), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)

    def new_database(self) -> str:
        return new_database(self.port)


_names = itertools.count(1)


def new_database(port: int) -> str:
    """A fresh, empty database on the server at ``port``; its SQLAlchemy URL."""
    name = f"hub_{os.getpid()}_{next(_names)}"
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/{name}"


def start_postgres(durable: bool = False) -> PostgresServer:
    directory = Path(tempfile.mkdtemp(prefix="hub-pg-"))
    as_user = None
    if os.geteuid() == 0:
        as_user = "postgres"
        entry = pwd.getpwnam(as_user)
        os.chown(directory, entry.pw_uid, entry.pw_gid)
    server = PostgresServer(directory, free_port(), as_user)
    try:
        server.start(durable)
    except subprocess.CalledProcessError as exc:
        log = directory / "server.log"
        detail = (exc.stderr or b"").decode(errors="replace") + (log.read_text() if log.exists() else "")
        shutil.rmtree(directory, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {detail}") from exc
    return server


@contextmanager
def postgres(durable: bool = False) -> Iterator[PostgresServer]:
    server = start_postgres(durable)
    try:
        yield server
    finally:
        server.stop()
