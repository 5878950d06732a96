"""The Redis pub/sub broker (contract section 4): one channel per tournament, payload = the inner JSON string.

Two background tasks own all Redis I/O, so ``publish`` only appends to a bounded in-memory buffer and returns:

- the *listener* keeps one subscriber connection. After every (re)connect it first re-subscribes every wanted
  channel and waits for Redis to confirm, and only then reports ``connected``; it hands each received message to
  the channel's handler.
- the *publisher* sends the buffer in order, one PUBLISH at a time, and only while ``connected``. A message leaves
  the buffer only after its PUBLISH returned. While Redis is down the buffer holds up to ``buffer_size``
  messages; when it is full the oldest is dropped (``dropped`` counter, warning log).

Delivery guarantees, precisely:

- While Redis is up: each message is published exactly once, in publish order.
- Outage: messages published while Redis is unreachable wait in the buffer (at most ``buffer_size``; older ones
  are dropped) and are sent after the reconnect, once this instance re-subscribed *and* ``flush_delay`` passed.
  The delay (default 2 x the longest reconnect back-off) gives the other instances, which retry on the same
  schedule, time to re-subscribe too, so the flushed messages reach their clients as well.
- Retries: a PUBLISH whose outcome is unknown (the connection broke after the command was written) is sent again,
  so the transport is at-least-once for that one message. Receivers remove the resulting duplicate: a
  state-changing message carries its stream ``version`` and is byte-identical when repeated, and the listener
  drops a message identical to one of the last ``DEDUP_WINDOW`` versioned messages of that channel.
  ``TeamClicked`` messages are not versioned; a repeated one is harmless (it carries the full click list).
- Lost for good: messages dropped from a full buffer, the buffer of an instance that dies, and messages sent
  while a subscribing instance was disconnected from Redis (pub/sub has no replay). Clients recover by
  re-reading the state over HTTP (see docs/hub.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from typing import Any

import redis.asyncio as redis
from redis.asyncio.client import PubSub
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from lct.adapters.broker import BrokerUnavailable, Handler

log = logging.getLogger("lct.broker")

DEDUP_WINDOW = 32
MAX_BACKOFF = 0.5
CONFIRM_TIMEOUT = 2.0
HEARTBEAT_CHANNEL = "__lct_broker__"
_DOWN = (RedisError, OSError, asyncio.TimeoutError)


class RedisBroker:
    def __init__(
        self,
        url: str,
        *,
        buffer_size: int = 10_000,
        max_backoff: float = MAX_BACKOFF,
        flush_delay: float | None = None,
        command_timeout: float = 2.0,
    ) -> None:
        self._url = url
        self._buffer_size = buffer_size
        self._max_backoff = max_backoff
        self._flush_delay = 2 * max_backoff if flush_delay is None else flush_delay
        options: dict[str, Any] = {
            "socket_connect_timeout": command_timeout,
            "retry": Retry(NoBackoff(), 0),
            "decode_responses": True,
        }
        self._publisher_client = redis.Redis.from_url(url, socket_timeout=command_timeout, **options)
        self._subscriber_client = redis.Redis.from_url(url, health_check_interval=10, **options)
        self._command_timeout = command_timeout
        self._buffer: deque[tuple[str, str]] = deque()
        self._handlers: dict[str, Handler] = {}
        self._pubsub: PubSub | None = None
        self._subscribe_lock = asyncio.Lock()
        self._confirmations: dict[str, list[asyncio.Future[None]]] = {}
        self._recent: dict[str, deque[str]] = {}
        self._pending = asyncio.Event()
        self._up = asyncio.Event()
        self._flush_after = 0.0
        self._tasks: list[asyncio.Task[None]] = []
        self.published = 0
        self.dropped = 0
        self.delivered = 0
        self.duplicates = 0

    @property
    def connected(self) -> bool:
        """True when the subscriber connection is up and every wanted channel is subscribed."""
        return self._up.is_set()

    @property
    def buffered(self) -> int:
        """Messages waiting to be published."""
        return len(self._buffer)

    # --- lifecycle -------------------------------------------------------------------------------------------

    async def start(self) -> None:
        """Start the background tasks; returns at once, even if Redis is down."""
        if not self._tasks:
            loop = asyncio.get_running_loop()
            self._tasks = [loop.create_task(self._listen()), loop.create_task(self._publish())]

    async def close(self) -> None:
        """Stop the tasks; messages still buffered are lost (logged)."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        if self._buffer:
            log.warning("closing with %d unpublished notifications", len(self._buffer))
        await self._publisher_client.aclose()
        await self._subscriber_client.aclose()

    async def ping(self) -> None:
        if not self.connected:
            raise BrokerUnavailable("not connected to Redis")
        await asyncio.wait_for(self._publisher_client.ping(), timeout=self._command_timeout)

    # --- publishing ------------------------------------------------------------------------------------------

    def publish(self, channel: str, message: str) -> None:
        if len(self._buffer) >= self._buffer_size:
            self._buffer.popleft()
            self.dropped += 1
            if self.dropped == 1 or self.dropped % 1000 == 0:
                log.warning(
                    "notification buffer full (%d): dropped the oldest, %d dropped so far",
                    self._buffer_size,
                    self.dropped,
                    extra={"event.action": "notification-dropped"},
                )
        self._buffer.append((channel, message))
        self._pending.set()

    async def _publish(self) -> None:
        failures = 0
        while True:
            if not self._buffer:
                self._pending.clear()
                await self._pending.wait()
                continue
            await self._up.wait()
            wait = self._flush_after - asyncio.get_running_loop().time()
            if wait > 0:
                await asyncio.sleep(wait)
                continue
            item = self._buffer[0]
            try:
                await self._publisher_client.publish(*item)
            except asyncio.CancelledError:
                raise
            except _DOWN as e:
                failures += 1
                if failures == 1:
                    log.warning("publish to Redis failed (%s); will retry", e, extra={"event.action": "publish-failed"})
                await asyncio.sleep(min(self._max_backoff, 0.05 * 2**failures))
                continue
            failures = 0
            self.published += 1
            if self._buffer and self._buffer[0] is item:
                self._buffer.popleft()

    # --- subscribing -----------------------------------------------------------------------------------------

    async def subscribe(self, channel: str, handler: Handler) -> None:
        """Register ``handler``; if connected, SUBSCRIBE and wait (bounded) for Redis to confirm, so a message
        published after this returns reaches the handler. While disconnected, the listener subscribes on
        reconnect."""
        async with self._subscribe_lock:
            self._handlers[channel] = handler
            pubsub = self._pubsub
            if pubsub is None or not self.connected:
                return
            confirmed = self._expect_confirmation(channel)
            try:
                await pubsub.subscribe(channel)
                await asyncio.wait_for(asyncio.shield(confirmed), timeout=CONFIRM_TIMEOUT)
            except _DOWN as e:
                log.warning("SUBSCRIBE %s failed (%s); will subscribe on reconnect", channel, e)

    async def unsubscribe(self, channel: str) -> None:
        async with self._subscribe_lock:
            if self._handlers.pop(channel, None) is None:
                return
            self._recent.pop(channel, None)
            pubsub = self._pubsub
            if pubsub is None or not self.connected:
                return
            try:
                await pubsub.unsubscribe(channel)
            except _DOWN as e:
                log.warning("UNSUBSCRIBE %s failed (%s)", channel, e)

    def _expect_confirmation(self, channel: str) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._confirmations.setdefault(channel, []).append(future)
        return future

    async def _listen(self) -> None:
        failures = 0
        while True:
            pubsub = self._subscriber_client.pubsub()
            try:
                await self._resubscribe(pubsub)
                if failures:
                    self._flush_after = asyncio.get_running_loop().time() + self._flush_delay
                    log.info("reconnected to Redis", extra={"event.action": "broker-reconnected"})
                failures = 0
                self._up.set()
                while True:
                    message = await pubsub.get_message(timeout=1.0)
                    if message is not None:
                        self._on_message(message)
            except asyncio.CancelledError:
                raise
            except _DOWN as e:
                failures += 1
                if failures == 1:
                    log.warning("Redis unreachable (%s); retrying", e, extra={"event.action": "broker-disconnected"})
            finally:
                self._up.clear()
                self._pubsub = None
                self._fail_confirmations()
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
            await asyncio.sleep(min(self._max_backoff, 0.05 * 2**failures))

    async def _resubscribe(self, pubsub: PubSub) -> None:
        """Connect, SUBSCRIBE every wanted channel (plus a private one, so the connection is always in
        subscriber mode and its health is checked) and wait for every confirmation."""
        async with self._subscribe_lock:
            await pubsub.connect()  # type: ignore[no-untyped-call]
            channels = [HEARTBEAT_CHANNEL, *self._handlers]
            self._pubsub = pubsub
            waits = [self._expect_confirmation(c) for c in channels]
            await pubsub.subscribe(*channels)
            reader = asyncio.ensure_future(self._read_until(pubsub, waits))
            try:
                await asyncio.wait_for(asyncio.shield(reader), timeout=self._command_timeout)
            finally:
                reader.cancel()
                with contextlib.suppress(asyncio.CancelledError, *_DOWN):
                    await reader

    async def _read_until(self, pubsub: PubSub, waits: list[asyncio.Future[None]]) -> None:
        while not all(w.done() for w in waits):
            message = await pubsub.get_message(timeout=self._command_timeout)
            if message is not None:
                self._on_message(message)

    def _fail_confirmations(self) -> None:
        for futures in self._confirmations.values():
            for future in futures:
                if not future.done():
                    future.cancel()
        self._confirmations.clear()

    def _on_message(self, message: dict[str, Any]) -> None:
        kind, channel = message.get("type"), message.get("channel")
        if not isinstance(channel, str):
            return
        if kind == "subscribe":
            for future in self._confirmations.pop(channel, []):
                if not future.done():
                    future.set_result(None)
            return
        if kind != "message":
            return
        handler = self._handlers.get(channel)
        data = message.get("data")
        if handler is None or not isinstance(data, str) or self._is_duplicate(channel, data):
            return
        self.delivered += 1
        try:
            handler(channel, data)
        except Exception:
            log.exception("notification handler failed for channel %s", channel)

    def _is_duplicate(self, channel: str, data: str) -> bool:
        if '"version":' not in data:
            return False
        recent = self._recent.get(channel)
        if recent is None:
            recent = self._recent[channel] = deque(maxlen=DEDUP_WINDOW)
        elif data in recent:
            self.duplicates += 1
            return True
        recent.append(data)
        return False
