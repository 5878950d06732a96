"""PostgreSQL event store (``postgresql://user:pass@host:5432/db``), on an asyncpg connection pool.

An append is one transaction: check that ``expected_version`` exists, take the claims, insert the events. The
``(stream_id, version)`` primary key rejects a stale writer and the ``(namespace, value)`` primary key of ``claims``
rejects a second owner, so nothing depends on the isolation level beyond READ COMMITTED. asyncpg prepares and caches
every statement per connection. Driver errors never leave this module: they become ConcurrencyError, ClaimTaken or
StoreUnavailable (``raise ... from e``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from urllib.parse import urlsplit

import asyncpg

from lct.adapters.store import ClaimTaken, ConcurrencyError, NewRecord, StoredRecord, StoreUnavailable
from lct.domain.tournament import Claim

log = logging.getLogger("lct.store.postgres")

# Held while migrating, so instances starting together apply each migration once. Any constant; this one is
# "LCT" in ASCII.
MIGRATION_LOCK = 0x4C4354

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS events (
        stream_id   text        NOT NULL,
        version     integer     NOT NULL,
        type        text        NOT NULL,
        data        json        NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (stream_id, version)
    );
    CREATE TABLE IF NOT EXISTS claims (
        namespace text NOT NULL,
        value     text NOT NULL,
        stream_id text NOT NULL,
        PRIMARY KEY (namespace, value)
    );
    CREATE INDEX IF NOT EXISTS claims_by_stream ON claims (stream_id, namespace);
    """,
)
"""Schema versions, applied in order and recorded in ``schema_migrations``. Only ever append to this tuple.
``data`` is ``json`` (not ``jsonb``) so the payload text comes back byte for byte."""

CONNECTION_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    asyncio.TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
)
# Two transactions that touch the same rows in a different order: retrying is safe, nothing was written.
RETRYABLE = (asyncpg.DeadlockDetectedError, asyncpg.SerializationError)
DRIVER_ERRORS: tuple[type[BaseException], ...] = (*CONNECTION_ERRORS, asyncpg.PostgresError)


def describe(url: str) -> str:
    """The URL without credentials, for messages."""
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}:{parts.port or 5432}{parts.path}"


