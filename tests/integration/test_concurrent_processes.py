"""Real concurrency: two `lct serve` processes sharing one SQLite file, hammered at the same time."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from tests.support import Server, lct_server


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    workdir = tmp_path_factory.mktemp("two")
    env = {"LCT_DATABASE_URL": f"sqlite:///{workdir / 'shared.db'}", "LCT_LOG_LEVEL": "WARNING"}
    with ExitStack() as stack:
        a = stack.enter_context(lct_server(workdir / "a", env))
        b = stack.enter_context(lct_server(workdir / "b", env))
        yield a, b


async def create(client: httpx.AsyncClient, url: str, limit: int) -> str:
    response = await client.post(
        f"{url}/api/Tournament/create", json={"name": f"race {uuid.uuid4()}", "playerLimit": limit}
    )
    assert response.status_code == 200
    return str(response.json())


async def test_fifty_concurrent_registrations_over_two_instances_admit_exactly_ten(
    servers: tuple[Server, Server],
) -> None:
    a, b = servers
    async with httpx.AsyncClient(timeout=30) as client:
        tid = await create(client, a.url, 10)
        responses = await asyncio.gather(
            *(
                client.post(
                    f"{(a, b)[i % 2].url}/api/Tournament/assignPlayer",
                    json={"name": f"p{i}", "surname": "s", "tournamentId": tid},
                )
                for i in range(50)
            )
        )
        statuses = sorted(r.status_code for r in responses)
        assert statuses.count(200) == 10, statuses
        assert statuses.count(409) == 40, statuses
        for server in (a, b):
            players = (await client.get(f"{server.url}/api/Tournament?Id={tid}")).json()["players"]
            assert len(players) == 10
            assert len({p["name"] for p in players}) == 10


async def test_twenty_concurrent_selections_of_one_club_over_two_instances_admit_one(
    servers: tuple[Server, Server],
) -> None:
    a, b = servers
    async with httpx.AsyncClient(timeout=30) as client:
        tid = await create(client, b.url, 10)
        for i in range(10):
            r = await client.post(
                f"{a.url}/api/Tournament/assignPlayer", json={"name": f"p{i}", "surname": "s", "tournamentId": tid}
            )
            assert r.status_code == 200
        responses = await asyncio.gather(
            *(
                client.post(
                    f"{(a, b)[i % 2].url}/api/Team/select",
                    json={"playerName": f"p{i % 10}", "playerSurname": "s", "tournamentId": tid, "team": "Bayern"},
                )
                for i in range(20)
            )
        )
        statuses = [r.status_code for r in responses]
        assert statuses.count(200) == 1, statuses
        assert statuses.count(409) == 19, statuses
        players = (await client.get(f"{a.url}/api/Tournament?Id={tid}")).json()["players"]
        assert [p["selectedTeam"] for p in players].count("Bayern") == 1
        assert sum(p["selectedTeam"] is not None for p in players) == 1


async def test_concurrent_draws_over_two_instances_return_one_result(
    servers: tuple[Server, Server], tmp_path: Path
) -> None:
    a, b = servers
    async with httpx.AsyncClient(timeout=30) as client:
        tid = await create(client, a.url, 4)
        for i, team in enumerate(("Bayern", "PSG", "Chelsea", "Juventus")):
            await client.post(
                f"{a.url}/api/Tournament/assignPlayer", json={"name": f"p{i}", "surname": "s", "tournamentId": tid}
            )
            await client.post(
                f"{b.url}/api/Team/select",
                json={"playerName": f"p{i}", "playerSurname": "s", "tournamentId": tid, "team": team},
            )
        responses = await asyncio.gather(
            *(client.get(f"{(a, b)[i % 2].url}/api/Tournament/draw?tournamentId={tid}") for i in range(10))
        )
        assert {r.status_code for r in responses} == {200}
        assert len({r.text for r in responses}) == 1
