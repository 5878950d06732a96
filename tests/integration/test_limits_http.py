"""HTTP limits of ``lct serve`` (issue 12): request-head timeout, 431/414, REST rate limit (429 + Retry-After), CORS
by setting, and /metrics on its own listener. The real server is used wherever uvicorn's protocol is involved."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from lct.config import Settings
from lct.entrypoints import openapi
from lct.entrypoints.http import V1, V2, App, create_app
from tests.support import Server, free_port, lct_server

HEADER_TIMEOUT = 2.0
RATE = 2  # writes a second per client on this module's server (burst 4): low, so a busy machine still goes over it
POOL = httpx.Limits(max_connections=8)  # a few keep-alive connections, as a browser opens


@pytest.fixture(scope="module")
def metrics_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, metrics_port: int) -> Iterator[Server]:
    env = {
        "LCT_HTTP_HEADER_TIMEOUT_SECONDS": str(HEADER_TIMEOUT),
        "LCT_METRICS_PORT": str(metrics_port),
        "LCT_RATE_LIMIT": str(RATE),
    }
    with lct_server(tmp_path_factory.mktemp("limits"), env) as running:
        yield running


def exchange(port: int, data: bytes, within: float = 10.0) -> tuple[bytes, float]:
    """Send ``data`` on a fresh connection and read until the server closes it: (what came back, seconds taken).
    A reset or a broken pipe while sending or reading counts as closed."""
    started = time.monotonic()
    received = b""
    with socket.create_connection(("127.0.0.1", port), timeout=within) as sock:
        # Closed before it read everything: what it answered may still be readable.
        with contextlib.suppress(ConnectionResetError, BrokenPipeError):
            sock.sendall(data)
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except ConnectionResetError:
            pass
        except TimeoutError:
            pytest.fail(f"the server kept the connection open for {within} s; got {received[:80]!r}")
    return received, time.monotonic() - started


def status_of(response: bytes) -> int | None:
    return int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/1.1 ") else None


# --- the request head -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("sent", [b"", b"GET /liveness HTTP/1.1\r\nHost: x\r\nX-Slow: "], ids=["nothing", "half"])
def test_a_connection_that_does_not_finish_its_request_head_in_time_is_closed(server: Server, sent: bytes) -> None:
    received, seconds = exchange(server.port, sent)
    assert received == b""
    assert HEADER_TIMEOUT * 0.8 <= seconds < HEADER_TIMEOUT + 4


def test_a_keep_alive_connection_is_timed_out_again_on_its_next_request_head(server: Server) -> None:
    head = b"GET /liveness HTTP/1.1\r\nHost: x\r\n\r\n"
    received, seconds = exchange(server.port, head + b"GET /liveness HTTP/1.1\r\nHost: x\r\n")
    assert received.count(b"HTTP/1.1 200") == 1
    assert seconds < HEADER_TIMEOUT + 4


def test_a_complete_request_is_served_as_before(server: Server) -> None:
    received, _ = exchange(server.port, b"GET /liveness HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status_of(received) == 200 and received.endswith(b"Healthy")


def test_a_header_block_over_16_kib_is_431(server: Server) -> None:
    received, _ = exchange(server.port, b"GET /liveness HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 17_000 + b"\r\n\r\n")
    assert status_of(received) == 431


def test_an_8_mb_header_is_refused_without_being_read_whole(server: Server) -> None:
    received, _ = exchange(
        server.port, b"GET /liveness HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 8_000_000 + b"\r\n\r\n"
    )
    assert status_of(received) in (431, None)  # 431, or a reset/broken pipe while the rest was being sent
    assert b"200 OK" not in received


def test_ten_thousand_header_fields_are_431_and_a_hundred_are_fine(server: Server) -> None:
    many = b"".join(b"X-H%d: 1\r\n" % i for i in range(10_000))
    assert status_of(exchange(server.port, b"GET /liveness HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")[0]) == 431
    some = b"".join(b"X-H%d: 1\r\n" % i for i in range(98))
    ok = exchange(server.port, b"GET /liveness HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + some + b"\r\n")[0]
    assert status_of(ok) == 200


def test_a_url_over_8_kib_is_414_and_one_under_it_is_routed(server: Server) -> None:
    long = b"GET /liveness?x=" + b"a" * 8200 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    assert status_of(exchange(server.port, long)[0]) == 414
    shorter = b"GET /liveness?x=" + b"a" * 8000 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    assert status_of(exchange(server.port, shorter)[0]) == 200


def test_the_service_still_serves_after_refusing(server: Server) -> None:
    assert httpx.get(server.url + "/liveness").status_code == 200


# --- REST rate limit ------------------------------------------------------------------------------------------


async def creates(http: httpx.AsyncClient, count: int, client: str) -> list[httpx.Response]:
    async def one() -> httpx.Response:
        body = {"name": f"rate-{uuid.uuid4().hex[:12]}", "playerLimit": 2}
        return await http.post("/api/Tournament/create", json=body, headers={"X-Forwarded-For": client})

    return list(await asyncio.gather(*(one() for _ in range(count))))


def within_budget(allowed: int, rate: float, seconds: float) -> bool:
    """A client may get its burst (twice the rate) plus what refilled meanwhile."""
    return allowed <= 2 * rate + rate * seconds + 1


async def test_writes_over_the_clients_rate_get_429_with_retry_after_and_others_go_on(server: Server) -> None:
    async with httpx.AsyncClient(base_url=server.url, timeout=30, limits=POOL) as http:
        started = time.monotonic()
        answers = await creates(http, 100, "10.9.0.1")
        seconds = time.monotonic() - started
        statuses = [a.status_code for a in answers]
        assert statuses.count(200) + statuses.count(429) == 100
        assert statuses.count(200) >= 2 * RATE and within_budget(statuses.count(200), RATE, seconds)
        refused = next(a for a in answers if a.status_code == 429)
        assert int(refused.headers["retry-after"]) >= 1
        body = refused.json()
        assert body["ErrorCode"] == "TooManyRequests" and body["RequestId"] == refused.headers["x-request-id"]
        other = await creates(http, 2, "10.9.0.2")
        assert [a.status_code for a in other] == [200] * 2
        tid = answers[statuses.index(200)].json()
        read = await http.get("/api/Tournament", params={"Id": tid}, headers={"X-Forwarded-For": "10.9.0.1"})
        assert read.status_code == 200  # reads are not limited


async def test_an_untrusted_peer_cannot_dodge_the_limit_with_x_forwarded_for(tmp_path: Path) -> None:
    with lct_server(tmp_path, {"LCT_FORWARDED_ALLOW_IPS": "10.0.0.1", "LCT_RATE_LIMIT": "1"}) as running:
        async with httpx.AsyncClient(base_url=running.url, timeout=30) as http:
            started = time.monotonic()
            answers = [a.status_code for i in range(30) for a in await creates(http, 1, f"10.8.0.{i}")]
            seconds = time.monotonic() - started
    assert answers.count(200) >= 2 and within_budget(answers.count(200), 1, seconds)
    assert answers.count(200) + answers.count(429) == 30


@pytest.fixture
async def app(request: pytest.FixtureRequest) -> AsyncIterator[App]:
    application = create_app(Settings(database_url="memory://", **getattr(request, "param", {})))
    async with application.lifespan_context():
        yield application


@pytest.mark.parametrize("app", [{"rate_limit": 0}], indirect=True)
async def test_a_rate_limit_of_zero_turns_it_off(app: App) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lct.test") as http:
        answers = await creates(http, 300, "127.0.0.1")
    assert {a.status_code for a in answers} == {200}


def test_every_rate_limited_route_documents_429_and_only_those() -> None:
    app = create_app(Settings(database_url="memory://"))
    routes = app.router.routes
    for api in (V1, V2):
        paths = openapi.document(api, routes)["paths"]
        for route in routes:
            if route.doc is None or route.doc.api != api.key:
                continue
            documented = paths[route.path][route.method.lower()]["responses"]
            assert ("429" in documented) == route.rate_limited, (route.method, route.path)
    assert sum(r.rate_limited for r in routes) >= 10


# --- CORS -----------------------------------------------------------------------------------------------------


async def cors(app: App, origin: str) -> tuple[httpx.Response, httpx.Response]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lct.test") as http:
        simple = await http.get("/liveness", headers={"Origin": origin})
        preflight = await http.options(
            "/api/Tournament/create",
            headers={"Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "x"},
        )
    return simple, preflight


@pytest.mark.parametrize(
    ("app", "origin", "allowed"),
    [
        ({}, "https://anything.example", True),  # Development: any origin
        ({"environment": "Production"}, "https://anything.example", False),  # Production: none unless set
        ({"environment": "Production", "cors_origins": "https://tv.example"}, "https://tv.example", True),
        ({"environment": "Production", "cors_origins": "https://tv.example"}, "https://evil.example", False),
        ({"cors_origins": "https://tv.example,http://localhost:5173"}, "http://localhost:5173", True),
        ({"cors_origins": "https://tv.example"}, "https://evil.example", False),
        ({"environment": "Production", "cors_origins": "*"}, "https://anything.example", True),
    ],
    indirect=["app"],
)
async def test_cors_follows_the_setting_for_requests_and_preflights(app: App, origin: str, allowed: bool) -> None:
    simple, preflight = await cors(app, origin)
    assert simple.status_code == 200
    if allowed:
        assert simple.headers["access-control-allow-origin"] == origin
        assert simple.headers["access-control-allow-credentials"] == "true"
        assert preflight.status_code == 204
        assert preflight.headers["access-control-allow-origin"] == origin
        assert preflight.headers["access-control-allow-methods"] == "POST"
    else:
        assert "access-control-allow-origin" not in simple.headers
        assert "access-control-allow-credentials" not in simple.headers
        assert preflight.status_code == 403 and preflight.json()["ErrorCode"] == "CorsOriginNotAllowed"
        assert "access-control-allow-origin" not in preflight.headers
    assert simple.headers["vary"] == "Origin"


# --- metrics on their own port --------------------------------------------------------------------------------


def test_metrics_are_served_on_their_own_port_and_not_on_the_public_one(server: Server, metrics_port: int) -> None:
    assert httpx.get(server.url + "/liveness").status_code == 200
    public = httpx.get(server.url + "/metrics")
    assert public.status_code == 404 and public.json()["ErrorCode"] == "NotFound"
    private = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics")
    assert private.status_code == 200
    assert private.headers["content-type"].startswith("text/plain")
    assert 'lct_http_requests_total{method="GET",route="/liveness",status="200"}' in private.text
    assert 'route="/metrics"' not in private.text
    assert httpx.get(f"http://127.0.0.1:{metrics_port}/liveness").status_code == 404
    assert httpx.post(f"http://127.0.0.1:{metrics_port}/metrics").status_code == 405


def test_the_metrics_listener_has_the_same_head_timeout(server: Server, metrics_port: int) -> None:
    received, seconds = exchange(metrics_port, b"GET /metrics HTTP/1.1\r\n")
    assert received == b"" and seconds < HEADER_TIMEOUT + 4
