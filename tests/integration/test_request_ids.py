"""One request id per request or hub connection: the ``X-Request-ID`` header, the ``RequestId`` of every error
body and the id in the hub's close messages are the same value (a caller's sane id is reused)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
import websockets

from tests.integration.hub_client import RS, Api, HubClient
from tests.support import Server, lct_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with lct_server(tmp_path_factory.mktemp("ids")) as running:
        yield running


def same_id(response: httpx.Response) -> str:
    header = response.headers["x-request-id"]
    assert response.json()["RequestId"] == header
    return header


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/static/nope.js", 404),
        ("GET", "/t/not-an-id/qr.svg", 400),
        ("GET", "/t/0b7f3a3e-5b0e-4c55-9d0e-2f4e7c1a9b10/nowhere", 404),
        ("GET", "/no/such/page", 404),
        ("DELETE", "/api/Tournament", 405),
        ("GET", "/api/Tournament?Id=abc", 400),
        ("GET", f"/api/Tournament?Id={uuid.UUID(int=1)}", 404),
    ],
)
def test_error_bodies_carry_the_id_of_their_response_header(
    server: Server, method: str, path: str, status: int
) -> None:
    response = httpx.request(method, server.url + path)
    assert response.status_code == status
    same_id(response)


def test_a_400_from_the_rest_api_reuses_the_callers_id(server: Server) -> None:
    response = httpx.post(
        server.url + "/api/Tournament/create", json={"name": "", "playerLimit": 2}, headers={"X-Request-ID": "abc-123"}
    )
    assert response.status_code == 400
    assert same_id(response) == "abc-123"


def test_an_unsafe_caller_id_is_replaced(server: Server) -> None:
    response = httpx.get(server.url + "/static/nope.js", headers={"X-Request-ID": "bad id with spaces"})
    assert same_id(response) != "bad id with spaces"


async def test_a_1009_close_from_the_hub_names_the_connections_request_id(server: Server) -> None:
    api = Api(server.url)
    tid = await api.create(f"ids-{uuid.uuid4().hex[:10]}")
    await api.aclose()
    async with HubClient.connect(server.ws_url, tid) as hub:
        assert hub.ws.response is not None
        request_id = hub.ws.response.headers["x-request-id"]
        await hub.send_raw('{"type":1,"target":"x","arguments":["' + "x" * (1024 * 1024 + 10) + '"]}' + RS)
        records = await hub.until_closed(within=10)
        assert records[-1]["type"] == 7 and request_id in records[-1]["error"]
        closed = hub.ws.close_code, hub.ws.close_reason
    assert closed[0] == 1009
    assert request_id in (closed[1] or "")


async def test_a_hub_connection_reuses_the_callers_request_id(server: Server) -> None:
    url = server.ws_url + "/hubs/actions"
    async with websockets.connect(url, additional_headers={"X-Request-ID": "hub-42"}) as ws:
        assert ws.response is not None
        assert ws.response.headers["x-request-id"] == "hub-42"
