"""Prometheus metrics for one app, served at ``/metrics`` in the text exposition format.

HTTP metrics are recorded by the middleware through :meth:`Metrics.observe` (label children are resolved once per
(method, route, status) and cached, since this is on every request's path). Everything else is read from live
state when scraped: hub connections and message counts from the hub and broker counters, store/Redis health from
a ping made by the scrape itself, dropped log documents from the log shipper. Those objects are read defensively
(``getattr`` with defaults) so a component that is absent or counts less still leaves ``/metrics`` working.

Each app has its own registry (tests build many apps in one process).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterator, Sized
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.gc_collector import GCCollector
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector

__all__ = ["CONTENT_TYPE_LATEST", "UNMATCHED", "Metrics"]

UNMATCHED = "unmatched"
"""The ``route`` label of requests no route matched (keeps the label set bounded whatever clients send)."""
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
DURATION_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
PING_TIMEOUT = 1.0

# No ``*_created`` series: they double the series count and no dashboard reads them.
disable_created_metrics()  # type: ignore[no-untyped-call]


class Metrics:
    """The app's registry: request counters and durations, plus live gauges read at scrape time.

    ``hub``, ``broker`` and ``shipper`` are callables returning the current object (or ``None``), so components
    built or replaced after the app are still found.
    """

    def __init__(
        self,
        *,
        broker: Callable[[], object | None] = lambda: None,
        hub: Callable[[], object | None] = lambda: None,
        shipper: Callable[[], object | None] = lambda: None,
        redis_configured: bool = False,
    ) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        self.requests = Counter(
            "lct_http_requests",
            "HTTP requests handled, by method, route template and status code.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "lct_http_request_duration_seconds",
            "Time from receiving an HTTP request to sending its response, by method and route template.",
            ["method", "route"],
            buckets=DURATION_BUCKETS,
            registry=self.registry,
        )
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
        self.live = LiveCollector(broker, hub, shipper, redis_configured)
        self.registry.register(self.live)
        ProcessCollector(registry=self.registry)
        GCCollector(registry=self.registry)

    def observe(self, method: str, route: str, status: int, duration_ns: int) -> None:
        key = (method, route, status)
        children = self._children.get(key)
        if children is None:
            children = self._resolve(key)
        children[0].inc()
        children[1].observe(duration_ns / 1e9)

    def _resolve(self, key: tuple[str, str, int]) -> tuple[Any, Any]:
        method, route, status = key
        label = method if method in METHODS else "OTHER"
        children = (self.requests.labels(label, route, str(status)), self.duration.labels(label, route))
        self._children[key] = children
        return children

    async def render(
        self, store_ping: Callable[[], Awaitable[object]], broker_ping: Callable[[], Awaitable[object]]
    ) -> bytes:
        """Ping the store and the broker (concurrently, bounded), then the exposition text."""
        store_up, broker_up = await asyncio.gather(_ok(store_ping), _ok(broker_ping))
        self.live.store_up = store_up
        self.live.broker_up = broker_up
        return generate_latest(self.registry)


async def _ok(ping: Callable[[], Awaitable[object]]) -> bool:
    with contextlib.suppress(Exception):
        await asyncio.wait_for(ping(), timeout=PING_TIMEOUT)
        return True
    return False


class LiveCollector(Collector):
    def __init__(
        self,
        broker: Callable[[], object | None],
        hub: Callable[[], object | None],
        shipper: Callable[[], object | None],
        redis_configured: bool,
    ) -> None:
        self.broker = broker
        self.hub = hub
        self.shipper = shipper
        self.redis_configured = redis_configured
        self.store_up = False
        self.broker_up = False

    def collect(self) -> Iterator[Metric]:
        broker, hub, shipper = self.broker(), self.hub(), self.shipper()
        yield GaugeMetricFamily(
            "lct_hub_connections", "Open hub (WebSocket) connections on this instance.", value=connection_count(hub)
        )
        messages = CounterMetricFamily(
            "lct_hub_messages",
            "Hub notifications: published to the broker, delivered to this instance, dropped (buffer full).",
            labels=["outcome"],
        )
        for outcome in ("published", "delivered", "dropped"):
            messages.add_metric([outcome], _count(broker, outcome) + _count(hub, outcome))
        yield messages
        yield GaugeMetricFamily(
            "lct_store_up", "1 when the event store answered a ping during this scrape.", value=float(self.store_up)
        )
        if self.redis_configured:
            connected = bool(getattr(broker, "connected", True))
            yield GaugeMetricFamily(
                "lct_redis_up",
                "1 when Redis answered a ping during this scrape and the broker is connected.",
                value=float(self.broker_up and connected),
            )
        yield CounterMetricFamily(
            "lct_log_shipping_dropped",
            "Log documents not shipped to Elasticsearch (queue full, sink down or rejected).",
            value=_count(shipper, "dropped"),
        )
        yield CounterMetricFamily(
            "lct_log_shipping_shipped", "Log documents indexed by Elasticsearch.", value=_count(shipper, "shipped")
        )


def _count(source: object | None, name: str) -> float:
    value = getattr(source, name, 0)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def connection_count(hub: object | None) -> float:
    """The hub's open connections: ``connection_count``, ``connections`` (a number or a collection), or ``len``."""
    if hub is None:
        return 0.0
    for name in ("connection_count", "connections"):
        value = getattr(hub, name, None)
        if callable(value):
            value = value()
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int | float):
            return float(value)
        if isinstance(value, Sized):
            return float(len(value))
    return float(len(hub)) if isinstance(hub, Sized) else 0.0
