"""MongoDB event store (``mongodb://host:27017/?replicaSet=rs``), on PyMongo's async API.

Layout (database ``LCT_MONGO_DATABASE``):

* ``events``: one document per append, ``{_id: "<stream>:<first version>", stream_id, version_from, version_to,
  events: [{version, type, data}], claims: [{namespace, value}], recorded_at}``, unique index on
  ``(stream_id, version_to)``. The insert of this document is the **commit point** of an append, and it is a
  single-document write.
* ``claims``: one *reservation* per claimed value, ``{namespace, value, stream_id, version, exclusive,
  reserved_at}``, unique index on ``(namespace, value)``.

Optimistic concurrency without transactions: an append first checks that the stream's head is
``expected_version``, then inserts ``_id = "<stream>:<expected_version + 1>"``. Documents are immutable, so a
version that once ended a document always does; a writer that checked an older head therefore collides on ``_id``
with the document that moved the head. Exactly one writer per version wins.

Claims without transactions: a reservation names the append (stream and first version) that wants it. It counts
only once that append's events document exists *and lists the claim*; a reservation whose version was taken by an
append that does not list it, or whose append never committed within ``lease_seconds``, is free and is taken over
with a conditional replace. An exclusive claim (a tournament name) is also free once a later committed append of
the same stream made another exclusive claim in that namespace; the old reservation is deleted after the commit,
and if the process dies before that, the rule above releases it anyway. So a crash at any step leaves at worst a
reservation that blocks its value for ``lease_seconds``; it never loses or duplicates events.

On a replica set (the production topology) the same steps run inside a multi-document transaction, so claims and
events commit together and no reservation is ever seen pending.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from pymongo import ASCENDING, DESCENDING, AsyncMongoClient
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError, PyMongoError

from lct.adapters.store import ClaimTaken, ConcurrencyError, NewRecord, StoredRecord, StoreUnavailable
from lct.domain.tournament import Claim

log = logging.getLogger("lct.store.mongo")

Document = dict[str, Any]
DEFAULT_OPTIONS: Mapping[str, int] = {
    "serverSelectionTimeoutMS": 3000,
    "connectTimeoutMS": 3000,
    "socketTimeoutMS": 10000,
}
"""Applied unless the URL sets them: fail fast when the server is gone instead of PyMongo's 30 s."""
LEASE_SECONDS = 30.0
TRANSACTION_ATTEMPTS = 10
RESERVE_ATTEMPTS = 5


class Reservation(Enum):
    HELD = "held"
    PENDING = "pending"
    FREE = "free"


def url_options(url: str) -> set[str]:
    return {key.lower() for key, _ in parse_qsl(urlsplit(url).query)}


def describe(url: str) -> str:
    """The URL's hosts without credentials, for messages."""
    netloc = urlsplit(url).netloc
    return netloc.rsplit("@", 1)[-1] or "localhost"


