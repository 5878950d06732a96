"""The one module that knows uvicorn's internals; everything else speaks plain ASGI.

- ``run``: the uvicorn configuration ``lct serve`` uses, a graceful SIGTERM (the hub says goodbye first), the
  open-files soft limit raised to the hard limit, and the HTTP limits below.
- HTTP limits (``limited_http``, uvicorn's httptools protocol with three more rules): a connection that has not sent
  a complete request head within ``LCT_HTTP_HEADER_TIMEOUT_SECONDS`` is closed (slowloris); a URL over 8 KiB is
  answered 414, a header block over 16 KiB or more than 100 header fields 431, and the connection is closed.
- ``listen``: a second listener in the same event loop (``LCT_METRICS_PORT`` serves ``/metrics`` there).
- ``direct_writer``: the hub's fast path. Under uvicorn's websockets-sansio implementation without compression,
  a server WebSocket frame is plain bytes, so the hub may encode a fan-out message once and write the same bytes
  straight to every socket's transport while that transport is not backed up. Under any other server,
  implementation or setting (``LCT_HUB_FAST_PATH=false``) the hub sends through ASGI ``send`` — the fallback, which
  runs the same hub test suite. The writer also tells the hub how many bytes wait in the transport (its send
  buffer bound counts them) and can abort a connection whose client stopped reading.

Guarded by ``tests/unit/test_server_fence.py``: no other module imports ``uvicorn.protocols``.
"""

from __future__ import annotations

import asyncio
import logging
import math
import resource
import socket
import weakref
from itertools import chain
from typing import TYPE_CHECKING, Any, Final

from starlette.types import ASGIApp, Receive

from lct import signalr

if TYPE_CHECKING:
    from lct.config import Settings

try:
    from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
    from websockets.protocol import State

    _OPEN: Any = State.OPEN
except ImportError:  # pragma: no cover - another uvicorn: the hub uses ASGI send
    WebSocketsSansIOProtocol = None  # type: ignore[assignment,misc]
    _OPEN = None

log = logging.getLogger("lct.server")

MAX_URL_BYTES: Final = 8 * 1024
"""Longest request target (path and query) accepted; longer: 414."""
MAX_HEADER_BYTES: Final = 16 * 1024
"""Largest header block (the names and values) accepted; larger: 431."""
MAX_HEADER_FIELDS: Final = 100
"""Most header fields accepted in one request; more: 431."""
MAX_HEAD_BYTES: Final = MAX_URL_BYTES + MAX_HEADER_BYTES
"""Largest incomplete request head held while it arrives (request line and headers); larger: 431."""
SWEEP_SECONDS: Final = 0.5
"""How often (at most) connections are checked for an overdue request head."""
MAX_WS_FRAME: Final = 2 * signalr.MAX_RECORD
"""Largest WebSocket message uvicorn accepts (a hub record is at most 1 MiB; a frame may carry a few)."""


class DirectWriter:
    """One hub connection's socket: writes ready-made WebSocket frames straight to its transport (``direct``: the
    fast path is on and usable), and tells how many bytes wait in the transport."""

    __slots__ = ("_protocol", "direct")

    def __init__(self, protocol: Any, direct: bool) -> None:
        self._protocol = protocol
        self.direct = direct

    def try_write(self, frame: bytes, max_buffered: int) -> bool:
        """Write ``frame`` now if the fast path is on, the transport keeps up (not paused, at most ``max_buffered``
        bytes waiting) and the connection is open; False: send it via ASGI."""
        protocol = self._protocol
        if not self.direct or not protocol.writable.is_set() or protocol.close_sent or protocol.conn.state is not _OPEN:
            return False
        transport = protocol.transport
        if transport.is_closing() or transport.get_write_buffer_size() > max_buffered:
            return False
        transport.write(frame)
        return True

    def buffered(self) -> int:
        """Bytes written but not yet taken by the kernel (the transport's write buffer)."""
        transport = self._protocol.transport
        return int(transport.get_write_buffer_size()) if transport is not None else 0

    def abort(self) -> None:
        """Close the socket now, discarding what waits in the transport (a client that stopped reading would
        otherwise hold that memory for as long as it keeps the connection open)."""
        transport = self._protocol.transport
        if transport is not None:
            transport.abort()

    def release_handshake(self) -> None:
        """uvicorn keeps the upgrade request and response (~3 KB each) for the connection's lifetime; the hub
        never reads them after the handshake. The request's headers stay referenced by the parser's suspended
        frame, so clear them in place too."""
        request = getattr(self._protocol, "request", None)
        if request is not None:
            request.headers.clear()
        self._protocol.request = self._protocol.response = None


