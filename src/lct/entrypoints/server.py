"""The one module that knows uvicorn's internals; everything else speaks plain ASGI.

- ``run``: the uvicorn configuration ``lct serve`` uses and a graceful SIGTERM (the hub says goodbye first).
- ``direct_writer``: the hub's fast path. Under uvicorn's websockets-sansio implementation without compression,
  a server WebSocket frame is plain bytes, so the hub may encode a fan-out message once and write the same bytes
  straight to every socket's transport while that transport is not backed up. Under any other server,
  implementation or setting (``LCT_HUB_FAST_PATH=false``) ``direct_writer`` returns None and the hub sends through
  ASGI ``send`` — the fallback, which runs the same hub test suite.

Guarded by ``tests/unit/test_server_fence.py``: no other module imports ``uvicorn.protocols``.
"""

from __future__ import annotations

import math
import socket
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Receive

if TYPE_CHECKING:
    from lct.config import Settings

try:
    from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
    from websockets.protocol import State

    _OPEN: Any = State.OPEN
except ImportError:  # pragma: no cover - another uvicorn: the hub uses ASGI send
    WebSocketsSansIOProtocol = None  # type: ignore[assignment,misc]
    _OPEN = None


class DirectWriter:
    """Writes ready-made WebSocket frames straight to one connection's transport."""

    __slots__ = ("_protocol",)

    def __init__(self, protocol: Any) -> None:
        self._protocol = protocol

    def try_write(self, frame: bytes) -> bool:
        """Write ``frame`` now if the transport keeps up and the connection is open; False: send it via ASGI."""
        protocol = self._protocol
        if not protocol.writable.is_set() or protocol.close_sent or protocol.conn.state is not _OPEN:
            return False
        transport = protocol.transport
        if transport.is_closing():
            return False
        transport.write(frame)
        return True

    def buffered(self) -> int:
        """Bytes written but not yet taken by the kernel (the transport's write buffer)."""
        transport = self._protocol.transport
        return int(transport.get_write_buffer_size()) if transport is not None else 0

    def release_handshake(self) -> None:
        """uvicorn keeps the upgrade request and response (~3 KB each) for the connection's lifetime; the hub
        never reads them after the handshake. The request's headers stay referenced by the parser's suspended
        frame, so clear them in place too."""
        request = getattr(self._protocol, "request", None)
        if request is not None:
            request.headers.clear()
        self._protocol.request = self._protocol.response = None


def direct_writer(receive: Receive) -> DirectWriter | None:
    """The fast path for the connection whose ASGI ``receive`` this is, or None when it is not available."""
    if WebSocketsSansIOProtocol is None:
        return None
    protocol = getattr(receive, "__self__", None)
    if not isinstance(protocol, WebSocketsSansIOProtocol) or protocol.conn.extensions:
        return None
    return DirectWriter(protocol)


def run(app: ASGIApp, settings: Settings, drain: Any) -> None:
    """Serve ``app`` with uvicorn; on SIGTERM, ``drain(seconds)`` (the hub's goodbye) runs before uvicorn closes
    WebSockets with a bare 1012, bounded by half the grace period; HTTP gets the rest."""
    import uvicorn

    grace = settings.shutdown_grace_seconds
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        loop="uvloop",
        http="httptools",
        ws="websockets-sansio",  # direct_writer's fast path
        ws_per_message_deflate=False,  # no zlib state per connection; one encoded frame fits every client
        ws_ping_interval=None,  # no timer per connection: the hub's SignalR pings and 30 s timeout cover it
        ws_ping_timeout=None,
        lifespan="on",
        log_config=None,
        access_log=False,
        proxy_headers=False,  # entrypoints/proxy.py reads X-Forwarded-* (from trusted proxies only)
        timeout_graceful_shutdown=math.ceil(grace / 2) or None,
        server_header=False,
    )

    class GracefulServer(uvicorn.Server):
        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            for server in self.servers:
                server.close()
            await drain(grace / 2)
            await super().shutdown(sockets)

    GracefulServer(config).run()