class MongoEventStore:
    def __init__(self, url: str, database: str = "lct", *, lease_seconds: float = LEASE_SECONDS) -> None:
        self.url = url
        self.database = database
        self.lease_seconds = lease_seconds
        self.transactions = False
        """True on a replica set or sharded cluster: appends then run in a multi-document transaction."""
        self._client: AsyncMongoClient[Document] | None = None

    async def start(self) -> None:
        if self._client is not None:
            return
        given = url_options(self.url)
        options: dict[str, Any] = {k: v for k, v in DEFAULT_OPTIONS.items() if k.lower() not in given}
        try:
            client: AsyncMongoClient[Document] = AsyncMongoClient(self.url, tz_aware=True, **options)
        except PyMongoError as e:
            raise StoreUnavailable(f"invalid MongoDB URL ({type(e).__name__}: {e})") from e
        try:
            hello = await client.admin.command("hello")
            db = client[self.database]
            await db.events.create_index(
                [("stream_id", ASCENDING), ("version_to", ASCENDING)], unique=True, name="stream_version"
            )
            await db.claims.create_index(
                [("namespace", ASCENDING), ("value", ASCENDING)], unique=True, name="namespace_value"
            )
            await db.claims.create_index([("stream_id", ASCENDING), ("namespace", ASCENDING)], name="stream_namespace")
        except PyMongoError as e:
            await client.close()
            raise StoreUnavailable(f"MongoDB at {describe(self.url)} unreachable ({type(e).__name__})") from e
        self.transactions = "setName" in hello or hello.get("msg") == "isdbgrid"
        self._client = client

    async def close(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.close()

    @property
    def client(self) -> AsyncMongoClient[Document]:
        if self._client is None:
            raise StoreUnavailable("the MongoDB store is not started")
        return self._client

    @property
    def events(self) -> AsyncCollection[Document]:
        return self.client[self.database].events

    @property
    def claims(self) -> AsyncCollection[Document]:
        return self.client[self.database].claims

    async def ping(self) -> None:
        try:
            await self.client.admin.command("ping")
        except PyMongoError as e:
            raise StoreUnavailable(f"MongoDB ping failed ({type(e).__name__})") from e

    async def append(
        self,
        stream_id: str,
        expected_version: int,
        records: Sequence[NewRecord],
        claims: Sequence[Claim] = (),
    ) -> int:
        if not records:
            raise ValueError("an append needs at least one record")
        try:
            if self.transactions:
                await self._append_in_transaction(stream_id, expected_version, records, claims)
            else:
                await _Append(self, None, stream_id, expected_version, records, claims).run()
        except PyMongoError as e:
            raise StoreUnavailable(f"MongoDB append failed ({type(e).__name__})") from e
        return expected_version + len(records)

    async def _append_in_transaction(
        self, stream_id: str, expected_version: int, records: Sequence[NewRecord], claims: Sequence[Claim]
    ) -> None:
        for _ in range(TRANSACTION_ATTEMPTS):
            async with self.client.start_session() as session:
                try:
                    async with await session.start_transaction():
                        await _Append(self, session, stream_id, expected_version, records, claims).run()
                    return
                except PyMongoError as e:
                    if e.has_error_label("TransientTransactionError"):
                        continue  # a concurrent transaction touched the same documents: retry on fresh data
                    raise
        raise ConcurrencyError(stream_id, expected_version)

    async def read(self, stream_id: str, after_version: int = 0) -> list[StoredRecord]:
        try:
            cursor = self.events.find(
                {"stream_id": stream_id, "version_to": {"$gt": after_version}}, {"events": 1}
            ).sort("version_to", ASCENDING)
            return [
                StoredRecord(event["version"], event["type"], event["data"])
                async for doc in cursor
                for event in doc["events"]
                if event["version"] > after_version
            ]
        except PyMongoError as e:
            raise StoreUnavailable(f"MongoDB read failed ({type(e).__name__})") from e

    async def claim_owner(self, namespace: str, value: str) -> str | None:
        """The reservation's stream, once the append that made it committed and listed the claim (a pending or
        abandoned reservation owns nothing)."""
        try:
            reservation = await self.claims.find_one({"namespace": namespace, "value": value})
            if reservation is None:
                return None
            committed = await self.events.find_one(
                {"_id": f"{reservation['stream_id']}:{reservation['version']}"}, {"claims": 1}
            )
        except PyMongoError as e:
            raise StoreUnavailable(f"MongoDB read failed ({type(e).__name__})") from e
        if committed is None or {"namespace": namespace, "value": value} not in committed["claims"]:
            return None
        return str(reservation["stream_id"])


class _Append:
    """One append attempt: check the head, reserve the claims, insert the events document (the commit point),
    release the superseded exclusive claims. Without a transaction, the reservations of a failed attempt are
    removed again when the failure is certain (a conflict); after a connection error they expire."""

    def __init__(
        self,
        store: MongoEventStore,
        session: AsyncClientSession | None,
        stream_id: str,
        expected_version: int,
        records: Sequence[NewRecord],
        claims: Sequence[Claim],
    ) -> None:
        self.store = store
        self.session = session
        self.stream_id = stream_id
        self.expected = expected_version
        self.first = expected_version + 1
        self.records = records
        self.wanted = claims
        self.now = datetime.now(UTC)
        self.reserved: list[Any] = []

    async def run(self) -> None:
        head = await self.store.events.find_one(
            {"stream_id": self.stream_id}, {"version_to": 1}, sort=[("version_to", DESCENDING)], session=self.session
        )
        if (head["version_to"] if head else 0) != self.expected:
            raise ConcurrencyError(self.stream_id, self.expected)
        started = time.monotonic()
        try:
            for claim in self.wanted:
                await self._reserve(claim)
            if self.session is None and time.monotonic() - started > self.store.lease_seconds / 3:
                raise StoreUnavailable("MongoDB too slow: claims could expire before the commit")
            await self._commit()
        except (ClaimTaken, ConcurrencyError, StoreUnavailable):
            await self._unreserve()
            raise
        await self._release_superseded()

    async def _commit(self) -> None:
        doc = {
            "_id": f"{self.stream_id}:{self.first}",
            "stream_id": self.stream_id,
            "version_from": self.first,
            "version_to": self.expected + len(self.records),
            "events": [{"version": v, "type": r.type, "data": r.data} for v, r in enumerate(self.records, self.first)],
            "claims": [{"namespace": c.namespace, "value": c.value} for c in self.wanted],
            "recorded_at": self.now,
        }
        try:
            await self.store.events.insert_one(doc, session=self.session)
        except DuplicateKeyError as e:
            raise ConcurrencyError(self.stream_id, self.expected) from e

    async def _reserve(self, claim: Claim) -> None:
        claims = self.store.claims
        mine = {
            "namespace": claim.namespace,
            "value": claim.value,
            "stream_id": self.stream_id,
            "version": self.first,
            "exclusive": claim.exclusive,
            "reserved_at": self.now,
        }
        for _ in range(RESERVE_ATTEMPTS):
            try:
                inserted = await claims.insert_one(dict(mine), session=self.session)
                self.reserved.append(inserted.inserted_id)
                return
            except DuplicateKeyError:
                pass
            current = await claims.find_one({"namespace": claim.namespace, "value": claim.value}, session=self.session)
            if current is None:
                continue  # released meanwhile: insert again
            state = await self._state(current)
            if state is Reservation.HELD:
                if current["stream_id"] == self.stream_id:
                    return  # this stream already holds it
                raise ClaimTaken(claim)
            if state is Reservation.PENDING:
                if current["stream_id"] == self.stream_id:
                    raise ConcurrencyError(self.stream_id, self.expected)  # a concurrent append of this stream
                raise ClaimTaken(claim)
            replaced = await claims.replace_one(
                {"_id": current["_id"], "stream_id": current["stream_id"], "version": current["version"]},
                mine,
                session=self.session,
            )
            if replaced.matched_count:
                self.reserved.append(current["_id"])
                return
        raise ConcurrencyError(self.stream_id, self.expected)

    async def _state(self, reservation: Document) -> Reservation:
        stream, version = reservation["stream_id"], reservation["version"]
        committed = await self.store.events.find_one(
            {"stream_id": stream, "version_to": {"$gte": version}},
            {"version_from": 1, "claims": 1},
            sort=[("version_to", ASCENDING)],
            session=self.session,
        )
        if committed is None:
            expired = self.now - reservation["reserved_at"] > timedelta(seconds=self.store.lease_seconds)
            return Reservation.FREE if expired else Reservation.PENDING
        key = {"namespace": reservation["namespace"], "value": reservation["value"]}
        if committed["version_from"] != version or key not in committed["claims"]:
            return Reservation.FREE  # its append lost the race for that version, or never wanted this claim
        if reservation["exclusive"] and await self._superseded(reservation):
            return Reservation.FREE
        return Reservation.HELD

    async def _superseded(self, reservation: Document) -> bool:
        """Did a later committed append of the same stream claim another value in this namespace?"""
        later = self.store.claims.find(
            {
                "stream_id": reservation["stream_id"],
                "namespace": reservation["namespace"],
                "version": {"$gt": reservation["version"]},
            },
            session=self.session,
        )
        async for other in later:
            committed = await self.store.events.find_one(
                {"_id": f"{other['stream_id']}:{other['version']}"}, {"claims": 1}, session=self.session
            )
            if committed and {"namespace": other["namespace"], "value": other["value"]} in committed["claims"]:
                return True
        return False

    async def _unreserve(self) -> None:
        if self.session is not None or not self.reserved:
            return  # the transaction's abort undoes them
        try:
            await self.store.claims.delete_many(
                {"_id": {"$in": self.reserved}, "stream_id": self.stream_id, "version": self.first}
            )
        except PyMongoError as e:  # they expire after lease_seconds
            log.warning("could not remove the reservations of a failed append: %s", type(e).__name__)

    async def _release_superseded(self) -> None:
        exclusive = {c.namespace: c.value for c in self.wanted if c.exclusive}
        for namespace, value in exclusive.items():
            released = {
                "stream_id": self.stream_id,
                "namespace": namespace,
                "value": {"$ne": value},
                "version": {"$lt": self.first},
            }
            if self.session is not None:
                await self.store.claims.delete_many(released, session=self.session)
                continue
            try:
                await self.store.claims.delete_many(released)
            except PyMongoError as e:  # committed already; the superseded rule releases them on the next claim
                log.warning("could not delete released claims of %s: %s", self.stream_id, type(e).__name__)
