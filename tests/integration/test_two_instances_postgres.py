"""Two ``lct serve`` processes sharing one PostgreSQL: the store, not a process-local lock, keeps the rules."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tests.dbservers import wait_until_ready
from tests.support import Server, lct_server


@pytest.fixture
def two_servers(tmp_path: Path, postgres_url: str) -> Iterator[tuple[Server, Server]]:
    env = {"LCT_DATABASE_URL": postgres_url, "LCT_DATABASE_POOL_SIZE": "10"}
    with lct_server(tmp_path / "a", env) as first, lct_server(tmp_path / "b", env) as second:
        wait_until_ready(first.url)
        wait_until_ready(second.url)
        yield first, second


@pytest.fixture
async def clients(two_servers: tuple[Server, Server]) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """One HTTP client per instance, with room for 100 requests in flight each."""
    limits = httpx.Limits(max_connections=100)
    async with (
        httpx.AsyncClient(base_url=two_servers[0].url, timeout=60, limits=limits) as a,
        httpx.AsyncClient(base_url=two_servers[1].url, timeout=60, limits=limits) as b,
    ):
        yield a, b


async def create(client: httpx.AsyncClient, limit: int) -> str:
    answer = await client.post("/api/Tournament/create", json={"name": f"cup-{uuid.uuid4()}", "playerLimit": limit})
    assert answer.status_code == 200, answer.text
    return str(answer.json())


async def test_one_club_selected_concurrently_through_two_instances_goes_to_exactly_one_player(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient],
) -> None:
    a, b = clients
    tournament_id = await create(a, 10)
    for i in range(10):
        body = {"name": f"Player{i}", "surname": "S", "tournamentId": tournament_id}
        assert (await (a, b)[i % 2].post("/api/Tournament/assignPlayer", json=body)).status_code == 200

    async def select(player: int, attempt: int) -> httpx.Response:
        body = {"playerName": f"Player{player}", "playerSurname": "S", "tournamentId": tournament_id}
        return await (a, b)[attempt % 2].post("/api/Team/select", json={**body, "team": "Bayern"})

    answers = await asyncio.gather(*(select(p, n) for n in range(10) for p in range(10)))
    statuses = Counter(answer.status_code for answer in answers)
    assert statuses == {200: 1, 409: 99}, [(r.status_code, r.text) for r in answers if r.status_code != 409]
    for client in (a, b):
        tournament = (await client.get("/api/Tournament", params={"Id": tournament_id})).json()
        assert [p["selectedTeam"] for p in tournament["players"]].count("Bayern") == 1


async def test_registrations_racing_through_two_instances_fill_exactly_the_seats(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient],
) -> None:
    a, b = clients
    tournament_id = await create(a, 10)

    async def register(i: int) -> httpx.Response:
        body = {"name": f"P{i}", "surname": "S", "tournamentId": tournament_id}
        return await (a, b)[i % 2].post("/api/Tournament/assignPlayer", json=body)

    answers = await asyncio.gather(*(register(i) for i in range(60)))
    statuses = Counter(answer.status_code for answer in answers)
    assert statuses == {200: 10, 409: 50}, [(r.status_code, r.text) for r in answers if r.status_code != 409]
    for client in (a, b):
        tournament = (await client.get("/api/Tournament", params={"Id": tournament_id})).json()
        assert len(tournament["players"]) == 10
        assert len({p["name"] for p in tournament["players"]}) == 10
