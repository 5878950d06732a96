"""Event store factories for the shared contract suite. Each adapter registers one factory here.

A factory is an async context manager yielding a started, empty store. Server-backed adapters (PostgreSQL,
MongoDB) get their servers from session fixtures in ``tests/conftest.py``.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from lct.adapters.store import EventStore
from lct.adapters.store_memory import MemoryEventStore
from lct.adapters.store_sqlite import SqliteEventStore

StoreFactory = Callable[..., contextlib.AbstractAsyncContextManager[EventStore]]


@contextlib.asynccontextmanager
async def memory_store(**_: Any) -> AsyncIterator[EventStore]:
    store = MemoryEventStore()
    await store.start()
    yield store
    await store.close()


@contextlib.asynccontextmanager
async def sqlite_store(tmp_path: Path, **_: Any) -> AsyncIterator[EventStore]:
    store = SqliteEventStore(str(tmp_path / "events.db"))
    await store.start()
    yield store
    await store.close()


@contextlib.asynccontextmanager
async def postgresql_store(request: pytest.FixtureRequest, **_: Any) -> AsyncIterator[EventStore]:
    from lct.adapters.store_postgres import PostgresEventStore

    store = PostgresEventStore(request.getfixturevalue("postgres_url"), pool_size=20)
    await store.start()
    yield store
    await store.close()


@contextlib.asynccontextmanager
async def mongodb_store(request: pytest.FixtureRequest, **_: Any) -> AsyncIterator[EventStore]:
    """A fresh database per test on ``LCT_TEST_MONGODB_URL`` or, by default, the nx-27017 stand-in."""
    from lct.adapters.store_mongo import MongoEventStore

    store = MongoEventStore(request.getfixturevalue("mongodb_url"), f"lct_test_{uuid.uuid4().hex[:12]}")
    await store.start()
    yield store
    await store.client.drop_database(store.database)
    await store.close()


FACTORIES: dict[str, StoreFactory] = {
    "memory": memory_store,
    "sqlite": sqlite_store,
    "postgresql": postgresql_store,
    "mongodb": mongodb_store,
}
