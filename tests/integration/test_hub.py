"""The hub on one real ``lct serve`` process (in-process broker): protocol, messages, delivery, lifecycle."""

from __future__ import annotations

import asyncio
import json
import signal
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.hub_client import RS, Api, HubClient
from tests.support import Server, lct_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, hub_env: dict[str, str]) -> Iterator[Server]:
    with lct_server(tmp_path_factory.mktemp("hub"), hub_env) as running:
        yield running


@pytest.fixture
async def api(server: Server) -> AsyncIterator[Api]:
    client = Api(server.url)
    yield client
    await client.aclose()


def name() -> str:
    return f"cup-{uuid.uuid4().hex[:12]}"


async def test_a_client_receives_every_message_of_its_tournament_in_the_contract_envelope(
    server: Server, api: Api
) -> None:
    tid = await api.create(name(), 2)
    async with HubClient.connect(server.ws_url, tid) as hub:
        await api.assign(tid, "Jan", "Nowak")
        first = await hub.next_payload()
        version = first.pop("version")
        assert first == {"type": "PlayerAssigned", "tournamentId": tid, "name": "Jan", "surname": "Nowak"}
        await api.assign(tid, "Ola", "Kowal")
        assert (await hub.next_payload())["version"] == version + 1
        await hub.click(tid, "Bayern", "Jan", "Nowak")
        assert await hub.next_payload() == {
            "type": "TeamClicked",
            "tournamentId": tid,
            "clickedTeams": [{"team": "Bayern", "name": "Jan", "surname": "Nowak"}],
        }
        await api.select(tid, "Jan", "Nowak", "Bayern")
        assert await hub.next_payload() == {
            "type": "TeamSelected",
            "tournamentId": tid,
            "playerName": "Jan",
            "playerSurname": "Nowak",
            "team": "Bayern",
            "version": version + 2,
        }
        await api.select(tid, "Ola", "Kowal", "PSG")
        assert (await hub.next_payload())["team"] == "PSG"
        drawn = await api.draw(tid)
        payload = await hub.next_payload()
        assert payload == {"type": "TeamsDrawn", "tournamentId": tid, "drawnTeams": drawn, "version": version + 4}


async def test_team_clicked_lists_the_latest_click_of_every_player_in_first_click_order(
    server: Server, api: Api
) -> None:
    tid = await api.create(name(), 2)
    await api.assign(tid, "Jan", "Nowak")  # a click must name a registered player (issue 11)
    await api.assign(tid, "Ola", "Kowal")
    async with HubClient.connect(server.ws_url, tid) as jan, HubClient.connect(server.ws_url, tid) as ola:
        await jan.click(tid, "Bayern", "Jan", "Nowak")
        await ola.click(tid, "PSG", "Ola", "Kowal")
        await jan.click(tid, "Chelsea", "Jan", "Nowak")
        for client in (jan, ola):
            teams = [(await client.next_payload())["clickedTeams"] for _ in range(3)]
            assert teams[-1] == [
                {"team": "Chelsea", "name": "Jan", "surname": "Nowak"},
                {"team": "PSG", "name": "Ola", "surname": "Kowal"},
            ]


async def test_messages_reach_only_connections_of_that_tournament(server: Server, api: Api) -> None:
    watched, other = await api.create(name()), await api.create(name())
    async with HubClient.connect(server.ws_url, watched) as mine, HubClient.connect(server.ws_url, other) as theirs:
        await api.assign(other, "Jan", "Nowak")
        await theirs.click(other, "Bayern", "Jan", "Nowak")
        assert (await theirs.next_payload())["type"] == "PlayerAssigned"
        assert (await theirs.next_payload())["type"] == "TeamClicked"
        await api.assign(watched, "Ola", "Kowal")
        payload = await mine.next_payload()
        assert (payload["type"], payload["tournamentId"], payload["name"]) == ("PlayerAssigned", watched, "Ola")


@pytest.mark.parametrize(
    "tournament_id",
    [str(uuid.uuid4()), "*", "0b7f3a3e-*", "[ab]*", "not-a-guid", "0b7f3a3e5b0e4c559d0e2f4e7c1a9b10"],
)
async def test_an_unknown_or_pattern_tournament_id_gets_a_handshake_error_and_a_close(
    server: Server, tournament_id: str
) -> None:
    async with HubClient.connect(server.ws_url, tournament_id, handshake=False) as hub:
        await hub.send_raw('{"protocol":"json","version":1}' + RS)
        reply = await hub.next_record()
        assert set(reply) == {"error"}
        assert await hub.until_closed() == []


async def test_an_upper_case_tournament_id_is_the_same_tournament(server: Server, api: Api) -> None:
    tid = await api.create(name())
    async with HubClient.connect(server.ws_url, tid.upper()) as hub:
        await api.assign(tid, "Jan", "Nowak")
        assert (await hub.next_message())["target"] == tid


async def test_without_a_tournament_id_a_client_is_accepted_and_receives_nothing(server: Server, api: Api) -> None:
    tid = await api.create(name())
    async with HubClient.connect(server.ws_url, None) as hub:
        await api.assign(tid, "Jan", "Nowak")
        assert await hub.silent_for(0.3)


