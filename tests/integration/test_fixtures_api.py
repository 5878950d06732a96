"""Fixtures, scores and standings through API v2 (issue 14): every route, who may do what, the rules that refuse."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from lct.config import Settings
from lct.entrypoints.http import create_app
from tests.fakes import RecordingBroker

V2 = "/api/v2/tournaments"
CLUBS = ("Bayern", "PSG", "Chelsea", "Juventus", "Liverpool", "Barcelona")


@pytest.fixture
def broker() -> RecordingBroker:
    return RecordingBroker()


@pytest.fixture
async def http(tmp_path: Path, broker: RecordingBroker) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'fx.db'}"), broker=broker)
    async with (
        app.lifespan_context(),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lct.test") as client,
    ):
        yield client


def bearer(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


class Drawn:
    """A protected tournament drawn with ``players`` players, its host token and every player's token."""

    def __init__(self, http: httpx.AsyncClient, tid: str, host: str, tokens: dict[str, str]) -> None:
        self.http, self.id, self.host, self.tokens = http, tid, host, tokens

    async def fixtures(self, body: dict[str, Any], token: str | None = "host") -> httpx.Response:
        used = self.host if token == "host" else token
        return await self.http.post(f"{V2}/{self.id}/fixtures", json=body, headers=bearer(used))

    async def score(self, match: str, home: int, away: int, token: str | None, **extra: Any) -> httpx.Response:
        body = {"home": home, "away": away, **extra}
        return await self.http.put(f"{V2}/{self.id}/matches/{match}/score", json=body, headers=bearer(token))

    def token_of(self, side: dict[str, Any]) -> str:
        return self.tokens[side["playerId"]]


async def drawn(http: httpx.AsyncClient, players: int) -> Drawn:
    created = (await http.post(V2, json={"name": f"fx {players} {id(http)}", "seats": players})).json()
    tid, host = created["tournament"]["id"], created["hostToken"]
    tokens: dict[str, str] = {}
    for i in range(players):
        joined = (await http.post(f"{V2}/{tid}/players", json={"name": f"P{i}", "surname": "X"})).json()
        pid = joined["player"]["id"]
        tokens[pid] = joined["playerToken"]
        await http.put(f"{V2}/{tid}/players/{pid}/club", json={"club": CLUBS[i]}, headers=bearer(tokens[pid]))
    assert (await http.post(f"{V2}/{tid}/draw", headers=bearer(host))).status_code == 200
    return Drawn(http, tid, host, tokens)


def error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["ErrorCode"] == code


async def test_a_league_is_made_by_the_host_only_after_the_draw_and_read_by_anyone(http: httpx.AsyncClient) -> None:
    created = (await http.post(V2, json={"name": "early", "seats": 2})).json()
    early = await http.post(
        f"{V2}/{created['tournament']['id']}/fixtures", json={"format": "league"}, headers=bearer(created["hostToken"])
    )
    error(early, 409, "NotDrawnYet")
    cup = await drawn(http, 3)
    error(await cup.fixtures({"format": "league"}, token=None), 401, "Unauthorized")
    error(await cup.fixtures({"format": "league"}, token=next(iter(cup.tokens.values()))), 403, "Forbidden")
    error(await cup.fixtures({"format": "cup"}), 400, "InvalidField")
    made = await cup.fixtures({"format": "league", "legs": 2})
    assert made.status_code == 201
    body = made.json()
    assert (body["format"], body["legs"], len(body["matches"])) == ("league", 2, 6)
    assert body["next"] == body["matches"][0]["id"] and body["champion"] is None
    assert [row["position"] for row in body["standings"]] == [1, 2, 3]
    read = await http.get(f"{V2}/{cup.id}/fixtures")
    assert read.status_code == 200 and read.json()["matches"] == body["matches"]
    assert (await http.get(f"{V2}/{cup.id}")).json()["hasFixtures"] is True


