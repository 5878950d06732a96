"""A small raw SignalR test client (``websockets``) and REST helpers for the hub tests and the benchmark.

It speaks the protocol byte for byte, so tests can also send what no real client would (garbage, huge
frames, bad handshakes). Interop with clients nobody here wrote lives in ``tests/interop``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import websockets
from websockets.asyncio.client import ClientConnection

RS = "\x1e"
TIMEOUT = 10.0


class HubClient:
    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.buffer = ""
        self.records: list[dict[str, Any]] = []

    @classmethod
    @contextlib.asynccontextmanager
    async def connect(
        cls, ws_url: str, tournament_id: str | None, *, handshake: bool = True, query: str = ""
    ) -> AsyncIterator[HubClient]:
        url = f"{ws_url}/hubs/actions"
        params = [f"tournamentId={tournament_id}"] if tournament_id is not None else []
        if query:
            params.append(query)
        if params:
            url += "?" + "&".join(params)
        async with websockets.connect(url, max_size=None, open_timeout=TIMEOUT) as ws:
            client = cls(ws)
            if handshake:
                await client.handshake()
            yield client

    async def handshake(self) -> None:
        await self.send_raw('{"protocol":"json","version":1}' + RS)
        assert await self.next_record() == {}

    async def send_raw(self, text: str | bytes) -> None:
        await self.ws.send(text)

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send(json.dumps(message) + RS)

    async def click(self, tournament_id: str, team: str, name: str, surname: str, **extra: Any) -> None:
        argument = {"groupKey": tournament_id, "team": team, "name": name, "surname": surname}
        await self.send({"type": 1, "target": "TeamClicked", "arguments": [argument], **extra})

    async def next_record(self, within: float = TIMEOUT) -> dict[str, Any]:
        """The next record from the server (pings included)."""
        async with asyncio.timeout(within):
            while not self.records:
                frame = await self.ws.recv()
                text = frame if isinstance(frame, str) else frame.decode()
                *complete, self.buffer = (self.buffer + text).split(RS)
                self.records.extend(json.loads(r) for r in complete)
        return self.records.pop(0)

    async def next_message(self, within: float = TIMEOUT) -> dict[str, Any]:
        """The next non-ping record."""
        async with asyncio.timeout(within):
            while True:
                record = await self.next_record()
                if record.get("type") != 6:
                    return record

    async def next_payload(self, within: float = TIMEOUT) -> dict[str, Any]:
        """The inner payload of the next server invocation (checks the contract 3.5 envelope)."""
        record = await self.next_message(within)
        assert record["type"] == 1, record
        assert len(record["arguments"]) == 1 and isinstance(record["arguments"][0], str), record
        payload: dict[str, Any] = json.loads(record["arguments"][0])
        assert record["target"] == payload["tournamentId"]
        return payload

    async def silent_for(self, seconds: float) -> bool:
        """True if nothing but pings arrives for ``seconds``."""
        with contextlib.suppress(TimeoutError):
            await self.next_message(seconds)
            return False
        return True

    async def until_closed(self, within: float = TIMEOUT) -> list[dict[str, Any]]:
        """Wait for the server to close the socket; return the records received meanwhile."""
        received: list[dict[str, Any]] = []
        try:
            async with asyncio.timeout(within):
                while True:
                    received.append(await self.next_record(within))
        except websockets.ConnectionClosed:
            return received


class Api:
    """The REST calls that cause hub messages."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.AsyncClient(base_url=base_url, timeout=TIMEOUT)

    async def aclose(self) -> None:
        await self.http.aclose()

    async def create(self, name: str, limit: int = 2) -> str:
        response = await self.http.post("/api/Tournament/create", json={"name": name, "playerLimit": limit})
        response.raise_for_status()
        tournament_id: str = response.json()
        return tournament_id

    async def assign(self, tournament_id: str, name: str, surname: str) -> None:
        body = {"tournamentId": tournament_id, "name": name, "surname": surname}
        (await self.http.post("/api/Tournament/assignPlayer", json=body)).raise_for_status()

    async def select(self, tournament_id: str, name: str, surname: str, team: str) -> None:
        body = {"tournamentId": tournament_id, "playerName": name, "playerSurname": surname, "team": team}
        (await self.http.post("/api/Team/select", json=body)).raise_for_status()

    async def draw(self, tournament_id: str) -> list[dict[str, Any]]:
        response = await self.http.get("/api/Tournament/draw", params={"tournamentId": tournament_id})
        response.raise_for_status()
        drawn: list[dict[str, Any]] = response.json()
        return drawn
