"""A throw-away PostgreSQL server on loopback for the store tests.

Uses Debian's PostgreSQL binaries (``make test`` installs the package when it is missing): a fresh
cluster in a temporary directory, trust authentication, a free port on 127.0.0.1, stopped at the end.
When run as root, the server runs as the ``postgres`` user (PostgreSQL refuses to run as root).
Without the binaries the PostgreSQL tests skip, unless ``CLAIMLEDGER_REQUIRE_POSTGRES=1`` (set by
``make test``), which turns the skip into a failure so CI cannot go green without PostgreSQL.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest


def _binary(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    def __init__(self):
        self.initdb, self.pg_ctl = _binary("initdb"), _binary("pg_ctl")
        if not (self.initdb and self.pg_ctl):
            message = "PostgreSQL binaries not found (apt-get install postgresql)"
            if os.environ.get("CLAIMLEDGER_REQUIRE_POSTGRES") == "1":
                pytest.fail(message + "; CLAIMLEDGER_REQUIRE_POSTGRES=1")
            pytest.skip(message)
        self.directory = Path(tempfile.mkdtemp(prefix="claimledger-pg-"))
        self.data = self.directory / "data"
        self.port = _free_port()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.directory, "postgres")
            os.chmod(self.directory, 0o755)
        self._run([self.initdb, "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"])
        self._run([self.pg_ctl, "-D", str(self.data), "-w", "-l", str(self.directory / "log"), "-o",
                   f"-h 127.0.0.1 -p {self.port} -k {self.directory} -c fsync=off", "start"])
        self._databases = 0

    def _run(self, command: list[str]) -> None:
        result = subprocess.run(self.as_user + command, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")

    def new_database(self) -> str:
        """URL of a new, empty database."""
        import psycopg

        self._databases += 1
        name = f"claimledger_test_{self._databases}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        subprocess.run(self.as_user + [self.pg_ctl, "-D", str(self.data), "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(self.directory, ignore_errors=True)