async def test_scores_come_from_the_players_of_the_match_or_the_host_and_count_at_once(
    http: httpx.AsyncClient,
) -> None:
    cup = await drawn(http, 3)
    match = (await cup.fixtures({"format": "league"})).json()["matches"][0]
    outsider = next(
        t for pid, t in cup.tokens.items() if pid not in (match["home"]["playerId"], match["away"]["playerId"])
    )
    error(await cup.score(match["id"], 1, 0, outsider), 403, "Forbidden")
    error(await cup.score(match["id"], 1, 0, None), 401, "Unauthorized")
    error(await cup.score(match["id"], 100, 0, cup.host), 400, "InvalidField")
    error(await cup.score("m99", 1, 0, cup.host), 404, "MatchNotFound")
    entered = await cup.score(match["id"], 2, 1, cup.token_of(match["home"]))
    assert entered.status_code == 200
    table = {row["playerId"]: row for row in entered.json()["standings"]}
    assert table[match["home"]["playerId"]]["points"] == 3 and table[match["away"]["playerId"]]["points"] == 0
    corrected = (await cup.score(match["id"], 1, 1, cup.token_of(match["away"]))).json()
    row = next(m for m in corrected["matches"] if m["id"] == match["id"])
    assert row["score"] == {"home": 1, "away": 1, "penaltiesWinner": None}
    assert [(h["action"], h["by"]) for h in row["history"]] == [
        ("entered", match["home"]["playerId"]),
        ("corrected", match["away"]["playerId"]),
    ]
    standings = (await http.get(f"{V2}/{cup.id}/standings")).json()
    assert sum(r["points"] for r in standings) == 2 and sum(r["goalsFor"] for r in standings) == 2


async def test_the_host_locks_a_score_and_then_nobody_changes_it(http: httpx.AsyncClient) -> None:
    cup = await drawn(http, 2)
    match = (await cup.fixtures({"format": "league"})).json()["matches"][0]
    lock_url = f"{V2}/{cup.id}/matches/{match['id']}/lock"
    error(await http.post(lock_url, headers=bearer(cup.host)), 409, "NoScoreToLock")
    await cup.score(match["id"], 3, 0, cup.token_of(match["home"]))
    error(await http.post(lock_url, headers=bearer(cup.token_of(match["home"]))), 403, "Forbidden")
    locked = await http.post(lock_url, headers=bearer(cup.host))
    assert locked.status_code == 200 and locked.json()["matches"][0]["locked"] is True
    error(await cup.score(match["id"], 0, 3, cup.host), 409, "MatchLocked")
    error(await cup.fixtures({"format": "knockout"}), 409, "FixturesInProgress")  # a score exists: no replacing


async def test_a_knockout_of_five_advances_winners_needs_penalties_when_level_and_crowns_a_champion(
    http: httpx.AsyncClient,
) -> None:
    cup = await drawn(http, 5)
    body = (await cup.fixtures({"format": "knockout"})).json()
    byes = [m for m in body["matches"] if (m["home"] is None) != (m["away"] is None) and m["round"] == 1]
    assert len(byes) == 3 and all(m["score"] is None for m in byes)
    assert (await http.get(f"{V2}/{cup.id}/standings")).status_code == 404
    played = 0
    while body["next"] is not None:
        match = next(m for m in body["matches"] if m["id"] == body["next"])
        if played == 0:
            error(await cup.score(match["id"], 1, 1, cup.host), 400, "InvalidField")
            response = await cup.score(match["id"], 1, 1, cup.host, penaltiesWinner="away")
        else:
            response = await cup.score(match["id"], 2, 0, cup.token_of(match["home"]))
        assert response.status_code == 200, response.text
        body = response.json()
        played += 1
    assert played == 4 and body["champion"] is not None


async def test_a_winner_that_already_played_on_cannot_be_changed(http: httpx.AsyncClient) -> None:
    cup = await drawn(http, 4)
    body = (await cup.fixtures({"format": "knockout"})).json()
    first, second = (m for m in body["matches"] if m["round"] == 1)
    await cup.score(first["id"], 2, 0, cup.host)
    await cup.score(second["id"], 2, 0, cup.host)
    final = (await http.get(f"{V2}/{cup.id}/fixtures")).json()["matches"][-1]
    await cup.score(final["id"], 1, 0, cup.host)
    error(await cup.score(first["id"], 0, 2, cup.host), 409, "ResultAlreadyUsed")
    assert (await cup.score(first["id"], 3, 0, cup.host)).status_code == 200  # same winner: allowed


async def test_fixtures_and_scores_reach_the_hub_with_the_stream_version(
    http: httpx.AsyncClient, broker: RecordingBroker
) -> None:
    cup = await drawn(http, 2)
    match = (await cup.fixtures({"format": "league"})).json()["matches"][0]
    state = await cup.score(match["id"], 1, 0, cup.host)
    payloads = [p for p in broker.payloads() if p["tournamentId"] == cup.id]
    created, changed = payloads[-2], payloads[-1]
    assert (created["type"], created["format"]) == ("FixturesCreated", "league")
    assert (changed["type"], changed["matchId"]) == ("ScoreChanged", match["id"])
    assert changed["version"] == state.json()["version"] == created["version"] + 1


async def test_fixtures_of_a_tournament_without_them_are_404(http: httpx.AsyncClient) -> None:
    cup = await drawn(http, 2)
    error(await http.get(f"{V2}/{cup.id}/fixtures"), 404, "NotFound")