def direct_writer(receive: Receive, direct: bool = True) -> DirectWriter | None:
    """The socket of the connection whose ASGI ``receive`` this is (writing to it directly only if ``direct`` and
    no extension was negotiated), or None when the server is not uvicorn's websockets-sansio."""
    if WebSocketsSansIOProtocol is None:
        return None
    protocol = getattr(receive, "__self__", None)
    if not isinstance(protocol, WebSocketsSansIOProtocol):
        return None
    return DirectWriter(protocol, direct and not protocol.conn.extensions)


# --- HTTP limits ---------------------------------------------------------------------------------------------


class _Refused(Exception):
    """Raised inside a parser callback to stop parsing a request that broke a limit."""


def limited_http(header_timeout: float) -> type[asyncio.Protocol]:
    """uvicorn's httptools protocol with a request-head timeout and size limits (see the module docstring).

    Cheap on the request path: a request costs a timestamp when its head starts and a check when it is complete;
    one sweep per listener every ``SWEEP_SECONDS`` (at most) closes the connections whose head is overdue."""
    import httptools
    from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

    sweep_every = min(SWEEP_SECONDS, max(0.05, header_timeout / 4))
    swept: weakref.WeakSet[Any] = weakref.WeakSet()  # the ServerStates a sweep walks

    class LimitedHttpToolsProtocol(HttpToolsProtocol):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.head_started: float | None = None  # loop time the current request head began; None: not awaited
            self.head_bytes = 0  # bytes received while awaiting a head (from the read after it began)
            self.refusal: int | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self.head_started = self.loop.time()
            if self.server_state not in swept:
                swept.add(self.server_state)
                _sweep(self.loop, weakref.ref(self.server_state), header_timeout, sweep_every)

        def data_received(self, data: bytes) -> None:
            """uvicorn's, plus the limits (a refused request is answered without uvicorn's "invalid request")."""
            if self.refusal is not None:
                return
            if self.head_started is not None:
                self.head_bytes += len(data)
            self._unset_keepalive_if_required()
            try:
                self.parser.feed_data(data)
            except httptools.HttpParserError:
                if self.refusal is not None:
                    self._refuse(self.refusal)
                    return
                self.logger.warning("Invalid HTTP request received.")
                self.send_400_response("Invalid HTTP request received.")
                return
            except httptools.HttpParserUpgrade:
                if self._should_upgrade():
                    self.handle_websocket_upgrade()
                else:
                    self._unsupported_upgrade_warning()
                return
            if self.head_started is not None and self.head_bytes > MAX_HEAD_BYTES:
                self._refuse(414 if len(getattr(self, "url", b"")) > MAX_URL_BYTES else 431)

        def on_message_begin(self) -> None:
            super().on_message_begin()
            if self.head_started is None:
                self.head_started = self.loop.time()

        def on_headers_complete(self) -> None:
            self.head_started = None
            self.head_bytes = 0
            refusal = _head_refusal(self.url, self.headers)
            if refusal is not None:
                self.refusal = refusal
                raise _Refused
            super().on_headers_complete()

        def _refuse(self, status: int) -> None:
            self.refusal = status
            self.head_started = None
            body = b"Request Header Fields Too Large" if status == 431 else b"URI Too Long"
            head = b"content-type: text/plain; charset=utf-8\r\nconnection: close\r\ncontent-length: "
            self.transport.write(STATUS_LINE[status] + head + str(len(body)).encode() + b"\r\n\r\n" + body)
            self.transport.close()

    return LimitedHttpToolsProtocol


def _head_refusal(url: bytes, headers: list[tuple[bytes, bytes]]) -> int | None:
    """414 or 431 for a complete request head over the limits, else None."""
    if len(url) > MAX_URL_BYTES:
        return 414
    if len(headers) > MAX_HEADER_FIELDS or sum(map(len, chain.from_iterable(headers))) > MAX_HEADER_BYTES:
        return 431
    return None


