"""The composition root: builds every adapter from one Settings object."""

from __future__ import annotations

import random

from lct.adapters.broker import Broker, InProcessBroker
from lct.adapters.clicks import ClickStore, MemoryClicks
from lct.adapters.store import EventStore
from lct.adapters.store_memory import MemoryEventStore
from lct.adapters.store_sqlite import SqliteEventStore
from lct.application import Context
from lct.config import Settings


def build_store(settings: Settings) -> EventStore:
    scheme = settings.store_scheme
    if scheme == "memory":
        return MemoryEventStore()
    if scheme == "sqlite":
        return SqliteEventStore.from_url(settings.database_url)
    if scheme in ("postgresql", "postgres"):
        from lct.adapters.store_postgres import PostgresEventStore

        return PostgresEventStore(settings.database_url, pool_size=settings.database_pool_size)
    from lct.adapters.store_mongo import MongoEventStore

    return MongoEventStore(settings.database_url, settings.mongo_database)


def build_broker(settings: Settings) -> Broker:
    if settings.redis_url:
        from lct.adapters.broker_redis import RedisBroker

        return RedisBroker(settings.redis_url, buffer_size=settings.notification_buffer_size)
    return InProcessBroker()


def build_clicks(settings: Settings) -> ClickStore:
    if settings.redis_url:
        from lct.adapters.clicks import RedisClicks

        return RedisClicks(settings.redis_url)
    return MemoryClicks()


def build_context(
    settings: Settings,
    store: EventStore | None = None,
    broker: Broker | None = None,
    rng: random.Random | None = None,
) -> Context:
    return Context(
        store=store or build_store(settings),
        broker=broker or build_broker(settings),
        rng=rng or random.SystemRandom(),
        clicks=build_clicks(settings),
    )
