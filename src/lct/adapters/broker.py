"""The broker port: fan hub notifications out to every instance that has clients of a tournament.

``publish`` never blocks or raises: it hands the message over and returns, so a slow or dead broker cannot
hold up or fail an HTTP request. Messages are delivered to the handlers registered with ``subscribe`` for
that channel, on every instance.

Counters every adapter exposes (read by metrics and tests; they only ever grow, except ``connected``):

- ``published``: messages handed to the transport (for Redis: PUBLISH returned).
- ``dropped``: messages given up on (the buffer was full; the oldest went first).
- ``delivered``: messages received on a subscribed channel and handed to its local handler.
- ``connected``: whether messages published now reach the other instances.

``Rooms`` sits on top of a broker: it keeps the local members of each channel and subscribes the broker on
a channel's first member and unsubscribes it on its last (contract 4.3).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

Handler = Callable[[str, str], None]
"""Called with (channel, message) for every message received on a subscribed channel."""

M = TypeVar("M")


class BrokerUnavailable(Exception):
    """The broker cannot currently reach the other instances."""


class Broker(Protocol):
    published: int
    dropped: int
    delivered: int

    @property
    def connected(self) -> bool: ...

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    def publish(self, channel: str, message: str) -> None: ...

    async def subscribe(self, channel: str, handler: Handler) -> None:
        """Start receiving ``channel`` (called on an instance's first local connection of that channel)."""

    async def unsubscribe(self, channel: str) -> None:
        """Stop receiving ``channel`` (called when its last local connection leaves)."""

    async def ping(self) -> None:
        """Raise an exception unless the broker can deliver messages to other instances."""


class InProcessBroker:
    """The default broker when no Redis is configured: one instance, delivery on the next loop iteration.

    ``subscribe_calls``/``unsubscribe_calls`` count the calls that reached it, like the Redis server's
    command statistics do for ``RedisBroker``."""

    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}
        self.published = 0
        self.dropped = 0
        self.delivered = 0
        self.subscribe_calls = 0
        self.unsubscribe_calls = 0

    @property
    def connected(self) -> bool:
        return True

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        self._handlers.clear()

    def publish(self, channel: str, message: str) -> None:
        self.published += 1
        if channel in self._handlers:
            asyncio.get_running_loop().call_soon(self._deliver, channel, message)

    def _deliver(self, channel: str, message: str) -> None:
        handler = self._handlers.get(channel)
        if handler is not None:
            self.delivered += 1
            handler(channel, message)

    async def subscribe(self, channel: str, handler: Handler) -> None:
        self.subscribe_calls += 1
        self._handlers[channel] = handler

    async def unsubscribe(self, channel: str) -> None:
        self.unsubscribe_calls += 1
        self._handlers.pop(channel, None)

    async def ping(self) -> None:
        return None


class Rooms(Generic[M]):
    """The local members of each channel. The first member of a channel subscribes the broker to it and the
    last one to leave unsubscribes it, so a channel costs one subscription however many members it has.

    Joins and leaves are serialised, so the broker sees subscribe and unsubscribe calls in the order the
    members came and went. Empty channel names or members are ignored (contract tests 6-9, 14-17)."""

    def __init__(self, broker: Broker, handler: Handler) -> None:
        self._broker = broker
        self._handler = handler
        self._members: dict[str, dict[M, None]] = {}
        self._lock = asyncio.Lock()

    async def join(self, channel: str, member: M) -> None:
        if not channel or member is None or member == "":
            return
        async with self._lock:
            members = self._members.get(channel)
            if members is not None:
                members[member] = None
                return
            self._members[channel] = {member: None}
            await self._broker.subscribe(channel, self._handler)

    async def leave(self, channel: str, member: M) -> None:
        if not channel or member is None or member == "":
            return
        async with self._lock:
            members = self._members.get(channel)
            if members is None or member not in members:
                return
            del members[member]
            if not members:
                del self._members[channel]
                await self._broker.unsubscribe(channel)

    def members(self, channel: str) -> list[M]:
        """A snapshot of the channel's local members, in joining order."""
        return list(self._members.get(channel, ()))

    def channels(self) -> list[str]:
        return list(self._members)

    def __len__(self) -> int:
        return sum(len(m) for m in self._members.values())
