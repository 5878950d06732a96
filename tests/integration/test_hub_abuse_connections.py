"""How many hub connections one client address may hold open at once (``LCT_HUB_CONNECTIONS_PER_CLIENT``): the next
one gets a 429 with the usual JSON error body and ``Retry-After``, and is counted; closing one lets the next in;
another address (a trusted proxy's ``X-Forwarded-For``) is not held up. In both hub modes, through a real server;
the refusal where a server cannot answer a WebSocket request with a response (a refused handshake) in-process."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidStatus

from lct.config import Settings
from lct.entrypoints.http import App, create_app
from tests.support import Server, lct_server

CAP = 3


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, hub_env: dict[str, str]) -> Iterator[Server]:
    env = {"LCT_HUB_CONNECTIONS_PER_CLIENT": str(CAP), **hub_env}
    with lct_server(tmp_path_factory.mktemp("connections"), env) as running:
        yield running


@pytest.fixture(scope="module")
def hub_url(server: Server) -> str:
    body = {"name": f"conns-{uuid.uuid4().hex[:12]}", "playerLimit": 4}
    created = httpx.post(f"{server.url}/api/Tournament/create", json=body)
    created.raise_for_status()
    return f"{server.ws_url}/hubs/actions?tournamentId={created.json()}"


async def refused_count(server: Server) -> float:
    async with httpx.AsyncClient() as http:
        text = (await http.get(server.url + "/metrics")).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "lct_hub_connections_refused_total"
    )


async def opened(url: str, stack: contextlib.AsyncExitStack, **headers: str) -> ClientConnection:
    return await stack.enter_async_context(connect(url, additional_headers=headers, open_timeout=10))


async def attempt(url: str, stack: contextlib.AsyncExitStack) -> int:
    """101 when a connection opened (it stays open until ``stack`` closes), else the status it was refused with."""
    try:
        await opened(url, stack)
    except InvalidStatus as refused:
        return refused.response.status_code
    return 101


async def test_one_address_gets_429_past_its_cap_and_a_freed_slot_is_reused(server: Server, hub_url: str) -> None:
    before = await refused_count(server)
    url = hub_url
    async with contextlib.AsyncExitStack() as stack:
        held = [await opened(url, stack) for _ in range(CAP)]
        with pytest.raises(InvalidStatus) as refused:
            await opened(url, stack)
        response = refused.value.response
        assert response.status_code == 429
        assert response.headers["Retry-After"] == "5"
        body = json.loads(response.body or b"")
        assert body["ErrorCode"] == "TooManyConnections"
        assert body["RequestId"] == response.headers["X-Request-ID"]
        assert await refused_count(server) == before + 1

        await held[0].close()
        await held[0].wait_closed()
        for _ in range(200):  # the server notices the close asynchronously: poll until the slot is free
            if (status := await attempt(url, stack)) != 429:
                break
            await asyncio.sleep(0.05)
        assert status == 101


async def test_another_address_is_not_held_up_by_one_at_its_cap(hub_url: str) -> None:
    url = hub_url
    async with contextlib.AsyncExitStack() as stack:
        for _ in range(CAP):
            await opened(url, stack, **{"X-Forwarded-For": "203.0.113.7"})
        with pytest.raises(InvalidStatus):
            await opened(url, stack, **{"X-Forwarded-For": "203.0.113.7"})
        other = await opened(url, stack, **{"X-Forwarded-For": "203.0.113.8"})
        await other.send('{"protocol":"json","version":1}\x1e')
        assert await asyncio.wait_for(other.recv(), 10) == "{}\x1e"


# --- without the server's denial-response extension ------------------------------------------------------------


@pytest.fixture
async def app() -> AsyncIterator[App]:
    application = create_app(Settings(database_url="memory://", hub_connections_per_client=1))
    async with application.lifespan_context():
        yield application


class Socket:
    """One in-process WebSocket request to the app, from ``client``: what the app sent, and a receive that waits."""

    def __init__(self, app: App, client: str) -> None:
        self.sent: list[dict[str, Any]] = []
        self.connected = False
        self.scope = {
            "type": "websocket",
            "path": "/hubs/actions",
            "raw_path": b"/hubs/actions",
            "query_string": b"tournamentId=00000000-0000-0000-0000-000000000001",
            "headers": [],
            "client": (client, 50000),
            "server": ("127.0.0.1", 8080),
            "scheme": "ws",
            "subprotocols": [],
            "extensions": {},  # no websocket.http.response: the refusal must not need it
        }
        self.answered = asyncio.Event()
        self.task = asyncio.get_running_loop().create_task(app(self.scope, self.receive, self.send))

    async def receive(self) -> dict[str, Any]:
        if not self.connected:
            self.connected = True
            return {"type": "websocket.connect"}
        await asyncio.Event().wait()  # a client that says nothing more
        raise AssertionError("unreachable")

    async def send(self, message: dict[str, Any]) -> None:
        self.sent.append(message)
        self.answered.set()

    async def first_answer(self) -> dict[str, Any]:
        await asyncio.wait_for(self.answered.wait(), 10)
        return self.sent[0]

    async def end(self) -> None:
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task


async def test_without_denial_responses_the_handshake_is_refused_and_the_slot_comes_back(app: App) -> None:
    first = Socket(app, "198.51.100.1")
    assert (await first.first_answer())["type"] == "websocket.accept"
    second = Socket(app, "198.51.100.1")
    assert await second.first_answer() == {"type": "websocket.close", "code": 1008, "reason": ""}
    await second.task
    assert app.hub.counts.refused == 1
    elsewhere = Socket(app, "198.51.100.2")
    assert (await elsewhere.first_answer())["type"] == "websocket.accept"
    await first.end()
    third = Socket(app, "198.51.100.1")
    assert (await third.first_answer())["type"] == "websocket.accept"
    await third.end()
    await elsewhere.end()
    assert len(app.hub.cap) == 0
