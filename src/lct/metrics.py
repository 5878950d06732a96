"""Prometheus metrics for one app, served at ``/metrics`` in the text exposition format.

HTTP metrics are recorded by the application through :meth:`Metrics.observe` (label children are resolved once per
(method, route, status) and cached, since this is on every request's path). Everything else is registered by the
component that owns it, as a typed callback read at scrape time: ``gauge`` and ``counter`` take a function that
returns the current value (several callbacks may feed one counter family, e.g. the broker's and the hub's message
outcomes), and ``probe`` takes an async check that the scrape runs (store and Redis health), concurrently and
bounded in time.

Each app has its own registry (tests build many apps in one process). Label values are fixed strings chosen by the
code, never client input, so the series count is bounded.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
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
Read = Callable[[], float]
Probe = Callable[[], Awaitable[bool]]

# No ``*_created`` series: they double the series count and no dashboard reads them.
disable_created_metrics()  # type: ignore[no-untyped-call]


@dataclass
class _Family:
    kind: str  # "gauge" | "counter"
    help: str
    label_names: tuple[str, ...]
    readers: list[tuple[tuple[str, ...], Read]] = field(default_factory=list)
    probed: bool = False
    value: float = 0.0


class Metrics:
    """The app's registry: request counters and durations, plus the families components register."""

    def __init__(self) -> None:
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
        self._families: dict[str, _Family] = {}
        self._probes: dict[str, Probe] = {}
        self.registry.register(_Registered(self._families))
        ProcessCollector(registry=self.registry)
        GCCollector(registry=self.registry)

    # --- registration by the owning components ---

    def gauge(self, name: str, help: str, read: Read) -> None:
        self._family(name, "gauge", help, ()).readers.append(((), read))

    def counter(self, name: str, help: str, read: Read, **labels: str) -> None:
        """``read`` returns the running total; callbacks with the same name and labels are added up."""
        family = self._family(name, "counter", help, tuple(sorted(labels)))
        family.readers.append((tuple(labels[k] for k in family.label_names), read))

    def probe(self, name: str, help: str, check: Probe) -> None:
        """A 0/1 gauge set by running ``check`` during each scrape (an exception or a timeout counts as 0)."""
        self._family(name, "gauge", help, ()).probed = True
        self._probes[name] = check

    def _family(self, name: str, kind: str, help: str, label_names: tuple[str, ...]) -> _Family:
        family = self._families.setdefault(name, _Family(kind, help, label_names))
        if family.kind != kind or family.label_names != label_names:
            raise ValueError(f"metric {name} registered twice with different shapes")
        return family

    # --- the request path ---

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

    # --- the scrape ---

    async def render(self) -> bytes:
        """Run the probes (concurrently, bounded), then the exposition text."""
        names = list(self._probes)
        results = await asyncio.gather(*(_ok(self._probes[n]) for n in names))
        for name, ok in zip(names, results, strict=True):
            self._families[name].value = float(ok)
        return generate_latest(self.registry)


async def _ok(check: Probe) -> bool:
    with contextlib.suppress(Exception):
        return await asyncio.wait_for(check(), timeout=PING_TIMEOUT)
    return False


class _Registered(Collector):
    def __init__(self, families: dict[str, _Family]) -> None:
        self.families = families

    def collect(self) -> Iterator[Metric]:
        for name, family in self.families.items():
            yield _metric(name, family)


def _metric(name: str, family: _Family) -> Metric:
    metric: GaugeMetricFamily | CounterMetricFamily
    if family.kind == "gauge":
        metric = GaugeMetricFamily(name, family.help, labels=family.label_names)
    else:
        metric = CounterMetricFamily(name, family.help, labels=family.label_names)
    if family.probed:
        metric.add_metric([], family.value)
        return metric
    totals: dict[tuple[str, ...], float] = {}
    for labels, read in family.readers:
        totals[labels] = totals.get(labels, 0.0) + float(read())
    for labels, value in totals.items():
        metric.add_metric(list(labels), value)
    return metric
