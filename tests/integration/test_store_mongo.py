"""MongoDB adapter specifics (the shared contract is in test_store_contract.py).

By default these run against the nx-27017 stand-in (a MongoDB wire-protocol server, **not MongoDB**), marked
``standin``; with ``LCT_TEST_MONGODB_URL`` set they run against that real server. Tests of behaviour the stand-in
does not implement (replica-set transactions) are marked ``real_mongodb_only`` and skipped without the URL.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from lct.adapters.store import ClaimTaken, ConcurrencyError, NewRecord, StoredRecord, StoreUnavailable
from lct.adapters.store_mongo import MongoEventStore
from lct.domain.tournament import NAME_CLAIM, TEAM_CLAIM, Claim
from tests.dbservers import MongoStandIn, mongo_standin, outage_scenario, wait_until_ready
from tests.support import free_port, lct_server

REAL_URL = os.environ.get("LCT_TEST_MONGODB_URL")
real_only = pytest.mark.skipif(not REAL_URL, reason="needs LCT_TEST_MONGODB_URL (a real MongoDB replica set)")
standin_only = pytest.mark.skipif(bool(REAL_URL), reason="stops and restarts the local stand-in server")


@pytest.fixture
async def store(mongodb_url: str) -> AsyncIterator[MongoEventStore]:
    started = MongoEventStore(mongodb_url, f"lct_test_{uuid.uuid4().hex[:12]}")
    await started.start()
    yield started
    await started.client.drop_database(started.database)
    await started.close()


@pytest.fixture
def own_standin(tmp_path: Path) -> Iterator[MongoStandIn]:
    with mongo_standin(tmp_path / "nx") as server:
        yield server


def one(type_: str = "a") -> list[NewRecord]:
    return [NewRecord(type_, "{}")]


def name(value: str) -> Claim:
    return Claim(NAME_CLAIM, value, exclusive=True)


async def reserve_by_hand(store: MongoEventStore, claim: Claim, stream: str, version: int, age: float) -> None:
    """A reservation as an append leaves it when its process dies before the events document is written."""
    await store.claims.insert_one(
        {
            "namespace": claim.namespace,
            "value": claim.value,
            "stream_id": stream,
            "version": version,
            "exclusive": claim.exclusive,
            "reserved_at": datetime.now(UTC) - timedelta(seconds=age),
        }
    )


# --- start-up --------------------------------------------------------------------------------------------------


async def test_unreachable_server_at_start_raises_store_unavailable_quickly() -> None:
    port = free_port()
    store = MongoEventStore(f"mongodb://lct:secret@127.0.0.1:{port}/?serverSelectionTimeoutMS=500", "lct")
    with pytest.raises(StoreUnavailable) as caught:
        await asyncio.wait_for(store.start(), timeout=10)
    assert f"127.0.0.1:{port}" in str(caught.value)
    assert "secret" not in str(caught.value)


async def test_indexes_are_created_idempotently(mongodb_url: str) -> None:
    database = f"lct_test_{uuid.uuid4().hex[:12]}"
    for _ in range(2):
        store = MongoEventStore(mongodb_url, database)
        await store.start()
        info = await store.claims.index_information()
        assert any(
            spec.get("unique") and [k for k, _ in spec["key"]] == ["namespace", "value"] for spec in info.values()
        )
        await store.close()
    await store.start()
    await store.client.drop_database(database)
    await store.close()


@pytest.mark.standin
@standin_only
def test_standin_is_reported_as_standalone_so_appends_do_not_rely_on_transactions(mongodb_url: str) -> None:
    async def check() -> bool:
        store = MongoEventStore(mongodb_url, "lct_probe")
        await store.start()
        await store.close()
        return store.transactions

    assert asyncio.run(check()) is False


# --- the transaction-free protocol ------------------------------------------------------------------------------


async def test_events_of_one_append_are_one_document(store: MongoEventStore) -> None:
    await store.append("s", 0, [NewRecord("a", "{}"), NewRecord("b", "{}")])
    await store.append("s", 2, one("c"))
    docs = [d async for d in store.events.find({"stream_id": "s"}).sort("version_to", 1)]
    assert [(d["_id"], d["version_from"], d["version_to"]) for d in docs] == [("s:1", 1, 2), ("s:3", 3, 3)]
    assert [r.version for r in await store.read("s", 1)] == [2, 3]


async def test_expected_version_inside_an_append_is_stale(store: MongoEventStore) -> None:
    await store.append("s", 0, [NewRecord("a", "{}"), NewRecord("b", "{}"), NewRecord("c", "{}")])
    with pytest.raises(ConcurrencyError):
        await store.append("s", 1, one("x"))
    assert [r.type for r in await store.read("s")] == ["a", "b", "c"]


async def test_reservation_of_a_crashed_append_blocks_until_its_lease_expires(store: MongoEventStore) -> None:
    store.lease_seconds = 30
    fresh, old = f"fresh-{uuid.uuid4()}", f"old-{uuid.uuid4()}"
    await reserve_by_hand(store, name(fresh), "dead-stream", 1, age=1)
    await reserve_by_hand(store, name(old), "dead-stream", 1, age=60)
    with pytest.raises(ClaimTaken):
        await store.append("s1", 0, one(), [name(fresh)])
    assert await store.append("s2", 0, one(), [name(old)]) == 1
    with pytest.raises(ClaimTaken):
        await store.append("s3", 0, one(), [name(old)])


async def test_reservation_whose_version_went_to_another_append_is_free(store: MongoEventStore) -> None:
    value = f"cup-{uuid.uuid4()}"
    await store.append("other", 0, one())  # version 1 of "other" was written without this claim
    await reserve_by_hand(store, name(value), "other", 1, age=0)
    assert await store.append("s", 0, one(), [name(value)]) == 1


async def test_name_left_behind_by_a_rename_that_died_before_releasing_it_is_free(store: MongoEventStore) -> None:
    old, new = f"old-{uuid.uuid4()}", f"new-{uuid.uuid4()}"
    await store.append("s", 0, one(), [name(old)])
    await store.append("s", 1, one("renamed"), [name(new)])
    # the process died after the commit, before deleting the old reservation: put it back as it was
    await store.claims.delete_many({"value": new})
    await store.claims.insert_one(
        {
            "namespace": NAME_CLAIM,
            "value": new,
            "stream_id": "s",
            "version": 2,
            "exclusive": True,
            "reserved_at": datetime.now(UTC),
        }
    )
    await reserve_by_hand(store, name(old), "s", 1, age=0)
    assert await store.append("t", 0, one(), [name(old)]) == 1
    with pytest.raises(ClaimTaken):
        await store.append("u", 0, one(), [name(new)])


async def test_team_claims_are_never_superseded(store: MongoEventStore) -> None:
    await store.append("s", 0, one(), [Claim(TEAM_CLAIM, "s/Bayern")])
    await store.append("s", 1, one(), [Claim(TEAM_CLAIM, "s/PSG"), name(f"n-{uuid.uuid4()}")])
    with pytest.raises(ClaimTaken):
        await store.append("t", 0, one(), [Claim(TEAM_CLAIM, "s/Bayern")])


async def test_a_failed_append_removes_its_reservations(store: MongoEventStore) -> None:
    taken, free = f"taken-{uuid.uuid4()}", f"free-{uuid.uuid4()}"
    await store.append("owner", 0, one(), [name(taken)])
    with pytest.raises(ClaimTaken):
        await store.append("loser", 0, one(), [Claim(TEAM_CLAIM, free), name(taken)])
    assert await store.claims.count_documents({"value": free}) == 0


async def test_concurrent_renames_of_one_stream_keep_exactly_one_name(store: MongoEventStore) -> None:
    await store.append("s", 0, one(), [name(f"start-{uuid.uuid4()}")])
    names = [f"n{i}-{uuid.uuid4()}" for i in range(8)]
    results = await asyncio.gather(*(store.append("s", 1, one("r"), [name(n)]) for n in names), return_exceptions=True)
    winners = [n for n, r in zip(names, results, strict=True) if r == 2]
    assert len(winners) == 1
    assert all(isinstance(r, ConcurrencyError) for r in results if r != 2)
    for loser in set(names) - set(winners):
        await store.append(str(uuid.uuid4()), 0, one(), [name(loser)])


# --- a real replica set --------------------------------------------------------------------------------------


@pytest.mark.real_mongodb_only
@real_only
async def test_replica_set_appends_run_in_transactions(store: MongoEventStore) -> None:
    assert store.transactions
    value = f"race-{uuid.uuid4()}"
    results = await asyncio.gather(
        *(store.append(str(uuid.uuid4()), 0, one(), [name(value)]) for _ in range(10)), return_exceptions=True
    )
    assert sum(1 for r in results if r == 1) == 1
    assert all(isinstance(r, ClaimTaken) for r in results if r != 1)
    # no reservation of a failed transaction is ever visible
    assert await store.claims.count_documents({"value": value}) == 1


@pytest.mark.real_mongodb_only
@real_only
async def test_replica_set_failed_append_leaves_no_trace(store: MongoEventStore) -> None:
    taken, free = f"taken-{uuid.uuid4()}", f"free-{uuid.uuid4()}"
    await store.append("owner", 0, one(), [name(taken)])
    with pytest.raises(ClaimTaken):
        await store.append("loser", 0, one(), [Claim(TEAM_CLAIM, free), name(taken)])
    assert await store.claims.count_documents({"stream_id": "loser"}) == 0
    assert await store.events.count_documents({"stream_id": "loser"}) == 0


# --- outages under a running lct serve (stand-in only: the test kills the server) -----------------------------


def test_lct_serve_with_unreachable_mongodb_is_live_but_not_ready(tmp_path: Path) -> None:
    env = {"LCT_DATABASE_URL": f"mongodb://127.0.0.1:{free_port()}/?serverSelectionTimeoutMS=500"}
    with lct_server(tmp_path, env) as server:
        assert httpx.get(server.url + "/liveness").status_code == 200
        assert httpx.get(server.url + "/readiness").status_code == 503
    assert "unreachable" in server.log()


@pytest.mark.standin
@standin_only
async def test_server_dying_mid_request_answers_503_and_writes_nothing_half(
    own_standin: MongoStandIn, tmp_path: Path
) -> None:
    url = own_standin.url
    with lct_server(tmp_path, {"LCT_DATABASE_URL": url, "LCT_MONGO_DATABASE": "lct"}) as server:
        wait_until_ready(server.url)

        async def read_stream(stream_id: str) -> list[StoredRecord]:
            store = MongoEventStore(url, "lct")
            await store.start()
            try:
                return await store.read(stream_id)
            finally:
                await store.close()

        await outage_scenario(server.url, own_standin.stop, own_standin.start, read_stream)
