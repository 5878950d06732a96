"""Names at the limit, end to end on every production store (a real ``lct serve`` each): control characters,
zero-width characters and NUL in a tournament or player name are refused with 400 InvalidField and nothing is
stored; the same name in another normalisation form or letter case is the same name (409). The rule itself lives
in ``lct.domain.text``; this proves that it holds through the live API down to SQLite, PostgreSQL and MongoDB
(the nx-27017 stand-in unless LCT_TEST_MONGODB_URL points at a real server)."""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import Server, lct_server

REFUSED = {"bell": "\x07", "zero-width space": "\u200b", "byte-order mark": "\ufeff", "NUL": "\x00"}


@pytest.fixture(
    scope="module",
    params=["sqlite", "postgresql", pytest.param("mongodb", marks=pytest.mark.standin)],
)
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    env = {"LCT_LOG_LEVEL": "WARNING"}
    if request.param == "postgresql":
        env["LCT_DATABASE_URL"] = request.getfixturevalue("postgres_url")
    elif request.param == "mongodb":
        env["LCT_DATABASE_URL"] = request.getfixturevalue("mongodb_url")
        env["LCT_MONGO_DATABASE"] = f"names_{uuid.uuid4().hex[:12]}"
    workdir: Path = tmp_path_factory.mktemp(f"names-{request.param}")
    with lct_server(workdir, env, ready_path="/readiness") as started:
        yield started


@pytest.fixture
async def http(server: Server) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        yield client


def unique() -> str:
    return uuid.uuid4().hex[:10]


async def create(http: httpx.AsyncClient, name: str) -> httpx.Response:
    return await http.post("/api/Tournament/create", json={"name": name, "playerLimit": 4})


async def tournament(http: httpx.AsyncClient, tid: str) -> dict[str, object]:
    response = await http.get("/api/Tournament", params={"Id": tid})
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def invalid_field(response: httpx.Response) -> None:
    assert response.status_code == 400, response.text
    assert response.json()["ErrorCode"] == "InvalidField"


@pytest.mark.parametrize("char", REFUSED.values(), ids=REFUSED.keys())
async def test_a_tournament_name_with_an_invisible_or_control_character_is_refused_and_not_stored(
    http: httpx.AsyncClient, char: str
) -> None:
    base = f"Cup {unique()}"
    invalid_field(await create(http, f"{base}{char}x"))
    invalid_field(await create(http, f"{char}{base}"))
    invalid_field(await http.post("/api/v2/tournaments", json={"name": f"{base}{char}", "seats": 2}))
    created = await create(http, base)  # the refused names claimed nothing
    assert created.status_code == 200, created.text
    assert (await tournament(http, created.json()))["tournamentName"] == base


@pytest.mark.parametrize("char", REFUSED.values(), ids=REFUSED.keys())
async def test_a_player_name_with_an_invisible_or_control_character_is_refused_and_not_stored(
    http: httpx.AsyncClient, char: str
) -> None:
    tid = (await create(http, f"Cup {unique()}")).json()
    version = (await tournament(http, tid))["streamVersion"]
    for name, surname in ((f"Jan{char}", "Nowak"), ("Jan", f"{char}Nowak"), (f"Ja{char}n", "Nowak")):
        body = {"name": name, "surname": surname, "tournamentId": tid}
        invalid_field(await http.post("/api/Tournament/assignPlayer", json=body))
    state = await tournament(http, tid)
    assert state["players"] == [] and state["streamVersion"] == version
    body = {"name": "Jan", "surname": "Nowak", "tournamentId": tid}
    assert (await http.post("/api/Tournament/assignPlayer", json=body)).status_code == 200


async def test_the_same_tournament_name_in_nfd_or_another_case_is_taken(http: httpx.AsyncClient) -> None:
    name = f"Józef Cup {unique()}"
    first = await create(http, name)
    assert first.status_code == 200, first.text
    for variant in (unicodedata.normalize("NFD", name), name.upper(), f"  {name.lower()} "):
        assert variant != name
        taken = await create(http, variant)
        assert taken.status_code == 409, (variant, taken.text)
        assert taken.json()["ErrorCode"] == "TournamentNameNotUnique"


async def test_the_same_player_in_nfd_or_another_case_is_one_player(http: httpx.AsyncClient) -> None:
    tid = (await create(http, f"Cup {unique()}")).json()
    joined = {"name": "Józef", "surname": "Wiśniewski", "tournamentId": tid}
    assert (await http.post("/api/Tournament/assignPlayer", json=joined)).status_code == 200
    for name, surname in (
        (unicodedata.normalize("NFD", "Józef"), unicodedata.normalize("NFD", "Wiśniewski")),
        ("JÓZEF", "WIŚNIEWSKI"),
        ("józef", "wiśniewski"),
    ):
        again = await http.post("/api/Tournament/assignPlayer", json={**joined, "name": name, "surname": surname})
        assert again.status_code == 409, (name, again.text)
    players = (await tournament(http, tid))["players"]
    assert isinstance(players, list) and [(p["name"], p["surname"]) for p in players] == [("Józef", "Wiśniewski")]
