"""Ship log documents to Elasticsearch (or OpenSearch) with the ``_bulk`` API, off the request path.

A logging handler puts each record's ECS document on a bounded in-memory queue and returns: it never blocks, does
no I/O and never raises into the caller. When the queue is full the document is dropped and counted (``dropped``,
exported as ``lct_log_shipping_dropped_total``), and a warning about the drops is printed at most every
``warn_every`` seconds. A background task sends batches; while the sink is down it retries the batch in hand with
capped exponential backoff and the queue keeps its bound, so memory stays bounded whatever the outage.

Each document goes to ``lct-<environment>-<yyyy.MM>`` computed from its own ``@timestamp`` (the original froze
the month at start-up, so a pod started in March wrote April's logs into the March index).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import re
import time
from collections.abc import Callable
from typing import Any

import httpx
import orjson

from lct.logs import EcsFormatter

BATCH_SIZE = 500
QUEUE_SIZE = 20_000
FLUSH_INTERVAL = 1.0
BACKOFF_MAX = 30.0
_UNSAFE = re.compile(r"[^a-z0-9_-]+")
IGNORED_LOGGERS = ("lct.elastic", "httpx", "httpcore")
"""Records never shipped: the shipper's own and its HTTP client's (they would feed back into the queue)."""


def index_prefix(environment: str) -> str:
    return "lct-" + (_UNSAFE.sub("-", environment.lower()).strip("-") or "default")


def index_for(prefix: str, document: dict[str, Any]) -> str:
    """``<prefix>-yyyy.MM`` from the document's own ``@timestamp`` (ISO 8601, e.g. ``2023-11-30T23:59:59.999Z``)."""
    timestamp = str(document.get("@timestamp") or "")
    if len(timestamp) >= 7 and timestamp[4] == "-":
        return f"{prefix}-{timestamp[:4]}.{timestamp[5:7]}"
    return f"{prefix}-{time.strftime('%Y.%m', time.gmtime())}"


