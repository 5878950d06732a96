"""PostgreSQL adapter specifics (the shared contract is in test_store_contract.py): start-up failures, schema
migration races, and a database that dies and comes back under a running ``lct serve``."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest

from lct.adapters.store import NewRecord, StoreUnavailable
from lct.adapters.store_postgres import MIGRATIONS, PostgresEventStore
from tests.dbservers import PostgresServer, outage_scenario, postgres_server, wait_until_ready
from tests.support import free_port, lct_server


@pytest.fixture
def own_postgres(tmp_path: Path) -> Iterator[PostgresServer]:
    """A cluster of its own, for tests that stop it."""
    with postgres_server(tmp_path / "pg") as server:
        yield server


@pytest.fixture
async def fresh_database(postgres_url: str) -> str:
    """An empty database on the session server."""
    name = f"lct_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(postgres_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return postgres_url.rsplit("/", 1)[0] + "/" + name


async def test_unreachable_server_at_start_raises_store_unavailable_naming_it() -> None:
    port = free_port()
    store = PostgresEventStore(f"postgresql://lct:secret@127.0.0.1:{port}/lct", connect_timeout=2)
    with pytest.raises(StoreUnavailable) as caught:
        await store.start()
    assert f"127.0.0.1:{port}/lct" in str(caught.value)
    assert "secret" not in str(caught.value)


async def test_not_started_store_is_unavailable() -> None:
    with pytest.raises(StoreUnavailable):
        await PostgresEventStore("postgresql://127.0.0.1:1/x").read("s")


async def test_instances_starting_together_migrate_once(fresh_database: str) -> None:
    stores = [PostgresEventStore(fresh_database, pool_size=2) for _ in range(6)]
    await asyncio.gather(*(s.start() for s in stores))
    try:
        await stores[0].append("s", 0, [NewRecord("a", "{}")])
        assert [r.type for r in await stores[-1].read("s")] == ["a"]
        conn = await asyncpg.connect(fresh_database)
        try:
            assert await conn.fetchval("SELECT count(*) FROM schema_migrations") == len(MIGRATIONS)
        finally:
            await conn.close()
    finally:
        await asyncio.gather(*(s.close() for s in stores))


async def test_restarting_against_a_migrated_database_changes_nothing(fresh_database: str) -> None:
    for _ in range(2):
        store = PostgresEventStore(fresh_database)
        await store.start()
        await store.append(str(uuid.uuid4()), 0, [NewRecord("a", "{}")])
        await store.close()


async def test_pool_is_sized_by_settings(postgres_url: str) -> None:
    store = PostgresEventStore(postgres_url, pool_size=3)
    await store.start()
    try:
        await asyncio.gather(*(store.read(str(uuid.uuid4())) for _ in range(20)))
        assert store._pool is not None
        assert store._pool.get_max_size() == 3
    finally:
        await store.close()


async def test_lost_connection_fails_with_store_unavailable_and_recovers(own_postgres: PostgresServer) -> None:
    store = PostgresEventStore(own_postgres.url, connect_timeout=2)
    await store.start()
    try:
        await store.append("s", 0, [NewRecord("a", "{}")])
        own_postgres.stop(crash=True)
        with pytest.raises(StoreUnavailable):
            await store.append("s", 1, [NewRecord("b", "{}")])
        with pytest.raises(StoreUnavailable):
            await store.ping()
        own_postgres.start()
        for _ in range(20):  # the first calls may still meet connections broken by the restart
            try:
                await store.append("s", 1, [NewRecord("b", "{}")])
                break
            except StoreUnavailable:
                await asyncio.sleep(0.1)
        assert [r.type for r in await store.read("s")] == ["a", "b"]
    finally:
        await store.close()


def test_lct_serve_with_unreachable_postgres_is_live_but_not_ready(tmp_path: Path) -> None:
    env = {"LCT_DATABASE_URL": f"postgresql://postgres@127.0.0.1:{free_port()}/postgres"}
    with lct_server(tmp_path, env) as server:
        assert httpx.get(server.url + "/liveness").status_code == 200
        readiness = httpx.get(server.url + "/readiness")
        assert readiness.status_code == 503
        assert "store" in readiness.text
        answer = httpx.get(server.url + "/api/Tournament", params={"Id": str(uuid.uuid4())})
        assert answer.status_code == 503
        assert answer.json()["RequestId"]
    assert "unreachable" in server.log()


def test_lct_serve_becomes_ready_when_postgres_comes_up_later(tmp_path: Path) -> None:
    server_root = tmp_path / "pg"
    pg = PostgresServer.create(server_root)
    with lct_server(tmp_path / "app", {"LCT_DATABASE_URL": pg.url}) as server:
        assert httpx.get(server.url + "/readiness").status_code == 503
        pg.start()
        try:
            wait_until_ready(server.url)
            created = httpx.post(server.url + "/api/Tournament/create", json={"name": "late", "playerLimit": 2})
            assert created.status_code == 200
        finally:
            pg.stop(crash=True)


async def test_database_dying_mid_request_answers_503_and_writes_nothing_half(
    own_postgres: PostgresServer, tmp_path: Path
) -> None:
    with lct_server(tmp_path, {"LCT_DATABASE_URL": own_postgres.url}) as server:
        wait_until_ready(server.url)
        store = PostgresEventStore(own_postgres.url)

        async def read_stream(stream_id: str) -> list:  # type: ignore[type-arg]
            await store.start()
            try:
                return await store.read(stream_id)
            finally:
                await store.close()

        await outage_scenario(server.url, lambda: own_postgres.stop(crash=True), own_postgres.start, read_stream)
