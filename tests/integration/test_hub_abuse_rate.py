"""The hub's per-connection invocation rate limit with its defaults (``LCT_HUB_CLICKS_PER_SECOND`` 20, burst 40), in
both hub modes: extra invocations are dropped and counted, a connection that keeps flooding is closed, and a
normal tournament night (ten phones, a few clicks a second each) never meets the limit."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.integration.hub_client import RS, Api, HubClient
from tests.support import Server, lct_server

PLAYERS = [(f"Player{i}", "Nowak") for i in range(10)]
CLUBS = ("Bayern", "PSG", "Liverpool", "Chelsea", "Juventus")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, hub_env: dict[str, str]) -> Iterator[Server]:
    with lct_server(tmp_path_factory.mktemp("rate"), hub_env) as running:
        yield running


@pytest.fixture
async def api(server: Server) -> AsyncIterator[Api]:
    client = Api(server.url)
    yield client
    await client.aclose()


async def tournament(api: Api) -> str:
    tid = await api.create(f"rate-{uuid.uuid4().hex[:12]}", 10)
    for name, surname in PLAYERS:
        await api.assign(tid, name, surname)
    return tid


async def counted(server: Server, outcome: str) -> float:
    async with httpx.AsyncClient() as http:
        text = (await http.get(server.url + "/metrics")).text
    return sum(
        s.value
        for f in text_string_to_metric_families(text)
        for s in f.samples
        if s.name == "lct_hub_messages_total" and s.labels.get("outcome") == outcome
    )


def clicks(tid: str, count: int, ids: str = "") -> str:
    records = []
    for n in range(count):
        name, surname = PLAYERS[n % len(PLAYERS)]
        argument = {"groupKey": tid, "team": CLUBS[n % len(CLUBS)], "name": name, "surname": surname}
        message = {"type": 1, "target": "TeamClicked", "arguments": [argument]}
        if ids:
            message["invocationId"] = f"{ids}{n}"
        records.append(json.dumps(message) + RS)
    return "".join(records)


async def team_clicked_within(client: HubClient, seconds: float) -> int:
    seen = 0
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            while True:
                if (await client.next_message()).get("type") == 1:
                    seen += 1
    return seen


async def test_invocations_over_the_rate_are_dropped_answered_and_counted(server: Server, api: Api) -> None:
    tid = await tournament(api)
    before = await counted(server, "rate_limited")
    async with HubClient.connect(server.ws_url, tid) as clicker, HubClient.connect(server.ws_url, tid) as watcher:
        await clicker.send_raw(clicks(tid, 200, ids="c"))  # 200 at once: the burst is 40
        completions = {}
        async with asyncio.timeout(20):
            while len(completions) < 200:
                record = await clicker.next_record()
                if record.get("type") == 3:
                    completions[record["invocationId"]] = record.get("error")
        delivered = await team_clicked_within(watcher, 2.0)
    refused = [i for i, error in completions.items() if error is not None]
    assert all("Too many invocations" in completions[i] for i in refused)
    assert 40 <= 200 - len(refused) <= 45  # the burst, plus what refilled meanwhile
    assert 40 <= delivered <= 45
    assert await counted(server, "rate_limited") - before == len(refused)
    assert "dropping the extra ones" in server.log()


async def test_a_connection_that_keeps_sending_ten_times_the_rate_is_closed(server: Server, api: Api) -> None:
    tid = await tournament(api)
    async with HubClient.connect(server.ws_url, tid) as flooder:
        started = time.monotonic()
        closing: dict[str, object] | None = None

        async def flood() -> None:
            while True:  # ~2,000 invocations a second: 100 times the rate
                await flooder.send_raw(clicks(tid, 100))
                await asyncio.sleep(0.05)

        sending = asyncio.create_task(flood())
        try:
            async with asyncio.timeout(20):
                while closing is None:
                    record = await flooder.next_record()
                    if record.get("type") == 7:
                        closing = record
        finally:
            sending.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await sending
        seconds = time.monotonic() - started
    assert "Too many invocations" in str(closing["error"])
    assert 5.0 <= seconds < 12, seconds


async def test_a_normal_tournament_night_never_meets_the_limit(server: Server, api: Api) -> None:
    """Ten phones, each clicking three times a second for three seconds (a fast player), plus a burst of ten quick
    taps: every click is delivered, none is rate limited."""
    tid = await tournament(api)
    before = await counted(server, "rate_limited")
    async with contextlib.AsyncExitStack() as stack:
        phones = [await stack.enter_async_context(HubClient.connect(server.ws_url, tid)) for _ in PLAYERS]
        watcher = await stack.enter_async_context(HubClient.connect(server.ws_url, tid))

        async def phone(index: int) -> None:
            name, surname = PLAYERS[index]
            for n in range(10):  # ten quick taps
                await phones[index].click(tid, CLUBS[n % len(CLUBS)], name, surname)
            for n in range(9):
                await asyncio.sleep(1 / 3)
                await phones[index].click(tid, CLUBS[n % len(CLUBS)], name, surname)

        await asyncio.gather(*(phone(i) for i in range(len(PLAYERS))))
        delivered = await team_clicked_within(watcher, 3.0)
    assert delivered == len(PLAYERS) * 19
    assert await counted(server, "rate_limited") == before
