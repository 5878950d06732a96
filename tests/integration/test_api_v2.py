"""REST API v2 through the real ASGI app: shapes, tokens and who may do what, host controls (docs/api.md)."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from lct.config import Settings
from lct.entrypoints.http import App, create_app
from tests.fakes import RecordingBroker

V2 = "/api/v2"
OWN = "<own token>"


@pytest.fixture
def broker() -> RecordingBroker:
    return RecordingBroker()


@pytest.fixture
async def client(tmp_path: Path, broker: RecordingBroker) -> AsyncIterator[httpx.AsyncClient]:
    app: App = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'v2.db'}"), broker=broker)
    async with (
        app.lifespan_context(),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lct.test") as c,
    ):
        yield c


def auth(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


@dataclass
class Cup:
    id: str
    host: str
    tokens: dict[str, str]
    ids: dict[str, str]
    client: httpx.AsyncClient

    def url(self, tail: str = "") -> str:
        return f"{V2}/tournaments/{self.id}{tail}"

    async def state(self) -> dict[str, Any]:
        response = await self.client.get(self.url())
        assert response.status_code == 200
        body: dict[str, Any] = response.json()
        return body

    async def pick(self, who: str, club: str, token: str | None = OWN) -> httpx.Response:
        """``who`` picks ``club``, with their own token unless another one (or None: no token) is given."""
        used = self.tokens[who] if token is OWN else token
        return await self.client.put(
            self.url(f"/players/{self.ids[who]}/club"), json={"club": club}, headers=auth(used)
        )


async def new_cup(client: httpx.AsyncClient, seats: int = 4, players: tuple[str, ...] = (), **extra: Any) -> Cup:
    response = await client.post(
        f"{V2}/tournaments", json={"name": f"Cup {uuid.uuid4().hex[:8]}", "seats": seats, **extra}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    cup = Cup(body["tournament"]["id"], body["hostToken"], {}, {}, client)
    for name in players:
        await join(cup, name)
    return cup


async def join(cup: Cup, name: str, surname: str = "Nowak") -> httpx.Response:
    response = await cup.client.post(cup.url("/players"), json={"name": name, "surname": surname, "clientSeed": "ab12"})
    if response.status_code == 201:
        cup.tokens[name] = response.json()["playerToken"]
        cup.ids[name] = response.json()["player"]["id"]
    return response


def error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ErrorCode"] == code
    assert body["RequestId"] == response.headers["x-request-id"]


# --- shapes ---


async def test_creating_returns_201_the_state_a_host_token_and_a_location(client: httpx.AsyncClient) -> None:
    response = await client.post(f"{V2}/tournaments", json={"name": "Friday", "seats": 3})
    assert response.status_code == 201
    body = response.json()
    state = body["tournament"]
    assert response.headers["location"] == f"{V2}/tournaments/{state['id']}"
    assert len(body["hostToken"]) == 43 and body["hostToken"] not in response.text.replace(body["hostToken"], "", 1)
    assert state["protected"] is True and state["seats"] == 3 and state["locked"] is False
    assert state["players"] == [] and state["draw"] is None and state["drawProof"] is None
    assert len(state["code"]) == 6 and len(state["drawCommitment"]) == 64
    for key in ("id", "name", "seats", "locked", "protected", "version", "players", "draw"):
        assert key in state


async def test_joining_returns_201_the_player_and_a_token_and_the_state_never_shows_tokens(
    client: httpx.AsyncClient,
) -> None:
    cup = await new_cup(client)
    response = await join(cup, "Jan")
    assert response.status_code == 201
    assert response.json()["player"] == {
        "id": cup.ids["Jan"],
        "name": "Jan",
        "surname": "Nowak",
        "club": None,
        "drawnClub": None,
    }
    assert response.headers["location"].endswith(f"/players/{cup.ids['Jan']}")
    text = (await client.get(cup.url())).text
    assert cup.tokens["Jan"] not in text and cup.host not in text


async def test_join_is_refused_when_full_locked_drawn_or_the_name_is_taken(client: httpx.AsyncClient) -> None:
    cup = await new_cup(client, seats=2, players=("Jan",))
    error(await join(cup, "JAN"), 409, "PlayerAlreadyAssigned")
    await client.patch(cup.url(), json={"locked": True}, headers=auth(cup.host))
    error(await join(cup, "Ola"), 409, "TournamentLocked")
    await client.patch(cup.url(), json={"locked": False}, headers=auth(cup.host))
    assert (await join(cup, "Ola")).status_code == 201
    error(await join(cup, "Ewa"), 409, "TournamentLimitExceeded")
    await cup.pick("Jan", "Bayern")
    await cup.pick("Ola", "PSG")
    assert (await client.post(cup.url("/draw"), headers=auth(cup.host))).status_code == 200
    error(await join(cup, "Ewa"), 409, "AlreadyDrawn")


# --- impersonation: every attempt fails ---


async def test_a_player_cannot_pick_for_another_player(client: httpx.AsyncClient) -> None:
    cup = await new_cup(client, players=("Jan", "Ola"))
    error(await cup.pick("Jan", "Bayern", token=cup.tokens["Ola"]), 403, "Forbidden")
    assert (await cup.pick("Jan", "Bayern")).status_code == 200
    assert (await cup.pick("Ola", "PSG", token=cup.host)).status_code == 200  # the host may pick for anyone


@pytest.mark.parametrize("who", ["nobody", "made-up", "other-tournament", "revoked"])
async def test_a_missing_unknown_foreign_or_revoked_token_is_401(client: httpx.AsyncClient, who: str) -> None:
    cup = await new_cup(client, players=("Jan",))
    other = await new_cup(client, players=("Jan",))
    token = {"nobody": None, "made-up": "x" * 43, "other-tournament": other.tokens["Jan"]}.get(who)
    if who == "revoked":
        token = cup.tokens["Jan"]
        assert (
            await client.post(cup.url(f"/players/{cup.ids['Jan']}/token"), headers=auth(cup.host))
        ).status_code == 201
    response = await cup.pick("Jan", "Bayern", token=token)
    error(response, 401, "Unauthorized")
    assert response.headers["www-authenticate"] == "Bearer"
    assert (await cup.state())["players"][0]["club"] is None


@pytest.mark.parametrize(
    ("method", "tail", "body"),
    [
        ("PATCH", "", {"seats": 3}),
        ("POST", "/draw", None),
        ("POST", "/next-round", None),
        ("POST", "/fixtures", {"format": "league"}),
    ],
)
async def test_host_actions_with_a_player_token_are_403_and_change_nothing(
    client: httpx.AsyncClient, method: str, tail: str, body: dict[str, object] | None
) -> None:
    cup = await new_cup(client, players=("Jan", "Ola"))
    before = await cup.state()
    response = await client.request(method, cup.url(tail), json=body, headers=auth(cup.tokens["Jan"]))
    error(response, 403, "Forbidden")
    assert await cup.state() == before


async def test_a_player_cannot_kick_another_but_may_leave_and_the_host_may_kick(client: httpx.AsyncClient) -> None:
    cup = await new_cup(client, players=("Jan", "Ola", "Ewa"))
    await cup.pick("Jan", "Bayern")
    error(await client.delete(cup.url(f"/players/{cup.ids['Ola']}"), headers=auth(cup.tokens["Jan"])), 403, "Forbidden")
    assert (
        await client.delete(cup.url(f"/players/{cup.ids['Jan']}"), headers=auth(cup.tokens["Jan"]))
    ).status_code == 204
    assert (await client.delete(cup.url(f"/players/{cup.ids['Ola']}"), headers=auth(cup.host))).status_code == 204
    state = await cup.state()
    assert [p["name"] for p in state["players"]] == ["Ewa"]
    assert all(c["pickedBy"] is None for c in state["clubs"])  # Jan's club is free again
    error(await cup.pick("Jan", "PSG"), 401, "Unauthorized")  # a removed player's token stops working


# --- host controls ---


async def test_seats_never_go_below_the_players_in_and_stay_in_range(client: httpx.AsyncClient) -> None:
    cup = await new_cup(client, seats=4, players=("Jan", "Ola", "Ewa"))
    error(await client.patch(cup.url(), json={"seats": 2}, headers=auth(cup.host)), 409, "SeatsBelowPlayers")
    error(await client.patch(cup.url(), json={"seats": 11}, headers=auth(cup.host)), 400, "ValueOutOfRange")
    error(await client.patch(cup.url(), json={"seats": "3"}, headers=auth(cup.host)), 400, "InvalidField")
    response = await client.patch(cup.url(), json={"seats": 3, "name": "Renamed cup"}, headers=auth(cup.host))
    assert response.status_code == 200
    assert (response.json()["seats"], response.json()["name"]) == (3, "Renamed cup")


async def test_the_draw_starts_with_whos_here_and_a_repeat_returns_the_same_result(
    client: httpx.AsyncClient,
) -> None:
    cup = await new_cup(client, seats=4, players=("Jan", "Ola"))
    await cup.pick("Jan", "Bayern")
    error(await client.post(cup.url("/draw"), headers=auth(cup.host)), 409, "NotAllPlayersSelectedTeam")
    await cup.pick("Ola", "PSG")
    first = (await client.post(cup.url("/draw"), headers=auth(cup.host))).json()
    assert first["seats"] == 2 and {d["club"] for d in first["draw"]} == {"Bayern", "PSG"}
    again = (await client.post(cup.url("/draw"), headers=auth(cup.host))).json()
    assert again["draw"] == first["draw"] and again["version"] == first["version"]


async def test_a_pick_can_change_until_the_draw_and_frees_the_old_club(client: httpx.AsyncClient) -> None:
    cup = await new_cup(client, players=("Jan", "Ola"))
    await cup.pick("Jan", "Bayern")
    await cup.pick("Jan", "Chelsea")
    assert (await cup.pick("Ola", "Bayern")).status_code == 200
    error(await cup.pick("Ola", "Chelsea"), 409, "TeamAlreadySelected")
    error(await cup.pick("Ola", "Not a club"), 400, "InvalidTeamName")


async def test_v1_reads_every_tournament_but_writes_only_open_ones(client: httpx.AsyncClient) -> None:
    cup = await new_cup(client, players=("Jan",))
    assert (await client.get(f"/api/Tournament?id={cup.id}")).json()["players"][0]["name"] == "Jan"
    body = {"name": "Ola", "surname": "Kowal", "tournamentId": cup.id}
    error(await client.post("/api/Tournament/assignPlayer", json=body), 403, "ProtectedTournament")
    select = {"playerName": "Jan", "playerSurname": "Nowak", "tournamentId": cup.id, "team": "PSG"}
    error(await client.post("/api/Team/select", json=select), 403, "ProtectedTournament")
    error(await client.get(f"/api/Tournament/draw?tournamentId={cup.id}"), 403, "ProtectedTournament")


async def test_an_open_v1_tournament_can_be_used_through_v2_without_tokens(client: httpx.AsyncClient) -> None:
    tid = (
        await client.post("/api/Tournament/create", json={"name": f"open {uuid.uuid4().hex}", "playerLimit": 2})
    ).json()
    state = (await client.get(f"{V2}/tournaments/{tid}")).json()
    assert state["protected"] is False
    joined = await client.post(f"{V2}/tournaments/{tid}/players", json={"name": "Jan", "surname": "Nowak"})
    assert joined.status_code == 201
    pid = joined.json()["player"]["id"]
    assert (await client.put(f"{V2}/tournaments/{tid}/players/{pid}/club", json={"club": "PSG"})).status_code == 200


async def test_room_codes_find_their_tournament_in_any_case(client: httpx.AsyncClient) -> None:
    cup = await new_cup(client)
    code = (await cup.state())["code"]
    assert (await client.get(f"{V2}/rooms/{code.lower()}")).json()["id"] == cup.id
    error(await client.get(f"{V2}/rooms/ZZZZZZ"), 404, "RoomCodeNotFound")
    redirect = await client.get(f"/j/{code.lower()}")
    assert redirect.status_code == 302 and redirect.headers["location"] == f"/t/{cup.id}/join"


async def test_who_am_i(client: httpx.AsyncClient) -> None:
    cup = await new_cup(client, players=("Jan",))
    for token, role in ((cup.host, "host"), (cup.tokens["Jan"], "player"), (None, "nobody"), ("nope", "nobody")):
        assert (await client.get(cup.url("/me"), headers=auth(token))).json()["role"] == role


async def test_state_changes_reach_the_hub_with_the_stream_version_and_no_tokens(
    client: httpx.AsyncClient, broker: RecordingBroker
) -> None:
    cup = await new_cup(client, players=("Jan", "Ola"))
    await cup.pick("Jan", "Bayern")
    await client.patch(cup.url(), json={"locked": True}, headers=auth(cup.host))
    await client.delete(cup.url(f"/players/{cup.ids['Ola']}"), headers=auth(cup.host))
    published = [payload for channel, payload in broker.published if channel == cup.id]
    assert [json.loads(p)["type"] for p in published] == [
        "PlayerAssigned",
        "PlayerAssigned",
        "TeamSelected",
        "TournamentChanged",
        "PlayerLeft",
    ]
    versions = [json.loads(p)["version"] for p in published]
    assert versions == sorted(versions) and versions[-1] == (await cup.state())["version"]
    assert all(cup.host not in p and cup.tokens["Jan"] not in p for p in published)


# --- catalogues and draw modes (issue 15) ---


async def test_a_catalogue_is_chosen_at_creation_and_v1_lists_the_tournaments_own_clubs(
    client: httpx.AsyncClient,
) -> None:
    cup = await new_cup(client, seats=40, catalogue="european-clubs")
    state = await cup.state()
    assert state["catalogue"] == "european-clubs" and state["maxSeats"] == len(state["clubs"]) >= 48
    assert {"name": "Bayern Munich", "group": "Germany", "pickedBy": None} in state["clubs"]
    teams = (await client.get(f"/api/Team?tournamentId={cup.id}")).json()
    assert [t["name"] for t in teams] == [c["name"] for c in state["clubs"]]
    response = await client.post(f"{V2}/tournaments", json={"name": "too many", "seats": 11})
    error(response, 400, "ValueOutOfRange")  # the default list, the original ten, has ten clubs


async def test_a_custom_catalogue_is_the_hosts_own_list(client: httpx.AsyncClient) -> None:
    cup = await new_cup(client, seats=2, catalogue=["Lech Poznań", "Legia Warszawa", "Wisła Kraków"], players=("Jan",))
    state = await cup.state()
    assert (state["catalogue"], [c["name"] for c in state["clubs"]]) == (
        "custom",
        ["Lech Poznań", "Legia Warszawa", "Wisła Kraków"],
    )
    assert (await cup.pick("Jan", "Wisła Kraków")).status_code == 200
    error(await cup.pick("Jan", "Bayern"), 400, "InvalidTeamName")
    for bad in (["Only one"], ["A", "a"], ["ok", ""], "nope", ["ok", 5]):
        response = await client.post(f"{V2}/tournaments", json={"name": f"bad {bad!r}", "seats": 2, "catalogue": bad})
        error(response, 400, "InvalidField")


async def test_mode_random_deals_clubs_without_picks_and_the_proof_verifies(client: httpx.AsyncClient) -> None:
    from lct.domain import draw

    cup = await new_cup(client, seats=3, drawMode="random", catalogue="national-teams", players=("Jan", "Ola"))
    error(await cup.pick("Jan", "Poland"), 409, "NoPicking")
    state = (await client.post(cup.url("/draw"), headers=auth(cup.host))).json()
    assert state["drawMode"] == "random" and state["seats"] == 2
    clubs = [d["club"] for d in state["draw"]]
    assert len(set(clubs)) == 2 and set(clubs) <= {c["name"] for c in state["clubs"]}
    proof = state["drawProof"]
    seats = [draw.Seat(s["name"], s["surname"], s["clientSeed"], s["club"]) for s in proof["seats"]]
    catalogue = [c["name"] for c in state["clubs"]]
    assert draw.verify(cup.id, "random", state["drawCommitment"], proof["serverSeed"], seats, catalogue, clubs)
    assert all(s["club"] == "" and s["clientSeed"] == "ab12" for s in proof["seats"])


async def test_mode_keep_starts_with_everyone_on_their_pick_and_has_no_proof(client: httpx.AsyncClient) -> None:
    cup = await new_cup(client, seats=2, drawMode="keep", players=("Jan", "Ola"))
    await cup.pick("Jan", "PSG")
    await cup.pick("Ola", "Chelsea")
    state = (await client.post(cup.url("/draw"), headers=auth(cup.host))).json()
    assert [(d["name"], d["club"]) for d in state["draw"]] == [("Jan", "PSG"), ("Ola", "Chelsea")]
    assert state["drawProof"] is None


async def test_a_pool_draw_publishes_its_commitment_first_and_a_proof_that_recomputes_after(
    client: httpx.AsyncClient,
) -> None:
    from lct.domain import draw

    cup = await new_cup(client, seats=2, players=("Jan", "Ola"))
    commitment = (await cup.state())["drawCommitment"]
    v1 = (await client.get(f"/api/Tournament?id={cup.id}")).json()
    assert v1["drawCommitment"] == commitment
    await cup.pick("Jan", "PSG")
    await cup.pick("Ola", "Chelsea")
    state = (await client.post(cup.url("/draw"), headers=auth(cup.host))).json()
    proof = state["drawProof"]
    assert state["drawCommitment"] == commitment == draw.commitment(bytes.fromhex(proof["serverSeed"]))
    seats = [draw.Seat(s["name"], s["surname"], s["clientSeed"], s["club"]) for s in proof["seats"]]
    result = [d["club"] for d in state["draw"]]
    catalogue = [c["name"] for c in state["clubs"]]
    assert draw.verify(cup.id, "pool", commitment, proof["serverSeed"], seats, catalogue, result)
    assert not draw.verify(cup.id, "pool", commitment, proof["serverSeed"], seats, catalogue, result[::-1])
    assert not draw.verify(cup.id, "pool", commitment, "00" * 32, seats, catalogue, result)


async def test_a_client_seed_must_be_printable_ascii(client: httpx.AsyncClient) -> None:
    cup = await new_cup(client)
    for seed in ("", "x" * 65, "żółw", "a\nb"):
        response = await client.post(cup.url("/players"), json={"name": "Jan", "surname": "N", "clientSeed": seed})
        error(response, 400, "InvalidField")


# --- the next round's client seeds ---


async def test_a_next_round_seat_takes_the_client_seed_of_the_phone_that_claims_it_until_the_draw(
    client: httpx.AsyncClient,
) -> None:
    cup = await new_cup(client, players=("Jan", "Ola"), drawMode="random")
    assert (await client.post(cup.url("/draw"), headers=auth(cup.host))).status_code == 200
    started = await client.post(cup.url("/next-round"), headers=auth(cup.host))
    assert started.status_code == 201
    nxt = Cup(started.json()["tournament"]["id"], cup.host, {}, dict(cup.ids), client)

    async def claim(who: str, **kwargs: Any) -> httpx.Response:
        return await client.post(cup.url("/next-round/token"), headers=auth(cup.tokens[who]), **kwargs)

    first = await claim("Jan", json={"clientSeed": "first-phone"})
    assert first.status_code == 200
    bad = await claim("Jan", json={"clientSeed": "\u0001"})
    error(bad, 400, "InvalidField")
    raw = await claim("Jan", content=b'{"clientSeed": "x"}')  # a body without a Content-Type
    error(raw, 415, "UnsupportedMediaType")
    me = await client.get(nxt.url("/me"), headers=auth(first.json()["playerToken"]))
    assert me.json()["playerId"] == cup.ids["Jan"]  # the refused claims changed nothing: that token still works
    again = await claim("Jan", json={"clientSeed": "second-phone"})  # the last phone to claim the seat holds it
    assert (await claim("Ola")).status_code == 200  # no body: the seed stays as it was
    assert (await client.post(nxt.url("/draw"), headers=auth(cup.host))).status_code == 200
    late = await claim("Jan", json={"clientSeed": "after-the-draw"})
    assert late.status_code == 200

    proof = (await nxt.state())["drawProof"]
    seeds = {seat["name"]: seat["clientSeed"] for seat in proof["seats"]}
    assert seeds == {"Jan": "second-phone", "Ola": ""}
    assert again.json()["playerToken"] != first.json()["playerToken"]