async def test_negotiate_then_connect_with_the_token(server: Server, api: Api) -> None:
    tid = await api.create(name())
    async with httpx.AsyncClient() as http:
        response = await http.post(f"{server.url}/hubs/actions/negotiate?tournamentId={tid}&negotiateVersion=1")
    assert response.status_code == 200
    body = response.json()
    assert body["negotiateVersion"] == 1
    assert body["availableTransports"] == [{"transport": "WebSockets", "transferFormats": ["Text"]}]
    assert body["connectionId"] and body["connectionToken"]
    async with HubClient.connect(server.ws_url, tid, query=f"id={body['connectionToken']}") as hub:
        await api.assign(tid, "Jan", "Nowak")
        assert (await hub.next_payload())["type"] == "PlayerAssigned"


async def test_invocations_with_an_id_get_a_completion_and_method_names_are_case_insensitive(
    server: Server, api: Api
) -> None:
    tid = await api.create(name())
    await api.assign(tid, "Jan", "Nowak")  # a click must name a registered player (issue 11)
    async with HubClient.connect(server.ws_url, tid) as hub:
        await hub.send({"type": 1, "target": "NoSuchMethod", "arguments": [], "invocationId": "1"})
        completion = await hub.next_message()
        assert completion["type"] == 3 and completion["invocationId"] == "1" and "error" in completion
        argument = {"GROUPKEY": tid, "Team": "PSG", "NAME": "Jan", "surname": "Nowak"}
        await hub.send({"type": 1, "target": "teamclicked", "arguments": [argument], "invocationId": "2"})
        records = [await hub.next_message(), await hub.next_message()]
        assert {"type": 3, "invocationId": "2"} in records
        clicked = next(r for r in records if r["type"] == 1)
        assert json.loads(clicked["arguments"][0])["clickedTeams"] == [
            {"team": "PSG", "name": "Jan", "surname": "Nowak"}
        ]
        await hub.send({"type": 1, "target": "TeamClicked", "arguments": ["not an object"], "invocationId": "3"})
        bad = await hub.next_message()
        assert bad["invocationId"] == "3" and "error" in bad


async def test_a_click_on_an_unknown_club_is_ignored_and_the_connection_stays(server: Server, api: Api) -> None:
    tid = await api.create(name())
    await api.assign(tid, "Jan", "Nowak")  # a click must name a registered player (issue 11)
    async with HubClient.connect(server.ws_url, tid) as hub:
        await hub.click(tid, "Legia", "Jan", "Nowak")
        await hub.click(tid, "", "Jan", "Nowak")
        assert await hub.silent_for(0.3)
        await hub.click(tid, "Juventus", "Jan", "Nowak")
        assert (await hub.next_payload())["clickedTeams"] == [{"team": "Juventus", "name": "Jan", "surname": "Nowak"}]


async def test_records_are_split_on_the_separator_across_and_within_frames(server: Server, api: Api) -> None:
    tid = await api.create(name())
    await api.assign(tid, "A", "B")  # a click must name a registered player (issue 11)
    async with HubClient.connect(server.ws_url, tid, handshake=False) as hub:
        click = json.dumps(
            {
                "type": 1,
                "target": "TeamClicked",
                "arguments": [{"groupKey": tid, "team": "PSG", "name": "A", "surname": "B"}],
            }
        )
        await hub.send_raw('{"protocol":"json","version":1}' + RS + '{"type":6}' + RS + click[:20])
        assert await hub.next_record() == {}
        await hub.send_raw(click[20:] + RS + '{"type":6}' + RS + click + RS)
        assert (await hub.next_payload())["clickedTeams"][0]["team"] == "PSG"
        assert (await hub.next_payload())["clickedTeams"][0]["team"] == "PSG"


async def test_the_server_pings_and_drops_silent_clients(tmp_path: Path, hub_env: dict[str, str]) -> None:
    env = {"LCT_HUB_KEEPALIVE_SECONDS": "0.3", "LCT_HUB_CLIENT_TIMEOUT_SECONDS": "1.5", **hub_env}
    with lct_server(tmp_path, env) as fast:
        api = Api(fast.url)
        tid = await api.create(name())
        await api.aclose()
        async with HubClient.connect(fast.ws_url, tid) as talker, HubClient.connect(fast.ws_url, tid) as silent:
            for _ in range(6):  # the talker pings (as clients do) for longer than the timeout
                assert await talker.next_record(within=0.6) == {"type": 6}
                await talker.send({"type": 6})
            last = (await silent.until_closed(within=3))[-1]
            assert last["type"] == 7 and "timeout" in last["error"]
            await talker.send({"type": 6})
            assert await talker.next_record(within=0.6) == {"type": 6}


async def test_sigterm_sends_a_reconnectable_close_to_every_client_and_exits_promptly(
    tmp_path: Path, hub_env: dict[str, str]
) -> None:
    with lct_server(tmp_path, {"LCT_SHUTDOWN_GRACE_SECONDS": "4", **hub_env}) as doomed:
        api = Api(doomed.url)
        tid = await api.create(name())
        await api.aclose()
        async with HubClient.connect(doomed.ws_url, tid) as one, HubClient.connect(doomed.ws_url, None) as two:
            loop = asyncio.get_running_loop()
            started = loop.time()
            doomed.process.send_signal(signal.SIGTERM)
            for client in (one, two):
                assert await client.next_message(within=3) == {"type": 7, "allowReconnect": True}
                assert await client.until_closed(within=3) == []
            await asyncio.to_thread(doomed.process.wait, 10)
            assert loop.time() - started < 4