class LogShipper:
    """Owns the queue, the logging handler that feeds it and the task that empties it.

    ``start()`` (inside the running loop) attaches the handler to the root logger; ``close()`` detaches it and
    flushes what is queued within a time limit; documents still unsent then count as dropped.
    """

    def __init__(
        self,
        url: str,
        environment: str,
        *,
        batch_size: int = BATCH_SIZE,
        queue_size: int = QUEUE_SIZE,
        flush_interval: float = FLUSH_INTERVAL,
        backoff_min: float = 0.5,
        backoff_max: float = BACKOFF_MAX,
        warn_every: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url.rstrip("/")
        self.prefix = index_prefix(environment)
        self.batch_size = batch_size
        self.queue_size = queue_size
        self.flush_interval = flush_interval
        self.backoff_min = backoff_min
        self.backoff_max = backoff_max
        self.warn_every = warn_every
        self.queue: collections.deque[dict[str, Any]] = collections.deque()
        self.dropped = 0
        self.shipped = 0
        self.handler = ShippingHandler(self, EcsFormatter(environment))
        self._transport = transport
        self._monotonic = monotonic
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._stop: asyncio.Event | None = None
        self._in_flight = 0
        self._wake_pending = False
        self._closing = False
        self._reported_drops = 0
        self._last_warning = -float("inf")

    # --- feeding (any thread, never blocks) ------------------------------------------------------------------

    def put(self, document: dict[str, Any]) -> None:
        if self._closing or len(self.queue) >= self.queue_size:
            self.dropped += 1
            return
        self.queue.append(document)
        if len(self.queue) >= self.batch_size and not self._wake_pending and self._loop is not None:
            self._wake_pending = True
            with contextlib.suppress(RuntimeError):  # the loop is closed: the flush on close takes the rest
                self._loop.call_soon_threadsafe(self._set_wake)

    def _set_wake(self) -> None:
        if self._wake is not None:
            self._wake.set()

    # --- lifecycle -------------------------------------------------------------------------------------------

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(self._run(), name="lct-log-shipper")
        logging.getLogger().addHandler(self.handler)

    async def close(self, grace: float = 5.0) -> None:
        """Stop taking documents and send what is queued, giving up after ``grace`` seconds."""
        logging.getLogger().removeHandler(self.handler)
        self._closing = True
        if self._task is None or self._stop is None:
            return
        self._stop.set()
        self._set_wake()
        try:
            await asyncio.wait_for(self._task, grace)
        except TimeoutError:  # wait_for cancelled the task, with a batch possibly in flight
            self.dropped += self._in_flight
        unsent = len(self.queue)
        self.queue.clear()
        self.dropped += unsent
        self._report(force=True)

    # --- sending ---------------------------------------------------------------------------------------------

    async def _run(self) -> None:
        async with httpx.AsyncClient(base_url=self.url, transport=self._transport, timeout=10.0) as client:
            batch: list[dict[str, Any]] = []
            delay = 0.0
            while True:
                await self._pause(delay)
                if not batch:
                    batch = self._take()
                if not batch:
                    if self._closing:
                        return
                    self._report()
                    continue
                self._in_flight = len(batch)
                try:
                    sent = await self._send(client, batch)
                except Exception:  # a bug here must not stop shipping for good
                    logging.getLogger("lct.elastic").exception("log shipping failed")
                    sent = False
                if sent:
                    batch, delay = [], 0.0
                    self._in_flight = 0
                elif self._closing:
                    self.dropped += len(batch)
                    return
                else:
                    delay = min(self.backoff_max, max(self.backoff_min, delay * 2))
                self._report()

    async def _pause(self, backoff: float) -> None:
        """Until a batch is full or the flush interval passed; during a backoff, until it ends (or close)."""
        assert self._wake is not None
        assert self._stop is not None
        if self._closing:
            return
        event = self._stop if backoff else self._wake
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout=backoff or self.flush_interval)
        self._wake.clear()
        self._wake_pending = False

    def _take(self) -> list[dict[str, Any]]:
        batch: list[dict[str, Any]] = []
        while self.queue and len(batch) < self.batch_size:
            batch.append(self.queue.popleft())
        return batch

    async def _send(self, client: httpx.AsyncClient, batch: list[dict[str, Any]]) -> bool:
        """One ``_bulk`` request; False means try the whole batch again later (sink down or overloaded)."""
        lines = []
        for document in batch:
            lines.append(orjson.dumps({"create": {"_index": index_for(self.prefix, document)}}))
            lines.append(orjson.dumps(document, default=str))
        body = b"\n".join(lines) + b"\n"
        try:
            response = await client.post("/_bulk", content=body, headers={"content-type": "application/x-ndjson"})
        except httpx.HTTPError:
            return False
        if response.status_code == 429 or response.status_code >= 500:
            return False
        if response.status_code >= 400:
            self.dropped += len(batch)
            self._warn(f"Elasticsearch refused a bulk request ({response.status_code}): {response.text[:200]}")
            return True
        rejected = _rejected(response)
        self.dropped += rejected
        self.shipped += len(batch) - rejected
        return True

    # --- reporting (rate-limited; records of "lct.elastic" are never shipped, so they cannot feed the queue) -----

    def _report(self, force: bool = False) -> None:
        if self.dropped == self._reported_drops:
            return
        now = self._monotonic()
        if not force and now - self._last_warning < self.warn_every:
            return
        new = self.dropped - self._reported_drops
        self._reported_drops = self.dropped
        self._last_warning = now
        self._warn(f"dropped {new} log documents for Elasticsearch ({self.dropped} in total): queue full or sink down")

    def _warn(self, message: str) -> None:
        record = logging.LogRecord("lct.elastic", logging.WARNING, __file__, 0, message, None, None)
        record.__dict__["event.action"] = "log-shipping-dropped"
        with contextlib.suppress(Exception):
            logging.getLogger("lct.elastic").handle(record)


def _rejected(response: httpx.Response) -> int:
    try:
        result = response.json()
    except ValueError:
        return 0
    if not result.get("errors"):
        return 0
    return sum(1 for item in result.get("items", ()) for action in item.values() if action.get("status", 200) >= 300)


class ShippingHandler(logging.Handler):
    """Turns records into ECS documents and queues them; everything that can go wrong is swallowed."""

    def __init__(self, shipper: LogShipper, formatter: EcsFormatter) -> None:
        super().__init__()
        self.shipper = shipper
        self.ecs = formatter

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(IGNORED_LOGGERS):
            return
        try:
            self.shipper.put(self.ecs.document(record))
        except Exception:
            self.shipper.dropped += 1

    def handle(self, record: logging.LogRecord) -> bool:  # no handler lock: put() is safe without it
        self.emit(record)
        return True
