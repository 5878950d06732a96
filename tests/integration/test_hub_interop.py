"""Interop with SignalR clients nobody here wrote: the official JavaScript client ``@microsoft/signalr`` (v10 and
the v6 line the original frontend uses) under Node, with and without negotiation, and ``signalrcore`` from PyPI.

Node dependencies: ``cd tests/interop && npm ci`` (package-lock.json is committed).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import queue
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, Protocol

import pytest

from tests.integration.hub_client import Api, HubClient
from tests.support import Server, lct_server

INTEROP = Path(__file__).parent.parent / "interop"
TIMEOUT = 10.0


class Client(Protocol):
    async def payload(self) -> dict[str, Any]: ...

    async def click(self, argument: dict[str, str]) -> None: ...


class JsClient:
    """``tests/interop/client.mjs`` in a Node process, spoken to over JSON lines."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    @contextlib.asynccontextmanager
    async def run(cls, base_url: str, tournament_id: str, mode: str, version: str) -> AsyncIterator[JsClient]:
        node = shutil.which("node")
        if node is None or not (INTEROP / "node_modules" / "@microsoft" / "signalr").is_dir():
            pytest.fail("Node or tests/interop/node_modules missing: run `cd tests/interop && npm ci`")
        process = await asyncio.create_subprocess_exec(
            node,
            str(INTEROP / "client.mjs"),
            base_url,
            tournament_id,
            mode,
            version,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        client = cls(process)
        try:
            connected = await client.event()
            assert connected["event"] == "connected", connected
            yield client
        finally:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()

    async def event(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = await asyncio.wait_for(self.process.stdout.readline(), TIMEOUT)
        assert line, "the Node client exited"
        event: dict[str, Any] = json.loads(line)
        return event

    async def payload(self) -> dict[str, Any]:
        while True:
            event = await self.event()
            if event["event"] == "message":
                payload: dict[str, Any] = event["payload"]
                return payload
            assert event["event"] == "sent", event

    async def click(self, argument: dict[str, str]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write((json.dumps({"click": argument}) + "\n").encode())
        await self.process.stdin.drain()


class PyClient:
    """``signalrcore`` (threads and websocket-client) behind an asyncio face."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.received: queue.Queue[dict[str, Any]] = queue.Queue()

    @classmethod
    @contextlib.contextmanager
    def run(cls, base_url: str, tournament_id: str, skip_negotiation: bool) -> Iterator[PyClient]:
        from signalrcore.hub_connection_builder import HubConnectionBuilder

        url = f"{base_url}/hubs/actions?tournamentId={tournament_id}"
        connection = (
            HubConnectionBuilder()
            .with_url(url, options={"skip_negotiation": skip_negotiation})
            .configure_logging(logging.WARNING)
            .build()
        )
        client = cls(connection)
        opened: queue.Queue[bool] = queue.Queue()
        connection.on_open(lambda: opened.put(True))
        connection.on(tournament_id, lambda args: client.received.put(json.loads(args[0])))
        connection.start()
        try:
            assert opened.get(timeout=TIMEOUT)
            yield client
        finally:
            connection.stop()

    async def payload(self) -> dict[str, Any]:
        return await asyncio.to_thread(self.received.get, True, TIMEOUT)

    async def click(self, argument: dict[str, str]) -> None:
        self.connection.send("TeamClicked", [argument])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, hub_env: dict[str, str]) -> Iterator[Server]:
    with lct_server(tmp_path_factory.mktemp("interop"), hub_env) as running:
        yield running


async def play_a_tournament(server: Server, client_for: Any) -> None:
    """The foreign client watches a whole tournament driven over REST and clicks once itself."""
    api = Api(server.url)
    try:
        tid = await api.create(f"cup-{uuid.uuid4().hex[:12]}", 2)
        async with HubClient.connect(server.ws_url, tid) as raw, client_for(tid) as foreign:
            await api.assign(tid, "Jan", "Nowak")
            await api.assign(tid, "Łucja", "Żak")
            await raw.click(tid, "Bayern", "Jan", "Nowak")
            got = [await foreign.payload() for _ in range(3)]
            assert [p["type"] for p in got] == ["PlayerAssigned", "PlayerAssigned", "TeamClicked"]
            assert got[1]["name"] == "Łucja"
            await api.select(tid, "Jan", "Nowak", "Bayern")
            await api.select(tid, "Łucja", "Żak", "PSG")
            drawn = await api.draw(tid)
            got = [await foreign.payload() for _ in range(3)]
            assert [p["type"] for p in got] == ["TeamSelected", "TeamSelected", "TeamsDrawn"]
            assert got[-1]["drawnTeams"] == drawn
            for _ in range(6):
                await raw.next_payload()
            await foreign.click({"groupKey": tid, "team": "PSG", "name": "Łucja", "surname": "Żak"})
            expected = [
                {"team": "Bayern", "name": "Jan", "surname": "Nowak"},
                {"team": "PSG", "name": "Łucja", "surname": "Żak"},
            ]
            assert (await raw.next_payload())["clickedTeams"] == expected
            assert (await foreign.payload())["clickedTeams"] == expected
    finally:
        await api.aclose()


@pytest.mark.parametrize(
    ("mode", "version"), [("skip", "v10"), ("negotiate", "v10"), ("skip", "v6"), ("negotiate", "v6")]
)
async def test_the_official_javascript_client(server: Server, mode: str, version: str) -> None:
    await play_a_tournament(server, lambda tid: JsClient.run(server.url, tid, mode, version))


@contextlib.asynccontextmanager
async def python_client(server: Server, tid: str, skip_negotiation: bool) -> AsyncIterator[PyClient]:
    manager = PyClient.run(server.url, tid, skip_negotiation)
    client = await asyncio.to_thread(manager.__enter__)
    try:
        yield client
    finally:
        await asyncio.to_thread(manager.__exit__, None, None, None)


@pytest.mark.parametrize("skip_negotiation", [True, False])
async def test_the_signalrcore_python_client(server: Server, skip_negotiation: bool) -> None:
    await play_a_tournament(server, lambda tid: python_client(server, tid, skip_negotiation))
