"""Event store factories for the shared contract suite. Each adapter registers one factory here.

A factory is an async context manager yielding a started, empty store. Server-backed adapters (PostgreSQL,
MongoDB) get their servers from session fixtures in ``tests/conftest.py``.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

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


FACTORIES: dict[str, StoreFactory] = {"memory": memory_store, "sqlite": sqlite_store}
