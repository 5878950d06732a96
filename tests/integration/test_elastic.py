"""Shipping logs to Elasticsearch.

The sink in the ``standin`` tests is **osmem-server** (PyPI ``osmem-server``), an in-memory OpenSearch-compatible
stand-in, not Elasticsearch itself: it checks our ``_bulk`` requests, index names and documents, not Elasticsearch's
mappings, templates or performance. The other tests use an ``httpx.MockTransport`` sink to script failures.
"""

from __future__ import annotations

import asyncio
import calendar
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from osmem_server import OsmemClone
from prometheus_client.parser import text_string_to_metric_families

from lct.elastic import LogShipper, index_for, index_prefix
from tests.support import Server, free_port, lct_server
from tests.unit.test_logs import field


def utc(text: str) -> float:
    """Seconds since the epoch for ``YYYY-MM-DDTHH:MM:SS.fff`` in UTC."""
    whole, _, fraction = text.partition(".")
    return calendar.timegm(time.strptime(whole, "%Y-%m-%dT%H:%M:%S")) + float("0." + (fraction or "0"))


def record(message: str, created: float | None = None) -> logging.LogRecord:
    rec = logging.LogRecord("lct.test.elastic", logging.INFO, __file__, 1, message, None, None)
    if created is not None:
        rec.created = created
    return rec


def search(url: str, index: str = "lct-*") -> list[dict[str, Any]]:
    httpx.post(f"{url}/_refresh")
    response = httpx.post(f"{url}/{index}/_search", json={"query": {"match_all": {}}, "size": 1000})
    if response.status_code == 404:
        return []
    response.raise_for_status()
    hits: list[dict[str, Any]] = response.json()["hits"]["hits"]
    return hits


def wait_for_hits(url: str, predicate: Any, timeout: float = 15.0) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        hits = [hit for hit in search(url) if predicate(hit["_source"])]
        if hits:
            return hits
        time.sleep(0.1)  # polling interval while the shipper flushes (every second)
    raise AssertionError(f"no matching document in {url} within {timeout}s")


def metric(url: str, name: str) -> float:
    text = httpx.get(url + "/metrics").text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and not sample.labels:
                return float(sample.value)
    raise AssertionError(f"{name} not in /metrics")


def test_the_index_is_computed_from_each_documents_own_timestamp() -> None:
    prefix = index_prefix("Staging")
    assert prefix == "lct-staging"
    assert index_for(prefix, {"@timestamp": "2023-11-30T23:59:59.999Z"}) == "lct-staging-2023.11"
    assert index_for(prefix, {"@timestamp": "2023-12-01T00:00:00.000Z"}) == "lct-staging-2023.12"
    assert index_prefix("Production.EU West") == "lct-production-eu-west"


# --- against the osmem-server stand-in ---------------------------------------------------------------------------


@pytest.mark.standin
async def test_documents_go_to_the_index_of_their_own_month(osmem_clone: OsmemClone) -> None:
    """Stand-in: osmem-server. A shipper running across a month boundary splits its documents by their time."""
    shipper = LogShipper(osmem_clone.url, "Testing", flush_interval=0.05)
    await shipper.start()
    try:
        shipper.handler.handle(record("last of November", utc("2023-11-30T23:59:59.500")))
        shipper.handler.handle(record("first of December", utc("2023-12-01T00:00:00.250")))
    finally:
        await shipper.close()
    assert shipper.dropped == 0
    assert shipper.shipped == 2
    where = {hit["_source"]["message"]: hit["_index"] for hit in search(osmem_clone.url)}
    assert where == {"last of November": "lct-testing-2023.11", "first of December": "lct-testing-2023.12"}
    november = next(hit["_source"] for hit in search(osmem_clone.url, "lct-testing-2023.11"))
    assert november["@timestamp"] == "2023-11-30T23:59:59.500Z"
    assert field(november, "log.logger") == "lct.test.elastic"


@pytest.fixture
def shipping_server(osmem_clone: OsmemClone, tmp_path: Path) -> Iterator[Server]:
    env = {"LCT_ELASTICSEARCH_URL": osmem_clone.url, "LCT_ENVIRONMENT": "Staging"}
    with lct_server(tmp_path, env) as running:
        yield running