def _sweep(loop: asyncio.AbstractEventLoop, state: weakref.ref[Any], timeout: float, every: float) -> None:
    """Close the connections of one listener whose request head began more than ``timeout`` s ago; again in
    ``every`` s while the listener exists."""
    server_state = state()
    if server_state is None or loop.is_closed():
        return
    now = loop.time()
    for connection in list(server_state.connections):
        started = getattr(connection, "head_started", None)
        if started is not None and now - started > timeout and not connection.transport.is_closing():
            connection.head_started = None
            connection.transport.close()
    loop.call_later(every, _sweep, loop, state, timeout, every)


# --- processes and listeners -----------------------------------------------------------------------------------


def raise_open_files_limit() -> tuple[int, int, int]:
    """Raise this process's open-files soft limit to its hard limit (each connection is a file descriptor; the
    usual soft limit of 1,024 lets a thousand idle connections lock everyone else out). Returns (before, after,
    hard) and logs them."""
    before, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(before, 1 << 20)
    after = before
    if before != resource.RLIM_INFINITY and before < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            after = target
        except (ValueError, OSError) as e:
            log.warning("could not raise the open-files limit: %s", e, extra={"event.action": "nofile-limit"})
    log.info(
        "open files limit: soft %s (was %s), hard %s",
        _limit(after),
        _limit(before),
        _limit(hard),
        extra={"event.action": "nofile-limit"},
    )
    return before, after, hard


def _limit(value: int) -> str:
    return "unlimited" if value == resource.RLIM_INFINITY else str(value)


def _config(app: ASGIApp, host: str, port: int, header_timeout: float, **extra: Any) -> Any:
    import uvicorn

    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=limited_http(header_timeout),
        interface="asgi3",
        log_config=None,
        access_log=False,
        proxy_headers=False,  # entrypoints/proxy.py reads X-Forwarded-* (from trusted proxies only)
        server_header=False,
        **extra,
    )


class Listener:
    """A second HTTP listener in the running event loop (no lifespan of its own)."""

    def __init__(self, server: asyncio.AbstractServer, state: Any) -> None:
        self._server = server
        self._state = state

    async def close(self) -> None:
        self._server.close()
        for connection in list(self._state.connections):
            connection.shutdown()
        for task in list(self._state.tasks):
            task.cancel()
        await asyncio.wait_for(self._server.wait_closed(), timeout=5)


async def listen(app: ASGIApp, host: str, port: int, header_timeout: float) -> Listener:
    """Serve ``app`` (HTTP only) on ``host:port`` with the same HTTP limits as the main listener."""
    from uvicorn.server import ServerState

    config = _config(app, host, port, header_timeout, lifespan="off", date_header=False, ws="none")
    config.load()
    state = ServerState()
    protocol_class = config.http_protocol_class
    loop = asyncio.get_running_loop()

    def protocol() -> asyncio.Protocol:
        made: asyncio.Protocol = protocol_class(config=config, server_state=state, app_state={}, _loop=loop)
        return made

    server = await loop.create_server(protocol, host=host, port=port, backlog=config.backlog)
    log.info("metrics listener on %s:%d", host, port, extra={"event.action": "metrics-listener"})
    return Listener(server, state)


def run(app: ASGIApp, settings: Settings, drain: Any) -> None:
    """Serve ``app`` with uvicorn; on SIGTERM, ``drain(seconds)`` (the hub's goodbye) runs before uvicorn closes
    WebSockets with a bare 1012, bounded by half the grace period; HTTP gets the rest."""
    import uvicorn

    raise_open_files_limit()
    grace = settings.shutdown_grace_seconds
    config = _config(
        app,
        settings.host,
        settings.port,
        settings.http_header_timeout_seconds,
        loop="uvloop",
        ws="websockets-sansio",  # direct_writer's fast path
        ws_max_size=MAX_WS_FRAME,
        ws_per_message_deflate=False,  # no zlib state per connection; one encoded frame fits every client
        ws_ping_interval=None,  # no timer per connection: the hub's SignalR pings and 30 s timeout cover it
        ws_ping_timeout=None,
        lifespan="on",
        timeout_graceful_shutdown=math.ceil(grace / 2) or None,
    )

    class GracefulServer(uvicorn.Server):
        async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
            for server in self.servers:
                server.close()
            await drain(grace / 2)
            await super().shutdown(sockets)

    GracefulServer(config).run()
