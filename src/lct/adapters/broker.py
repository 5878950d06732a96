"""The broker port: fan hub notifications out to every instance that has clients of a tournament.

``publish`` never blocks or raises: it hands the message over and returns, so a slow or dead broker cannot
hold up or fail an HTTP request. Messages are delivered to the handlers registered with ``subscribe`` for
that channel, on every instance.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol

Handler = Callable[[str, str], None]
"""Called with (channel, message) for every message received on a subscribed channel."""


class Broker(Protocol):
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
    """The default broker when no Redis is configured: one instance, delivery on the next loop iteration."""

    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        self._handlers.clear()

    def publish(self, channel: str, message: str) -> None:
        handler = self._handlers.get(channel)
        if handler is not None:
            asyncio.get_running_loop().call_soon(handler, channel, message)

    async def subscribe(self, channel: str, handler: Handler) -> None:
        self._handlers[channel] = handler

    async def unsubscribe(self, channel: str) -> None:
        self._handlers.pop(channel, None)

    async def ping(self) -> None:
        return None
