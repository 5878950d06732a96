"""Hostile or broken clients must not take the instance down or hold up the other clients."""

from __future__ import annotations

import asyncio
import base64
import os
import socket
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

from tests.integration.hub_client import RS, Api, HubClient
from tests.support import Server, lct_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, hub_env: dict[str, str]) -> Iterator[Server]:
    # A small send buffer, and no click rate limit: these tests are about broken clients, not fast ones
    # (test_hub_abuse.py covers the rate limit).
    env = {"LCT_HUB_SEND_BUFFER_BYTES": "65536", "LCT_HUB_CLICKS_PER_SECOND": "100000", **hub_env}
    with lct_server(tmp_path_factory.mktemp("robust"), env) as running:
        yield running


@pytest.fixture
async def api(server: Server) -> AsyncIterator[Api]:
    client = Api(server.url)
    yield client
    await client.aclose()


@pytest.fixture
async def watched(server: Server, api: Api) -> AsyncIterator[tuple[str, HubClient]]:
    """A tournament and a well-behaved client of it, which must keep getting messages."""
    tid = await api.create(f"cup-{uuid.uuid4().hex[:12]}", 10)
    async with HubClient.connect(server.ws_url, tid) as client:
        yield tid, client


async def still_served(api: Api, watched: tuple[str, HubClient]) -> None:
    tid, client = watched
    player = uuid.uuid4().hex[:8]
    await api.assign(tid, player, "Nowak")
    payload = await client.next_payload(within=5)
    assert (payload["type"], payload["name"]) == ("PlayerAssigned", player)


@pytest.mark.parametrize(
    "frame",
    [
        "garbage" + RS,
        "[1,2,3]" + RS,
        '{"type":"x"}' + RS,
        '{"type":42}' + RS,
        '{"type":1,"arguments":[]}' + RS,
        b"\xff\xfe\xfd" + RS.encode(),
    ],
)
async def test_a_garbage_frame_gets_a_close_message_with_an_error(
    server: Server, api: Api, watched: tuple[str, HubClient], frame: str | bytes
) -> None:
    async with HubClient.connect(server.ws_url, watched[0]) as bad:
        await bad.send_raw(frame)
        records = await bad.until_closed(within=5)
        assert records[-1]["type"] == 7 and "error" in records[-1]
    await still_served(api, watched)


@pytest.mark.parametrize(
    "handshake",
    ['{"protocol":"messagepack","version":1}', '{"protocol":"json","version":9}', "hello", "{}", "[]"],
)
async def test_a_wrong_handshake_gets_an_error_reply_and_a_close(
    server: Server, api: Api, watched: tuple[str, HubClient], handshake: str
) -> None:
    async with HubClient.connect(server.ws_url, watched[0], handshake=False) as bad:
        await bad.send_raw(handshake + RS)
        reply = await bad.next_record()
        assert set(reply) == {"error"}
        assert await bad.until_closed(within=5) == []
    await still_served(api, watched)


@pytest.mark.parametrize("terminated", [True, False])
async def test_a_frame_over_one_mebibyte_gets_a_protocol_error_and_a_close(
    server: Server, api: Api, watched: tuple[str, HubClient], terminated: bool
) -> None:
    async with HubClient.connect(server.ws_url, watched[0]) as bad:
        await bad.send_raw(
            '{"type":1,"target":"x","arguments":["' + "x" * (1024 * 1024 + 10) + '"]}' + (RS if terminated else "")
        )
        records = await bad.until_closed(within=10)
        assert records[-1]["type"] == 7 and "limit" in records[-1]["error"]
    await still_served(api, watched)


async def test_many_small_frames_adding_up_to_over_one_mebibyte_without_a_separator_are_refused(
    server: Server, watched: tuple[str, HubClient]
) -> None:
    async with HubClient.connect(server.ws_url, watched[0]) as bad:
        for _ in range(17):
            await bad.send_raw("x" * 65536)
        records = await bad.until_closed(within=10)
        assert records[-1]["type"] == 7


async def test_a_client_that_never_reads_does_not_hold_up_the_others(
    server: Server, api: Api, watched: tuple[str, HubClient]
) -> None:
    tid, good = watched
    players = [(f"P{i}" + "x" * 95, "Nowak" + "y" * 95) for i in range(9)]  # clicks must name registered players
    for name, surname in players:
        await api.assign(tid, name, surname)
        await good.next_payload(within=5)
    sock = await asyncio.to_thread(stalled_client, server.port, tid)
    try:
        loop = asyncio.get_running_loop()
        for n in range(2000):  # each message lists 9 players (~2 KB): ~4 MB for a reader that never reads
            started = loop.time()
            await good.click(tid, "Bayern", *players[n % 9])
            await good.next_payload(within=5)
            assert loop.time() - started < 2.0
            if n % 100 == 99 and "does not read" in server.log():
                break
        else:
            pytest.fail("the stalled client was never dropped")
        await still_served(api, watched)
    finally:
        sock.close()


def stalled_client(port: int, tournament_id: str, headers: str = "") -> socket.socket:
    """A raw WebSocket that completes the SignalR handshake, then never reads another byte. ``headers``: more request
    header lines (each ending in CRLF). AssertionError (the socket closed) when the upgrade is refused."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET /hubs/actions?tournamentId={tournament_id} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        f"{headers}\r\n"
    )
    sock.sendall(request.encode())
    response = b""
    while b"\r\n\r\n" not in response:
        response += sock.recv(1)
    if not response.startswith(b"HTTP/1.1 101"):
        sock.close()
        raise AssertionError(response)
    payload = ('{"protocol":"json","version":1}' + RS).encode()
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    sock.sendall(bytes([0x81, 0x80 | len(payload)]) + mask + masked)
    return sock
