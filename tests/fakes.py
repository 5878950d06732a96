"""Fakes for the ports (no mocks): they record what happened so tests assert on state."""

from __future__ import annotations

import orjson

from lct.adapters.broker import Handler


class RecordingBroker:
    """Remembers every published message, in order."""

    def __init__(self) -> None:
        self.published: list[tuple[str, str]] = []

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    def publish(self, channel: str, message: str) -> None:
        self.published.append((channel, message))

    async def subscribe(self, channel: str, handler: Handler) -> None:
        return None

    async def unsubscribe(self, channel: str) -> None:
        return None

    async def ping(self) -> None:
        return None

    def payloads(self) -> list[dict[str, object]]:
        return [orjson.loads(message) for _, message in self.published]


class ExplodingBroker(RecordingBroker):
    """A broker whose every publish fails, like the original's tests with a throwing hub."""

    def publish(self, channel: str, message: str) -> None:
        self.published.append((channel, message))
        raise ConnectionError("broker down")