@pytest.mark.standin
def test_a_server_ships_its_request_logs_to_the_monthly_index(shipping_server: Server, osmem_clone: OsmemClone) -> None:
    """Stand-in: osmem-server. Completion lines arrive with the ECS and the original's fields."""
    request_id = f"ship-{uuid.uuid4()}"
    assert httpx.get(shipping_server.url + "/liveness", headers={"X-Request-ID": request_id}).status_code == 200

    (hit,) = wait_for_hits(osmem_clone.url, lambda doc: doc.get("RequestId") == request_id)
    doc = hit["_source"]
    stamp = doc["@timestamp"]
    assert hit["_index"] == f"lct-staging-{stamp[:4]}.{stamp[5:7]}"
    assert doc["RequestPath"] == "/liveness"
    assert doc["StatusCode"] == 200
    assert doc["Environment"] == "Staging"
    assert isinstance(doc["Elapsed"], float)
    assert field(doc, "http.request.id") == request_id
    assert field(doc, "http.route") == "/liveness"
    assert isinstance(field(doc, "event.duration"), int)
    loggers = {field(hit["_source"], "log.logger") for hit in search(osmem_clone.url)}
    assert "uvicorn.error" in loggers  # start-up lines are shipped too
    assert not {name for name in loggers if name.startswith(("httpx", "httpcore", "lct.elastic"))}


def test_with_the_sink_down_requests_succeed_and_drops_are_counted(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    env = {"LCT_ELASTICSEARCH_URL": dead, "LCT_LOG_SHIPPING_QUEUE_SIZE": "20", "LCT_LOG_SHIPPING_BATCH_SIZE": "5"}
    with lct_server(tmp_path, env) as server, httpx.Client(base_url=server.url) as http:
        for _ in range(60):
            assert http.get("/liveness").status_code == 200
        first = metric(server.url, "lct_log_shipping_dropped_total")
        assert first > 0
        for _ in range(30):
            assert http.get("/liveness").status_code == 200
        assert metric(server.url, "lct_log_shipping_dropped_total") >= first + 30
        deadline = time.monotonic() + 10
        while "log documents for Elasticsearch" not in server.log() and time.monotonic() < deadline:
            time.sleep(0.05)  # polling interval: the warning comes from the shipper's loop
        warnings = [line for line in server.log().splitlines() if "log documents for Elasticsearch" in line]
    assert 1 <= len(warnings) <= 2, warnings  # rate-limited (one per 30 s), not one per dropped document


# --- scripted sinks ----------------------------------------------------------------------------------------------


async def until(condition: Callable[[], bool], within: float = 10.0) -> None:
    for _ in range(int(within / 0.005)):
        if condition():
            return
        await asyncio.sleep(0.005)  # polling interval
    raise AssertionError("condition not met in time")


def bulk_ok(request: httpx.Request) -> httpx.Response:
    items = [{"create": {"status": 201}} for line in request.content.splitlines()[::2]]
    return httpx.Response(200, json={"errors": False, "items": items})


async def test_the_batch_in_hand_is_retried_until_the_sink_is_back() -> None:
    calls: list[int] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 1:
            raise httpx.ConnectError("down", request=request)
        if len(calls) <= 3:
            return httpx.Response(503)
        return bulk_ok(request)

    shipper = LogShipper(
        "http://sink", "Test", flush_interval=0.01, backoff_min=0.01, transport=httpx.MockTransport(flaky)
    )
    await shipper.start()
    try:
        for n in range(7):
            shipper.handler.handle(record(f"doc {n}"))
        await until(lambda: shipper.shipped >= 7)
    finally:
        await shipper.close()
    assert shipper.dropped == 0
    assert len(calls) >= 4


async def test_documents_the_sink_rejects_count_as_dropped() -> None:
    def half(request: httpx.Request) -> httpx.Response:
        n = len(request.content.splitlines()) // 2
        items = [{"create": {"status": 400 if i % 2 else 201}} for i in range(n)]
        return httpx.Response(200, json={"errors": True, "items": items})

    shipper = LogShipper("http://sink", "Test", flush_interval=0.01, transport=httpx.MockTransport(half))
    await shipper.start()
    for n in range(4):
        shipper.handler.handle(record(f"doc {n}"))
    await shipper.close()
    assert (shipper.shipped, shipper.dropped) == (2, 2)


async def test_close_gives_up_after_the_grace_period_and_counts_what_was_lost() -> None:
    async def hang(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(3600)
        raise AssertionError("unreachable")

    shipper = LogShipper("http://sink", "Test", flush_interval=0.01, transport=httpx.MockTransport(hang))
    await shipper.start()
    for n in range(3):
        shipper.handler.handle(record(f"doc {n}"))
    await until(lambda: not shipper.queue)  # the first batch is out, and hangs
    shipper.handler.handle(record("queued behind it"))
    started = time.monotonic()
    await shipper.close(grace=0.2)
    assert time.monotonic() - started < 2
    assert shipper.dropped == 4
    assert shipper.shipped == 0


def test_the_queue_is_bounded_and_overflow_is_counted() -> None:
    shipper = LogShipper("http://sink", "Test", queue_size=5)
    for n in range(12):
        shipper.handler.handle(record(f"doc {n}"))
    assert len(shipper.queue) == 5
    assert shipper.dropped == 7
