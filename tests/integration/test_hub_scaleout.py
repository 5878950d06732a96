"""Scale-out: two ``lct serve`` processes sharing one SQLite file and one real Redis server."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

from tests.conftest import RedisServer
from tests.integration.hub_client import Api, HubClient
from tests.support import Server, lct_server


@pytest.fixture(scope="module")
def pair(
    redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory, hub_env: dict[str, str]
) -> Iterator[tuple[Server, Server]]:
    workdir = tmp_path_factory.mktemp("scaleout")
    env = {"LCT_REDIS_URL": redis_server.url, "LCT_DATABASE_URL": f"sqlite:///{workdir / 'shared.db'}", **hub_env}
    with lct_server(workdir / "a", env) as a, lct_server(workdir / "b", env) as b:
        yield a, b


@pytest.fixture
async def api_b(pair: tuple[Server, Server]) -> AsyncIterator[Api]:
    api = Api(pair[1].url)
    yield api
    await api.aclose()


def name() -> str:
    return f"cup-{uuid.uuid4().hex[:12]}"


async def test_a_client_on_one_instance_gets_messages_caused_on_the_other(
    pair: tuple[Server, Server], api_b: Api
) -> None:
    a, b = pair
    tid = await api_b.create(name(), 2)
    other = await api_b.create(name(), 2)
    async with HubClient.connect(a.ws_url, tid) as on_a, HubClient.connect(a.ws_url, other) as bystander:
        async with HubClient.connect(b.ws_url, tid) as on_b:
            await api_b.assign(tid, "Jan", "Nowak")
            await api_b.assign(tid, "Ola", "Kowal")
            await on_b.click(tid, "Bayern", "Jan", "Nowak")
            for client in (on_a, on_b):
                kinds = [(await client.next_payload())["type"] for _ in range(3)]
                assert kinds == ["PlayerAssigned", "PlayerAssigned", "TeamClicked"]
            await api_b.select(tid, "Jan", "Nowak", "Bayern")
            await api_b.select(tid, "Ola", "Kowal", "PSG")
            drawn = await api_b.draw(tid)
            for client in (on_a, on_b):
                payloads = [(await client.next_payload()) for _ in range(3)]
                assert [p["type"] for p in payloads] == ["TeamSelected", "TeamSelected", "TeamsDrawn"]
                assert payloads[-1]["drawnTeams"] == drawn
            await on_a.click(tid, "PSG", "Ola", "Kowal")
            clicked = await on_b.next_payload()
            assert clicked["clickedTeams"] == [
                {"team": "Bayern", "name": "Jan", "surname": "Nowak"},
                {"team": "PSG", "name": "Ola", "surname": "Kowal"},
            ]
            assert (await on_a.next_payload())["clickedTeams"] == clicked["clickedTeams"]
        assert await bystander.silent_for(0.3)


async def test_messages_published_while_redis_is_down_arrive_exactly_once_after_it_returns(
    pair: tuple[Server, Server], api_b: Api, redis_server: RedisServer
) -> None:
    a, _ = pair
    tid = await api_b.create(name(), 3)
    async with HubClient.connect(a.ws_url, tid) as on_a:
        await asyncio.to_thread(redis_server.stop)
        try:
            for player in ("Jan", "Ola", "Ewa"):
                started = time.monotonic()
                await api_b.assign(tid, player, "Nowak")
                assert time.monotonic() - started < 1.0, "a REST call waited for Redis"
        finally:
            await asyncio.to_thread(redis_server.start)
        got = [await on_a.next_payload(within=15) for _ in range(3)]
        assert [(p["type"], p["name"]) for p in got] == [("PlayerAssigned", n) for n in ("Jan", "Ola", "Ewa")]
        assert [p["version"] for p in got] == sorted({p["version"] for p in got})
        assert await on_a.silent_for(1.5), "a buffered message was delivered twice"
        await api_b.select(tid, "Jan", "Nowak", "Bayern")
        assert (await on_a.next_payload())["type"] == "TeamSelected"
