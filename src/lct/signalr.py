"""The SignalR JSON hub protocol v1 (contract 3.2), as a pure codec: no I/O, no asyncio.

Every record is a UTF-8 JSON object terminated by the record separator ``0x1E``. One WebSocket frame may hold
several records and a record may span frames, so ``Framer`` buffers text and splits on the separator.
Anything malformed raises ``ProtocolError``; the hub answers it with a close message and closes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import orjson

RS: Final = "\x1e"
MAX_RECORD: Final = 1024 * 1024
"""Largest record (and largest unterminated buffer) accepted from a client, in characters."""

INVOCATION: Final = 1
STREAM_ITEM: Final = 2
COMPLETION: Final = 3
STREAM_INVOCATION: Final = 4
CANCEL_INVOCATION: Final = 5
PING_TYPE: Final = 6
CLOSE_TYPE: Final = 7

HANDSHAKE_OK: Final = "{}" + RS
PING: Final = '{"type":6}' + RS


class ProtocolError(Exception):
    """The peer broke the protocol; the message is safe to send back to it."""


class MessageTooBig(ProtocolError):
    """A record (or an unterminated buffer) over the size limit."""


@dataclass(frozen=True, slots=True)
class Invocation:
    target: str
    arguments: list[Any]
    invocation_id: str | None = None


@dataclass(frozen=True, slots=True)
class StreamInvocation:
    invocation_id: str | None


@dataclass(frozen=True, slots=True)
class Ping:
    pass


@dataclass(frozen=True, slots=True)
class Close:
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Ignored:
    """A message type the hub accepts but has nothing to do with (stream items, cancellations, completions)."""

    type: int


Message = Invocation | StreamInvocation | Ping | Close | Ignored


class Framer:
    """Splits incoming text on the record separator, keeping an incomplete tail for the next frame."""

    __slots__ = ("_max", "_tail")

    def __init__(self, max_record: int = MAX_RECORD) -> None:
        self._tail = ""
        self._max = max_record

    def feed(self, data: str | bytes) -> list[str]:
        """Return the complete records of ``data`` (plus what was buffered before), without separators."""
        if isinstance(data, bytes):
            try:
                data = data.decode()
            except UnicodeDecodeError as e:
                raise ProtocolError("Frame is not valid UTF-8.") from e
        if len(data) > self._max + 1 and RS not in data:
            raise MessageTooBig(f"Message exceeds the {self._max} byte limit.")
        *records, tail = (self._tail + data).split(RS)
        if len(tail) > self._max or any(len(r) > self._max for r in records):
            raise MessageTooBig(f"Message exceeds the {self._max} byte limit.")
        self._tail = tail
        return records

    @property
    def pending(self) -> int:
        return len(self._tail)


def _object(record: str) -> dict[str, Any]:
    try:
        value = orjson.loads(record)
    except orjson.JSONDecodeError as e:
        raise ProtocolError("Message is not valid JSON.") from e
    if not isinstance(value, dict):
        raise ProtocolError("Message must be a JSON object.")
    return value


def parse_handshake(record: str) -> None:
    """Accept ``{"protocol":"json","version":1}`` (or version 0); else raise ``ProtocolError`` saying why."""
    try:
        request = _object(record)
    except ProtocolError as e:
        raise ProtocolError(f"Invalid handshake: {e}") from e
    protocol, version = request.get("protocol"), request.get("version")
    if not isinstance(protocol, str):
        raise ProtocolError("Invalid handshake: missing 'protocol'.")
    if protocol != "json":
        raise ProtocolError(f"The protocol '{protocol}' is not supported.")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ProtocolError("Invalid handshake: missing 'version'.")
    if not 0 <= version <= 1:  # like ASP.NET, any version up to ours (signalrcore sends 0)
        raise ProtocolError(f"The server does not support version {version} of the 'json' protocol.")


def decode(record: str) -> Message:
    """Decode one client record (without its separator)."""
    message = _object(record)
    kind = message.get("type")
    if not isinstance(kind, int) or isinstance(kind, bool):
        raise ProtocolError("Missing required property 'type'.")
    invocation_id = message.get("invocationId")
    if invocation_id is not None and not isinstance(invocation_id, str):
        raise ProtocolError("Expected 'invocationId' to be of type String.")
    if kind == INVOCATION:
        target, arguments = message.get("target"), message.get("arguments", [])
        if not isinstance(target, str):
            raise ProtocolError("Missing required property 'target'.")
        if not isinstance(arguments, list):
            raise ProtocolError("Expected 'arguments' to be of type Array.")
        return Invocation(target, arguments, invocation_id)
    if kind == STREAM_INVOCATION:
        return StreamInvocation(invocation_id)
    if kind == PING_TYPE:
        return Ping()
    if kind == CLOSE_TYPE:
        error = message.get("error")
        return Close(error if isinstance(error, str) else None)
    if kind in (STREAM_ITEM, COMPLETION, CANCEL_INVOCATION):
        return Ignored(kind)
    raise ProtocolError(f"Unknown message type '{kind}'.")


def _record(message: dict[str, Any]) -> str:
    return orjson.dumps(message).decode() + RS


def invocation(target: str, *arguments: Any) -> str:
    """A server-to-client invocation record (no invocation id: the server never expects a result)."""
    return _record({"type": INVOCATION, "target": target, "arguments": list(arguments)})


def completion(invocation_id: str, error: str | None = None) -> str:
    message: dict[str, Any] = {"type": COMPLETION, "invocationId": invocation_id}
    if error is not None:
        message["error"] = error
    return _record(message)


def close(error: str | None = None, *, allow_reconnect: bool = False) -> str:
    message: dict[str, Any] = {"type": CLOSE_TYPE}
    if error is not None:
        message["error"] = error
    if allow_reconnect:
        message["allowReconnect"] = True
    return _record(message)


def handshake_error(error: str) -> str:
    return _record({"error": error})
