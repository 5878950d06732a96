"""API v2 on real ``lct serve`` processes: secrets stay secret in logs and shipped documents, the hub refuses
spoofed clicks, and concurrent host and player actions over two instances keep every invariant."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from osmem_server import OsmemClone
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.hub_client import HubClient
from tests.integration.test_elastic import search
from tests.support import Server, lct_server

V2 = "/api/v2"


def auth(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


class Cup:
    """A protected tournament driven over HTTP (one or more instances, used in turn)."""

    def __init__(self, http: list[httpx.AsyncClient], body: dict[str, Any]) -> None:
        self.http = http
        self.id: str = body["tournament"]["id"]
        self.host: str = body["hostToken"]
        self.tokens: dict[str, str] = {}
        self.ids: dict[str, str] = {}
        self.turn = 0

    @classmethod
    async def create(cls, http: list[httpx.AsyncClient], seats: int, *players: str) -> Cup:
        response = await http[0].post(f"{V2}/tournaments", json={"name": f"live {uuid.uuid4().hex}", "seats": seats})
        assert response.status_code == 201, response.text
        cup = cls(http, response.json())
        for name in players:
            assert (await cup.join(name)).status_code == 201
        return cup

    def client(self) -> httpx.AsyncClient:
        self.turn += 1
        return self.http[self.turn % len(self.http)]

    def url(self, tail: str = "") -> str:
        return f"{V2}/tournaments/{self.id}{tail}"

    async def join(self, name: str) -> httpx.Response:
        response = await self.client().post(self.url("/players"), json={"name": name, "surname": "Live"})
        if response.status_code == 201:
            self.tokens[name], self.ids[name] = response.json()["playerToken"], response.json()["player"]["id"]
        return response

    async def pick(self, name: str, club: str) -> httpx.Response:
        return await self.client().put(
            self.url(f"/players/{self.ids[name]}/club"), json={"club": club}, headers=auth(self.tokens[name])
        )

    async def state(self) -> dict[str, Any]:
        body: dict[str, Any] = (await self.client().get(self.url())).json()
        return body


# --- secrets never logged ---------------------------------------------------------------------------------------


@pytest.fixture
def logged_server(osmem_clone: OsmemClone, tmp_path: Path) -> Iterator[Server]:
    """Stand-in sink: osmem-server (not Elasticsearch). Debug level: as much logging as the service can do."""
    env = {"LCT_ELASTICSEARCH_URL": osmem_clone.url, "LCT_LOG_LEVEL": "DEBUG", "LCT_LOG_FORMAT": "json"}
    with lct_server(tmp_path, env) as running:
        yield running


@pytest.mark.standin
async def test_tokens_and_undrawn_seeds_never_reach_a_log_line_or_a_shipped_document(
    logged_server: Server, osmem_clone: OsmemClone
) -> None:
    seen: list[str] = []  # every response body and header before the draw

    async def record(response: httpx.Response) -> None:
        await response.aread()
        seen.append(response.text + str(response.headers))

    async with httpx.AsyncClient(base_url=logged_server.url, timeout=10, event_hooks={"response": [record]}) as http:
        cup = await Cup.create([http], 3, "Jan", "Ola")
        await cup.pick("Jan", "Bayern")
        await http.put(cup.url(f"/players/{cup.ids['Ola']}/club"), json={"club": "PSG"}, headers=auth("not-a-token"))
        reissued = (await http.post(cup.url(f"/players/{cup.ids['Ola']}/token"), headers=auth(cup.host))).json()
        revoked, cup.tokens["Ola"] = cup.tokens["Ola"], reissued["playerToken"]
        await cup.pick("Ola", "PSG")
        await http.get(f"/api/Tournament?id={cup.id}")
        async with HubClient.connect(logged_server.ws_url, cup.id, query=f"access_token={cup.tokens['Jan']}") as hub:
            await hub.click(cup.id, "Chelsea", "Jan", "Live")
            seen.append(json.dumps(await hub.next_payload()))
        drawn = (await http.post(cup.url("/draw"), headers=auth(cup.host))).json()
        marker = f"end-{uuid.uuid4()}"
        await http.get("/liveness", headers={"X-Request-ID": marker})
    seed = drawn["drawProof"]["serverSeed"]
    assert seed and not any(seed in text for text in seen[:-2])  # the draw's own response reveals it, none before
    secrets = [cup.host, cup.tokens["Jan"], cup.tokens["Ola"], revoked, seed]
    shipped = json.dumps([hit["_source"] for hit in _shipped_until(osmem_clone.url, marker)])
    log = logged_server.log()
    assert "access_token=[REDACTED]" in log  # the hub's upgrade request was logged, with its token redacted
    for secret in secrets:
        assert secret not in log
        assert secret not in shipped


def _shipped_until(url: str, marker: str) -> list[dict[str, Any]]:
    from tests.integration.test_elastic import wait_for_hits

    wait_for_hits(url, lambda doc: doc.get("RequestId") == marker)
    return search(url)


# --- the hub refuses spoofed clicks -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with lct_server(tmp_path_factory.mktemp("live")) as running:
        yield running


@pytest.fixture
async def http(server: Server) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
        yield client


async def rejected(server: Server) -> float:
    async with httpx.AsyncClient() as client:
        text = (await client.get(server.url + "/metrics")).text
    return next(
        s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == "lct_hub_messages_total" and s.labels.get("outcome") == "rejected"
    )


async def test_on_a_protected_tournament_only_a_player_token_clicks_and_as_that_player(
    server: Server, http: httpx.AsyncClient
) -> None:
    cup = await Cup.create([http], 3, "Jan", "Ola")
    before = await rejected(server)
    async with (
        HubClient.connect(server.ws_url, cup.id) as watcher,
        HubClient.connect(server.ws_url, cup.id, query=f"access_token={cup.tokens['Jan']}") as jan,
    ):
        await watcher.click(cup.id, "Bayern", "Ola", "Live")  # no token: watch only
        await jan.click(cup.id, "PSG", "Ola", "Live")  # Jan's token: counted as Jan, whatever the payload says
        clicked = (await watcher.next_payload())["clickedTeams"]
        assert clicked == [{"team": "PSG", "name": "Jan", "surname": "Live", "playerId": cup.ids["Jan"]}]
        assert await watcher.silent_for(0.5)
    assert await rejected(server) == before + 1


async def test_a_click_for_another_tournament_is_never_delivered(server: Server, http: httpx.AsyncClient) -> None:
    target = await Cup.create([http], 2, "Jan")
    other = await Cup.create([http], 2, "Eve")
    open_id = (await http.post("/api/Tournament/create", json={"name": f"o {uuid.uuid4()}", "playerLimit": 2})).json()
    before = await rejected(server)
    async with (
        HubClient.connect(server.ws_url, target.id) as victim,
        HubClient.connect(server.ws_url, open_id) as victim_open,
        HubClient.connect(server.ws_url, other.id, query=f"access_token={other.tokens['Eve']}") as spoofer,
    ):
        await spoofer.click(target.id, "Bayern", "Jan", "Live")
        await spoofer.click(open_id, "Bayern", "Jan", "Live")
        assert await victim.silent_for(0.5) and await victim_open.silent_for(0.1)
    assert await rejected(server) == before + 2


async def test_on_an_open_tournament_a_click_must_name_a_registered_player(
    server: Server, http: httpx.AsyncClient
) -> None:
    tid = (await http.post("/api/Tournament/create", json={"name": f"o {uuid.uuid4()}", "playerLimit": 2})).json()
    body = {"name": "Jan", "surname": "Live", "tournamentId": tid}
    assert (await http.post("/api/Tournament/assignPlayer", json=body)).status_code == 200
    async with HubClient.connect(server.ws_url, tid) as hub:
        await hub.click(tid, "Bayern", "Nobody", "Here")
        await hub.click(tid, "PSG", "Jan", "Live")
        assert (await hub.next_payload())["clickedTeams"] == [{"team": "PSG", "name": "Jan", "surname": "Live"}]


# --- races over two instances --------------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
async def pair(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[list[httpx.AsyncClient]]:
    """Two ``lct serve`` on one store (a shared SQLite file, or one PostgreSQL)."""
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{tmp_path / 'shared.db'}"
    env = {"LCT_DATABASE_URL": url}
    with lct_server(tmp_path / "a", env) as a, lct_server(tmp_path / "b", env) as b:
        async with AsyncExitStack() as stack:
            clients = [await stack.enter_async_context(httpx.AsyncClient(base_url=s.url, timeout=30)) for s in (a, b)]
            yield clients


ROUNDS = 8


def consistent(state: dict[str, Any]) -> None:
    players = {p["id"] for p in state["players"]}
    assert len(players) <= state["seats"]
    assert {c["pickedBy"] for c in state["clubs"] if c["pickedBy"]} <= players
    clubs = [p["club"] for p in state["players"] if p["club"]]
    assert len(clubs) == len(set(clubs))
    if state["draw"] is not None:
        assert {d["playerId"] for d in state["draw"]} == players
        assert sorted(d["club"] for d in state["draw"]) == sorted(clubs)


async def test_kick_against_pick_has_one_outcome_and_no_orphan_club(pair: list[httpx.AsyncClient]) -> None:
    for _ in range(ROUNDS):
        cup = await Cup.create(pair, 3, "Jan", "Ola")
        kick = cup.client().delete(cup.url(f"/players/{cup.ids['Jan']}"), headers=auth(cup.host))
        kicked, picked = await asyncio.gather(kick, cup.pick("Jan", "Bayern"))
        assert kicked.status_code == 204 and picked.status_code in (200, 401), picked.text
        state = await cup.state()
        consistent(state)
        assert cup.ids["Jan"] not in {p["id"] for p in state["players"]}
        assert all(c["pickedBy"] is None for c in state["clubs"])


async def test_leave_against_draw_has_one_outcome(pair: list[httpx.AsyncClient]) -> None:
    for _ in range(ROUNDS):
        cup = await Cup.create(pair, 3, "Jan", "Ola", "Ewa")
        for name, club in (("Jan", "Bayern"), ("Ola", "PSG"), ("Ewa", "Chelsea")):
            assert (await cup.pick(name, club)).status_code == 200
        leave = cup.client().delete(cup.url(f"/players/{cup.ids['Ewa']}"), headers=auth(cup.tokens["Ewa"]))
        draw = cup.client().post(cup.url("/draw"), headers=auth(cup.host))
        left, drawn = await asyncio.gather(leave, draw)
        assert drawn.status_code == 200
        assert (left.status_code, len(drawn.json()["draw"])) in {(204, 2), (409, 3)}, left.text
        consistent(await cup.state())


async def test_fewer_seats_against_a_join_lets_exactly_one_win(pair: list[httpx.AsyncClient]) -> None:
    for _ in range(ROUNDS):
        cup = await Cup.create(pair, 3, "Jan", "Ola")
        shrink = cup.client().patch(cup.url(), json={"seats": 2}, headers=auth(cup.host))
        shrunk, joined = await asyncio.gather(shrink, cup.join("Ewa"))
        assert sorted((shrunk.status_code, joined.status_code)) in ([200, 409], [201, 409]), (shrunk.text, joined.text)
        state = await cup.state()
        consistent(state)
        assert len(state["players"]) == state["seats"]


async def test_many_concurrent_pick_changes_never_give_one_club_to_two_players(pair: list[httpx.AsyncClient]) -> None:
    cup = await Cup.create(pair, 4, "Jan", "Ola", "Ewa", "Iga")
    names = list(cup.ids)
    attempts = [cup.pick(names[i % 4], ("Bayern", "PSG", "Chelsea")[i % 3]) for i in range(40)]
    results = await asyncio.gather(*attempts)
    assert {r.status_code for r in results} <= {200, 409}
    consistent(await cup.state())


async def test_scores_entered_through_both_instances_converge(pair: list[httpx.AsyncClient]) -> None:
    """Issue 14: every score of a league entered at once, alternating instances, then corrected: both instances
    serve the same fixtures and standings, which add up."""
    cup = await Cup.create(pair, 4, "Jan", "Ola", "Ewa", "Iga")
    for name, club in zip(cup.ids, ("Bayern", "PSG", "Chelsea", "Juventus"), strict=True):
        assert (await cup.pick(name, club)).status_code == 200
    assert (await cup.client().post(cup.url("/draw"), headers=auth(cup.host))).status_code == 200
    made = await cup.client().post(cup.url("/fixtures"), json={"format": "league"}, headers=auth(cup.host))
    matches = made.json()["matches"]
    by_id = {pid: name for name, pid in cup.ids.items()}

    def score(match: dict[str, Any], home: int, away: int, as_home: bool) -> Any:
        player = by_id[(match["home"] if as_home else match["away"])["playerId"]]
        body = {"home": home, "away": away}
        return cup.client().put(cup.url(f"/matches/{match['id']}/score"), json=body, headers=auth(cup.tokens[player]))

    first = await asyncio.gather(*(score(m, i % 3, 1, True) for i, m in enumerate(matches)))
    again = await asyncio.gather(*(score(m, 3, i % 2, False) for i, m in enumerate(matches)))
    assert {r.status_code for r in (*first, *again)} == {200}
    seen = [(await client.get(cup.url("/fixtures"))).json() for client in pair]
    assert seen[0]["matches"] == seen[1]["matches"] and seen[0]["standings"] == seen[1]["standings"]
    assert all(
        m["score"] == {"home": 3, "away": i % 2, "penaltiesWinner": None} for i, m in enumerate(seen[0]["matches"])
    )
    table = seen[0]["standings"]
    assert sum(r["goalsFor"] for r in table) == sum(r["goalsAgainst"] for r in table)
    assert all(len(m["history"]) == 2 for m in seen[0]["matches"])