class PostgresEventStore:
    def __init__(
        self, url: str, *, pool_size: int = 10, connect_timeout: float = 5.0, command_timeout: float = 10.0
    ) -> None:
        self.url = url
        self.pool_size = pool_size
        self.connect_timeout = connect_timeout
        self.command_timeout = command_timeout
        self._pool: asyncpg.Pool | None = None

    async def start(self) -> None:
        if self._pool is not None:
            return
        try:
            pool = await asyncpg.create_pool(
                self.url,
                min_size=1,
                max_size=self.pool_size,
                timeout=self.connect_timeout,
                command_timeout=self.command_timeout,
            )
        except DRIVER_ERRORS as e:
            raise StoreUnavailable(f"PostgreSQL at {describe(self.url)} unreachable ({type(e).__name__})") from e
        try:
            async with pool.acquire(timeout=self.connect_timeout) as conn:
                await migrate(conn)
        except DRIVER_ERRORS as e:
            await pool.close()
            raise StoreUnavailable(f"cannot migrate PostgreSQL schema at {describe(self.url)}: {e}") from e
        self._pool = pool

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            try:
                await asyncio.wait_for(pool.close(), timeout=self.connect_timeout)
            except DRIVER_ERRORS:
                pool.terminate()

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[asyncpg.pool.PoolConnectionProxy[asyncpg.Record]]:
        """A pooled connection; connection-level failures become StoreUnavailable and drop the pool's idle
        connections, which are probably broken too (the server restarted)."""
        if self._pool is None:
            raise StoreUnavailable("the PostgreSQL store is not started")
        pool = self._pool
        try:
            async with pool.acquire(timeout=self.connect_timeout) as conn:
                yield conn
        except CONNECTION_ERRORS as e:
            await pool.expire_connections()
            raise StoreUnavailable(f"PostgreSQL connection failed ({type(e).__name__})") from e
        except RETRYABLE as e:
            raise StoreUnavailable(f"PostgreSQL transaction aborted ({type(e).__name__})") from e

    async def ping(self) -> None:
        async with self._connection() as conn:
            await conn.fetchval("SELECT 1")

    async def append(
        self,
        stream_id: str,
        expected_version: int,
        records: Sequence[NewRecord],
        claims: Sequence[Claim] = (),
    ) -> int:
        versions = [expected_version + i for i in range(1, len(records) + 1)]
        try:
            async with self._connection() as conn, conn.transaction():
                if expected_version and not await conn.fetchval(
                    "SELECT 1 FROM events WHERE stream_id = $1 AND version = $2", stream_id, expected_version
                ):
                    raise ConcurrencyError(stream_id, expected_version)
                for claim in claims:
                    await _claim(conn, stream_id, expected_version, claim)
                await conn.execute(
                    "INSERT INTO events (stream_id, version, type, data, recorded_at)"
                    " SELECT $1, v, t, d::json, $5 FROM unnest($2::int[], $3::text[], $4::text[]) AS r(v, t, d)",
                    stream_id,
                    versions,
                    [r.type for r in records],
                    [r.data for r in records],
                    datetime.now(UTC),
                )
        except asyncpg.UniqueViolationError as e:
            raise ConcurrencyError(stream_id, expected_version) from e
        except StoreUnavailable as e:
            if isinstance(e.__cause__, RETRYABLE):
                raise ConcurrencyError(stream_id, expected_version) from e.__cause__
            raise
        except asyncpg.PostgresError as e:
            raise StoreUnavailable(f"PostgreSQL rejected the append ({type(e).__name__})") from e
        return expected_version + len(records)

    async def read(self, stream_id: str, after_version: int = 0) -> list[StoredRecord]:
        try:
            async with self._connection() as conn:
                rows = await conn.fetch(
                    "SELECT version, type, data::text FROM events"
                    " WHERE stream_id = $1 AND version > $2 ORDER BY version",
                    stream_id,
                    after_version,
                )
        except asyncpg.PostgresError as e:
            raise StoreUnavailable(f"PostgreSQL rejected the read ({type(e).__name__})") from e
        return [StoredRecord(row[0], row[1], row[2]) for row in rows]

    async def claim_owner(self, namespace: str, value: str) -> str | None:
        try:
            async with self._connection() as conn:
                owner = await conn.fetchval(
                    "SELECT stream_id FROM claims WHERE namespace = $1 AND value = $2", namespace, value
                )
        except asyncpg.PostgresError as e:
            raise StoreUnavailable(f"PostgreSQL rejected the read ({type(e).__name__})") from e
        return str(owner) if owner is not None else None


async def migrate(conn: asyncpg.Connection[asyncpg.Record] | asyncpg.pool.PoolConnectionProxy[asyncpg.Record]) -> None:
    """Apply the missing migrations under a transaction-scoped advisory lock: idempotent and race-free."""
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations"
            " (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        applied = {row[0] for row in await conn.fetch("SELECT version FROM schema_migrations")}
        for version, script in enumerate(MIGRATIONS, 1):
            if version not in applied:
                await conn.execute(script)
                await conn.execute("INSERT INTO schema_migrations (version) VALUES ($1)", version)
                log.info("applied schema migration %d", version, extra={"event.action": "schema-migrated"})


async def _claim(
    conn: asyncpg.pool.PoolConnectionProxy[asyncpg.Record], stream_id: str, expected_version: int, claim: Claim
) -> None:
    if claim.exclusive:
        await conn.execute(
            "DELETE FROM claims WHERE stream_id = $1 AND namespace = $2 AND value <> $3",
            stream_id,
            claim.namespace,
            claim.value,
        )
    # DO NOTHING waits for a concurrent transaction inserting the same value; the SELECT after it (a new snapshot
    # under READ COMMITTED) then sees the committed owner.
    if await conn.fetchval(
        "INSERT INTO claims (namespace, value, stream_id) VALUES ($1, $2, $3)"
        " ON CONFLICT (namespace, value) DO NOTHING RETURNING 1",
        claim.namespace,
        claim.value,
        stream_id,
    ):
        return
    owner = await conn.fetchval(
        "SELECT stream_id FROM claims WHERE namespace = $1 AND value = $2", claim.namespace, claim.value
    )
    if owner is None:  # released between the two statements: let the caller retry on fresh state
        raise ConcurrencyError(stream_id, expected_version)
    if owner != stream_id:
        raise ClaimTaken(claim)
