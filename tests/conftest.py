"""Session-wide fixtures: real servers the tests need (Redis, PostgreSQL), started on free loopback ports."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Without LCT_TEST_MONGODB_URL the ``mongodb`` store tests run against the nx-27017 stand-in: mark them."""
    if os.environ.get("LCT_TEST_MONGODB_URL"):
        return
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "mongodb" in map(str, callspec.params.values()):
            item.add_marker(pytest.mark.standin)
