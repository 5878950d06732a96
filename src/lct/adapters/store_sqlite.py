"""SQLite event store: the embedded default (``sqlite:///./lct.db``), WAL mode.

Calls run inline on the event loop: each is a short indexed statement on a local file, cheaper than a hop to a
thread. Several ``lct serve`` processes may share one file; ``BEGIN IMMEDIATE`` serialises their appends and the
(stream_id, version) primary key rejects a stale writer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from lct.adapters.store import ClaimTaken, ConcurrencyError, NewRecord, StoredRecord, StoreUnavailable
from lct.domain.tournament import Claim

log = logging.getLogger("lct.store")
CHECKPOINT_EVERY = 500
"""Appends between two WAL checkpoints. They run in a worker thread, not SQLite's automatic checkpoint on the
committing connection: a checkpoint fsyncs the database file, which would stall the event loop for milliseconds."""
WAL_RESTART_FRAMES = 16_384
"""WAL size (frames of one page, ~64 MiB) above which a checkpoint also rewinds the log (see ``_checkpoint_now``)."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    stream_id   TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    type        TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    recorded_at TEXT    NOT NULL,
    PRIMARY KEY (stream_id, version)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS claims (
    namespace TEXT NOT NULL,
    value     TEXT NOT NULL,
    stream_id TEXT NOT NULL,
    PRIMARY KEY (namespace, value)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS claims_by_stream ON claims (stream_id, namespace);
"""


def path_from_url(url: str) -> str:
    """``sqlite:///./lct.db`` -> ``./lct.db``; ``sqlite:////abs/lct.db`` -> ``/abs/lct.db``."""
    rest = url.removeprefix("sqlite://")
    return rest[1:] if rest.startswith("/") else rest


class SqliteEventStore:
    def __init__(self, path: str, busy_timeout_ms: int = 5000) -> None:
        self.path = path
        self._busy_timeout_ms = busy_timeout_ms
        self._db: sqlite3.Connection | None = None
        self._checkpointer: sqlite3.Connection | None = None
        self._checkpoint_task: asyncio.Task[None] | None = None
        self._appends = 0

    @classmethod
    def from_url(cls, url: str) -> SqliteEventStore:
        return cls(path_from_url(url))

    async def start(self) -> None:
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            db.execute(f"PRAGMA busy_timeout = {self._busy_timeout_ms}")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.executescript(SCHEMA)
            if self.path != ":memory:":
                db.execute("PRAGMA wal_autocheckpoint = 0")
                self._checkpointer = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
                self._checkpointer.execute(f"PRAGMA busy_timeout = {self._busy_timeout_ms}")
        except sqlite3.Error as e:
            raise StoreUnavailable(f"cannot open SQLite database {self.path}: {e}") from e
        self._db = db

    @staticmethod
    def _checkpoint_now(checkpointer: sqlite3.Connection) -> None:
        """PASSIVE copies the WAL into the database file without waiting for readers or writers. Under sustained
        writes it never catches up with the writer, so the log would never rewind and would grow without bound;
        past WAL_RESTART_FRAMES, RESTART holds new writers back for the short catch-up (a few frames, one fsync)
        and makes the next writer rewind the log."""
        _, wal_frames, _ = checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if wal_frames > WAL_RESTART_FRAMES:
            checkpointer.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()

    async def _checkpoint(self, checkpointer: sqlite3.Connection) -> None:
        """Run a checkpoint off the event loop (sqlite3 releases the GIL while it works)."""
        try:
            await asyncio.to_thread(self._checkpoint_now, checkpointer)
        except sqlite3.Error as e:
            log.warning("WAL checkpoint failed: %s", e, extra={"event.action": "sqlite-checkpoint-failed"})
        finally:
            self._checkpoint_task = None

    async def close(self) -> None:
        if self._checkpoint_task is not None:
            with contextlib.suppress(Exception):
                await self._checkpoint_task
        if self._checkpointer is not None:
            self._checkpointer.close()
            self._checkpointer = None
        if self._db is not None:
            self._db.close()
            self._db = None

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            raise StoreUnavailable("the SQLite store is not started")
        return self._db

    async def ping(self) -> None:
        try:
            self.db.execute("SELECT 1").fetchone()
        except sqlite3.Error as e:
            raise StoreUnavailable(str(e)) from e

    async def append(
        self,
        stream_id: str,
        expected_version: int,
        records: Sequence[NewRecord],
        claims: Sequence[Claim] = (),
    ) -> int:
        db = self.db
        now = datetime.now(UTC).isoformat()
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as e:
            raise StoreUnavailable(str(e)) from e
        try:
            if (
                expected_version
                and not db.execute(
                    "SELECT 1 FROM events WHERE stream_id = ? AND version = ?", (stream_id, expected_version)
                ).fetchone()
            ):
                raise ConcurrencyError(stream_id, expected_version)
            for claim in claims:
                self._claim(db, stream_id, claim, new_stream=not expected_version)
            try:
                db.executemany(
                    "INSERT INTO events (stream_id, version, type, data, recorded_at) VALUES (?, ?, ?, ?, ?)",
                    [(stream_id, expected_version + i, r.type, r.data, now) for i, r in enumerate(records, 1)],
                )
            except sqlite3.IntegrityError as e:
                raise ConcurrencyError(stream_id, expected_version) from e
            db.execute("COMMIT")
        except BaseException as e:
            db.execute("ROLLBACK")
            if isinstance(e, sqlite3.Error):
                raise StoreUnavailable(str(e)) from e
            raise
        self._appends += 1
        if self._appends >= CHECKPOINT_EVERY and self._checkpointer is not None and self._checkpoint_task is None:
            self._appends = 0
            self._checkpoint_task = asyncio.get_running_loop().create_task(self._checkpoint(self._checkpointer))
        return expected_version + len(records)

    @staticmethod
    def _claim(db: sqlite3.Connection, stream_id: str, claim: Claim, new_stream: bool = False) -> None:
        if claim.exclusive and not new_stream:  # a stream that does not exist yet holds no claims
            db.execute("DELETE FROM claims WHERE stream_id = ? AND namespace = ?", (stream_id, claim.namespace))
        try:
            db.execute(
                "INSERT INTO claims (namespace, value, stream_id) VALUES (?, ?, ?)",
                (claim.namespace, claim.value, stream_id),
            )
        except sqlite3.IntegrityError as e:
            owner = db.execute(
                "SELECT stream_id FROM claims WHERE namespace = ? AND value = ?",
                (claim.namespace, claim.value),
            ).fetchone()
            if owner is None or owner[0] != stream_id:
                raise ClaimTaken(claim) from e

    async def read(self, stream_id: str, after_version: int = 0) -> list[StoredRecord]:
        try:
            rows = self.db.execute(
                "SELECT version, type, data FROM events WHERE stream_id = ? AND version > ? ORDER BY version",
                (stream_id, after_version),
            ).fetchall()
        except sqlite3.Error as e:
            raise StoreUnavailable(str(e)) from e
        return [StoredRecord(v, t, d) for v, t, d in rows]

    async def claim_owner(self, namespace: str, value: str) -> str | None:
        try:
            row = self.db.execute(
                "SELECT stream_id FROM claims WHERE namespace = ? AND value = ?", (namespace, value)
            ).fetchone()
        except sqlite3.Error as e:
            raise StoreUnavailable(str(e)) from e
        return str(row[0]) if row else None
