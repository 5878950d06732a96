"""The whole REST and hub contract on every production store: a real `lct serve` per store (SQLite, PostgreSQL,
and MongoDB — the nx-27017 stand-in unless LCT_TEST_MONGODB_URL points at a real server)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.hub_client import Api, HubClient
from tests.support import Server, lct_server


@pytest.fixture(params=["sqlite", "postgresql", "mongodb"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    env = {"LCT_LOG_LEVEL": "WARNING"}
    if request.param == "postgresql":
        env["LCT_DATABASE_URL"] = request.getfixturevalue("postgres_url")
    elif request.param == "mongodb":
        env["LCT_DATABASE_URL"] = request.getfixturevalue("mongodb_url")
        env["LCT_MONGO_DATABASE"] = f"e2e_{uuid.uuid4().hex[:12]}"
    with lct_server(tmp_path, env, ready_path="/readiness") as started:
        yield started


async def test_a_whole_tournament_over_rest_and_the_hub(server: Server) -> None:
    api = Api(server.url)
    name = f"Cup {uuid.uuid4()}"
    try:
        tid = await api.create(name, limit=2)
        duplicate = await api.http.post("/api/Tournament/create", json={"name": name, "playerLimit": 2})
        assert (duplicate.status_code, duplicate.json()["ErrorCode"]) == (409, "TournamentNameNotUnique")
        async with HubClient.connect(server.ws_url, tid) as host, HubClient.connect(server.ws_url, tid) as phone:
            await api.assign(tid, "Jan", "Nowak")
            await api.assign(tid, "Ola", "Kowal")
            for client in (host, phone):
                assert await client.next_payload() == {
                    "type": "PlayerAssigned",
                    "tournamentId": tid,
                    "name": "Jan",
                    "surname": "Nowak",
                    "version": 3,
                }
                assert (await client.next_payload())["name"] == "Ola"
            full = await api.http.post(
                "/api/Tournament/assignPlayer", json={"name": "Ela", "surname": "X", "tournamentId": tid}
            )
            assert full.status_code == 409

            await phone.click(tid, "Bayern", "Jan", "Nowak")
            for client in (host, phone):
                clicked = await client.next_payload()
                assert clicked["clickedTeams"] == [{"team": "Bayern", "name": "Jan", "surname": "Nowak"}]

            await api.select(tid, "Jan", "Nowak", "Bayern")
            taken = await api.http.post(
                "/api/Team/select",
                json={"playerName": "Ola", "playerSurname": "Kowal", "tournamentId": tid, "team": "Bayern"},
            )
            assert (taken.status_code, taken.json()["ErrorCode"]) == (409, "TeamAlreadySelected")
            await api.select(tid, "Ola", "Kowal", "PSG")
            for client in (host, phone):
                assert (await client.next_payload())["team"] == "Bayern"
                assert (await client.next_payload())["team"] == "PSG"

            first = await api.draw(tid)
            assert await api.draw(tid) == first
            for client in (host, phone):
                drawn = await client.next_payload()
                assert drawn["type"] == "TeamsDrawn"
                assert drawn["drawnTeams"] == first
                assert drawn["version"] == 7
            assert await phone.silent_for(0.3)  # the repeated draw announced nothing

        state = (await api.http.get(f"/api/tournament?id={tid}")).json()
        drawn_for = {(d["name"], d["surname"]): d["teamName"] for d in first}
        assert [(p["name"], p["selectedTeam"], p["drawnTeam"]) for p in state["players"]] == [
            ("Jan", "Bayern", drawn_for[("Jan", "Nowak")]),
            ("Ola", "PSG", drawn_for[("Ola", "Kowal")]),
        ]
        assert state["streamVersion"] == 7
        teams = (await api.http.get(f"/api/team?tournamentId={tid}")).json()
        assert [t["name"] for t in teams if t["selected"]] == ["Bayern", "PSG"]
        missing = await api.http.get(f"/api/Tournament?Id={uuid.uuid4()}")
        assert missing.status_code == 404
    finally:
        await api.aclose()


def test_readiness_reports_the_store(server: Server) -> None:
    assert httpx.get(server.url + "/readiness").text == "Healthy"
