"""``/metrics``: Prometheus text that parses, counters that move with traffic, bounded labels, live hub gauges."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from lct.config import Settings
from lct.entrypoints.http import App, create_app
from tests.integration.hub_client import Api, HubClient
from tests.support import Server, lct_server

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
async def app() -> AsyncIterator[App]:
    application = create_app(Settings(database_url="memory://"))
    async with application.lifespan_context():
        yield application


@pytest.fixture
async def client(app: App) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lct.test") as c:
        yield c


async def scrape(client: httpx.AsyncClient) -> Samples:
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return parse(response.text)


async def test_metrics_parse_and_request_counters_move_with_traffic(client: httpx.AsyncClient) -> None:
    before = await scrape(client)
    for _ in range(3):
        assert (await client.get("/liveness")).status_code == 200
    after = await scrape(client)
    labels = {"method": "GET", "route": "/liveness", "status": "200"}
    assert value(after, "lct_http_requests_total", **labels) - value(before, "lct_http_requests_total", **labels) == 3
    timing = {"method": "GET", "route": "/liveness"}
    count = "lct_http_request_duration_seconds_count"
    assert value(after, count, **timing) - value(before, count, **timing) == 3
    assert value(after, "lct_http_request_duration_seconds_sum", **timing) > 0
    assert value(after, "lct_http_request_duration_seconds_bucket", le="+Inf", **timing) == value(
        after, count, **timing
    )


async def test_route_label_is_the_template_and_unknown_paths_share_one_bucket(client: httpx.AsyncClient) -> None:
    created = await client.post(
        "/API/tournament/CREATE", json={"name": f"cup-{uuid.uuid4().hex[:8]}", "playerLimit": 2}
    )
    assert created.status_code == 200
    for _ in range(25):
        assert (await client.get(f"/nothing/{uuid.uuid4()}")).status_code == 404
    samples = await scrape(client)
    assert value(samples, "lct_http_requests_total", method="POST", route="/api/Tournament/create", status="200") == 1
    assert value(samples, "lct_http_requests_total", method="GET", route="unmatched", status="404") == 25
    routes = {dict(labels)["route"] for name, labels in samples if name == "lct_http_requests_total"}
    assert not any(route.startswith("/nothing") or route.startswith("/API") for route in routes), routes


async def test_error_statuses_are_counted_separately(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/Tournament/create", json={"name": "", "playerLimit": 2})
    assert response.status_code == 400
    samples = await scrape(client)
    assert value(samples, "lct_http_requests_total", method="POST", route="/api/Tournament/create", status="400") == 1


async def test_live_gauges_and_counters_are_exported(client: httpx.AsyncClient) -> None:
    samples = await scrape(client)
    assert value(samples, "lct_store_up") == 1
    assert ("lct_hub_connections", frozenset()) in samples
    for outcome in ("published", "delivered", "dropped"):
        assert ("lct_hub_messages_total", frozenset({("outcome", outcome)})) in samples
    assert ("lct_log_shipping_dropped_total", frozenset()) in samples
    assert ("lct_redis_up", frozenset()) not in samples  # no Redis configured: no claim either way


async def test_metrics_is_not_part_of_the_openapi_document(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/swagger/v1/swagger.json")).json()["paths"]
    assert "/metrics" not in paths


async def test_each_app_has_its_own_registry() -> None:
    first, second = create_app(Settings(database_url="memory://")), create_app(Settings(database_url="memory://"))
    async with (
        httpx.AsyncClient(transport=httpx.ASGITransport(app=first), base_url="http://a") as a,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=second), base_url="http://b") as b,
    ):
        await a.get("/liveness")
        labels = {"method": "GET", "route": "/liveness", "status": "200"}
        assert value(await scrape(a), "lct_http_requests_total", **labels) == 1
        assert value(await scrape(b), "lct_http_requests_total", **labels) == 0


# --- hub gauges on a real server (WebSockets) --------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with lct_server(tmp_path_factory.mktemp("metrics")) as running:
        yield running


async def scrape_url(url: str) -> Samples:
    async with httpx.AsyncClient() as http:
        response = await http.get(url + "/metrics")
    assert response.status_code == 200
    return parse(response.text)


async def test_hub_connections_and_messages_follow_the_hub(server: Server) -> None:
    api = Api(server.url)
    try:
        tid = await api.create(f"cup-{uuid.uuid4().hex[:10]}", 2)
        before = await scrape_url(server.url)
        async with HubClient.connect(server.ws_url, tid) as hub:
            during = await scrape_url(server.url)
            assert value(during, "lct_hub_connections") == value(before, "lct_hub_connections") + 1
            await api.assign(tid, "Jan", "Nowak")
            await hub.next_payload()
            after = await scrape_url(server.url)
        for outcome in ("published", "delivered"):
            moved = value(after, "lct_hub_messages_total", outcome=outcome) - value(
                before, "lct_hub_messages_total", outcome=outcome
            )
            assert moved >= 1, outcome
        for _ in range(200):  # the server notices the close asynchronously: poll until the gauge drops
            closed = await scrape_url(server.url)
            if value(closed, "lct_hub_connections") == value(before, "lct_hub_connections"):
                break
            await asyncio.sleep(0.02)
        else:
            pytest.fail("lct_hub_connections did not go back down after the client left")
    finally:
        await api.aclose()
