"""The real-time hub: SignalR JSON hub protocol on ``/hubs/actions`` (contract section 3).

Clients connect with ``?tournamentId=<id>``, either directly (what the original frontend does) or after
``POST /hubs/actions/negotiate`` (then with ``&id=<token>``, which is accepted and ignored: connections are
stateless, so no sticky sessions are needed). A connection joins the room of its tournament; the room
subscribes the broker on its first member, and every message of that channel goes to every member, wrapped
as ``{"type":1,"target":"<tournament id>","arguments":["<inner JSON>"]}``.

A message is encoded once (SignalR record and WebSocket frame) and written straight to each member's socket
while that socket's transport is not backed up, through the server's fast path (``server.direct_writer``; without
it frames go through ASGI ``send``). A connection that pushes back gets a queue and a sender task until the queue
is empty again, so one client that never reads cannot hold up the others. What a connection has not sent yet (its
queue plus the socket's write buffer) is bounded in bytes (``send_buffer``, ``LCT_HUB_SEND_BUFFER_BYTES``): a
message that would pass the bound closes the connection instead, so the server's memory stays flat whatever one
client does. One hub-wide ticker sends pings to connections idle for a while (at least every ``keepalive``
seconds) and drops clients silent for ``client_timeout`` seconds.

Each connection may invoke at most ``clicks_per_second`` times a second (burst twice that, ``LCT_HUB_CLICKS_PER_
SECOND``); further invocations are dropped and counted, and a connection that keeps sending ten times that for five
seconds is closed. Records are handled in order, yielding to the event loop every couple of milliseconds, so a
frame of thousands of records never stalls the other connections. One client address holds at most
``connections_per_client`` connections at once (``LCT_HUB_CONNECTIONS_PER_CLIENT``); the next gets a 429, so the
bytes one client can make the server hold stay bounded however many sockets it opens.

This module speaks SignalR only: it never touches a server's internals (``server.py`` does).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import itertools
import logging
import time
import uuid
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket

from lct import application, signalr
from lct.adapters.broker import Rooms
from lct.adapters.store import StoreUnavailable
from lct.application import Context
from lct.context import current_request_id
from lct.domain.tournament import TournamentNotFound, parse_id
from lct.entrypoints import server
from lct.entrypoints.errors import error_response
from lct.entrypoints.limits import ConnectionCap, InvocationLimit
from lct.entrypoints.routing import Route, SocketRoute
from lct.entrypoints.server import DirectWriter
from lct.metrics import Metrics

log = logging.getLogger("lct.hub")

PATH = "/hubs/actions"
HANDSHAKE_TIMEOUT = 15.0
CLOSE_TIMEOUT = 2.0
TIMEOUT_ERROR = "Server timeout elapsed without receiving a message from the client."
MESSAGE_TOO_BIG = 1009
MESSAGES_HELP = (
    "Hub messages by outcome: published to the broker, delivered to this instance, dropped (a full buffer: the "
    "broker's, or a hub connection's send buffer), rejected (an invocation the hub refused), rate_limited (an "
    "invocation over the connection's rate)."
)
SEND_BUFFER_BYTES = 1024 * 1024
CLICKS_PER_SECOND = 20.0
CONNECTIONS_PER_CLIENT = 100
REFUSAL_LOG_SECONDS = 10.0
"""At most one warning this often about refused connections, however many are refused."""
REFUSAL_RETRY_AFTER = "5"
YIELD_SECONDS = 0.002
"""Longest run of record handling before the hub lets the event loop serve others."""
TOO_SLOW = "Connection closed with an error. The client does not read its messages fast enough."
FLOODING = "Connection closed with an error. Too many invocations."
_CLOSE = None  # queue sentinel: send what is queued, then close the WebSocket
_ids = itertools.count(1)


def text_frame(payload: bytes) -> bytes:
    """An unmasked, final WebSocket text frame (RFC 6455 5.2), as a server sends it. Server frames carry no
    mask, so one message encoded once is the same bytes for every connection."""
    n = len(payload)
    if n < 126:
        return bytes((0x81, n)) + payload
    if n < 65536:
        return bytes((0x81, 126)) + n.to_bytes(2, "big") + payload
    return bytes((0x81, 127)) + n.to_bytes(8, "big") + payload


class HubCounts:
    """What the hub counted: frames sent to clients by the way they left (``direct``: the server's fast path;
    ``asgi``: ASGI send, a batch of queued records in one frame), invocations it refused (``rejected``) or dropped
    for the rate limit (``rate_limited``), messages it discarded because a connection's send buffer was full
    (``dropped``), and connections it refused because their address held too many (``refused``)."""

    __slots__ = ("asgi", "direct", "dropped", "rate_limited", "refused", "rejected")

    def __init__(self) -> None:
        self.direct = 0
        self.asgi = 0
        self.rejected = 0
        self.rate_limited = 0
        self.dropped = 0
        self.refused = 0


class Connection:
    """One hub connection. Frames go straight to the socket (``writer``, the server's fast path) while its
    transport accepts them; once it pushes back (or without the fast path) they wait in ``pending``, drained by a
    sender task that exists only while something waits. What waits — ``pending_bytes`` plus the socket's write
    buffer — stays within ``buffer_limit`` bytes: a message that would pass it closes the connection instead."""

    __slots__ = (
        "buffer_limit",
        "close_code",
        "closing",
        "counts",
        "id",
        "last_received",
        "last_sent",
        "limit",
        "pending",
        "pending_bytes",
        "ready",
        "sender",
        "task",
        "token",
        "tournament_id",
        "websocket",
        "writer",
    )

    def __init__(
        self,
        websocket: WebSocket,
        tournament_id: str | None,
        buffer_limit: int,
        limit: InvocationLimit,
        now: float,
        counts: HubCounts,
    ) -> None:
        self.id = next(_ids)
        self.counts = counts
        self.websocket = websocket
        self.tournament_id = tournament_id
        self.buffer_limit = buffer_limit
        self.limit = limit
        self.pending: collections.deque[tuple[str, int] | None] | None = None
        self.pending_bytes = 0
        self.last_received = now
        self.last_sent = now
        self.writer: DirectWriter | None = None
        self.ready = False  # handshake answered: pushes are delivered
        self.sender: asyncio.Task[None] | None = None
        self.task = asyncio.current_task()
        self.closing: float | None = None
        self.close_code = (1000, "")
        self.token: str | None = None

    def send(self, text: str, wire: bytes, now: float) -> bool:
        """Deliver ``text`` (``wire``: the same as a WebSocket frame). Written directly when nothing is queued and
        the transport is not backed up; else queued for the sender task."""
        if self.closing is not None:
            return False
        writer = self.writer
        size = len(wire)
        if self.sender is None and writer is not None and writer.try_write(wire, self.buffer_limit - size):
            self.last_sent = now
            self.counts.direct += 1
            return True
        return self._queue(text, size, now)

    def push(self, text: str) -> bool:
        return self.send(text, text_frame(text.encode()), asyncio.get_running_loop().time())

    def unsent(self) -> int:
        """Bytes accepted for this client and not yet taken by the kernel."""
        writer = self.writer
        return self.pending_bytes + (writer.buffered() if writer is not None else 0)

    def _queue(self, text: str, size: int, now: float) -> bool:
        if self.unsent() + size > self.buffer_limit:
            self._overflow(now)
            return False
        pending = self.pending
        if pending is None:
            pending = self.pending = collections.deque()
        pending.append((text, size))
        self.pending_bytes += size
        self._start_sender()
        return True

    def _overflow(self, now: float) -> None:
        """The client does not read fast enough: discard what waits for it and close it (with a close message, which
        it gets if it reads on; the ticker aborts the socket if it has not closed within ``CLOSE_TIMEOUT``)."""
        pending = self.pending or ()
        self.counts.dropped += 1 + len(pending)  # no close sentinel yet: the connection was not closing
        self.pending_bytes -= sum(item[1] for item in pending if item is not None)
        log.warning(
            "hub connection %d does not read: over %d bytes unsent; closing it",
            self.id,
            self.buffer_limit,
            extra={"event.action": "hub-slow"},
        )
        if self.pending is not None:
            self.pending.clear()
        self.close(signalr.close(TOO_SLOW), now, force=True)

    def _start_sender(self) -> None:
        if self.sender is None and self.ready:
            self.sender = asyncio.get_running_loop().create_task(self._send_loop())

    def close(self, frame: str, now: float, code: int = 1000, reason: str = "", *, force: bool = False) -> None:
        """Send ``frame`` (a close message) after what is queued, then close the WebSocket with ``code``.
        The close message may pass the send buffer bound when ``force`` (the queue was just emptied for it)."""
        if self.closing is not None:
            return
        size = len(frame.encode())
        if not self.ready or (not force and self.unsent() + size > self.buffer_limit):
            self.drop()
            return
        if self.pending is None:
            self.pending = collections.deque()
        self.pending.append((frame, size))
        self.pending.append(_CLOSE)
        self.pending_bytes += size
        self.close_code = (code, reason)
        self.closing = now
        self._start_sender()

    def drop(self) -> None:
        """End the connection now, without a goodbye: cancel its tasks (uvicorn then closes the socket); a socket
        that still holds unsent bytes is aborted, so a client that stopped reading does not keep them alive."""
        self.closing = self.closing or 0.0
        writer = self.writer
        if writer is not None and writer.buffered():
            writer.abort()
        if self.sender is not None:
            self.sender.cancel()
        if self.task is not None and self.task is not asyncio.current_task():
            self.task.cancel()

    async def _send_loop(self) -> None:
        """Send what is queued through ASGI, batching it into one WebSocket frame (records concatenate);
        end when the queue is empty (the next frame may then go the direct way again). The bytes of a batch
        count as unsent until ``send`` returned."""
        loop = asyncio.get_running_loop()
        pending = self.pending
        send = self.websocket.send_text
        try:
            while pending:
                parts: list[str] = []
                size = 0
                closing = False
                while pending:
                    item = pending.popleft()
                    if item is None:
                        closing = True
                        break
                    parts.append(item[0])
                    size += item[1]
                if parts:
                    try:
                        await send("".join(parts))
                    finally:
                        self.pending_bytes -= size
                    self.last_sent = loop.time()
                    self.counts.asgi += 1
                if closing:
                    await self.websocket.close(code=self.close_code[0], reason=self.close_code[1])
                    return
        except asyncio.CancelledError:
            raise
        except Exception:  # the client went away mid-send; the receive loop sees the disconnect
            return
        finally:
            if self.sender is asyncio.current_task():
                self.sender = None


class Hub:
    """Local connections and their rooms. ``connection_count()`` is the live number of hub connections
    (handshake done or in progress), for metrics."""

    def __init__(
        self,
        ctx: Context,
        *,
        keepalive: float = 15.0,
        client_timeout: float = 30.0,
        send_buffer: int = SEND_BUFFER_BYTES,
        clicks_per_second: float = CLICKS_PER_SECOND,
        connections_per_client: int = CONNECTIONS_PER_CLIENT,
        handshake_timeout: float = HANDSHAKE_TIMEOUT,
        fast_path: bool = True,
    ) -> None:
        self.ctx = ctx
        self.fast_path = fast_path
        self.counts = HubCounts()
        self.rooms: Rooms[Connection] = Rooms(ctx.broker, self._deliver)
        self.keepalive = keepalive
        self.client_timeout = client_timeout
        self.send_buffer = send_buffer
        self.clicks_per_second = clicks_per_second
        self.cap = ConnectionCap(connections_per_client)
        self._refusal_logged = -REFUSAL_LOG_SECONDS
        self.handshake_timeout = handshake_timeout
        self.accepting = True
        self._connections: set[Connection] = set()
        self._empty = asyncio.Event()
        self._ticker: asyncio.Task[None] | None = None
        self._batch: dict[str, list[str]] | None = None

    def connection_count(self) -> int:
        return len(self._connections)

    def register_metrics(self, metrics: Metrics) -> None:
        metrics.gauge(
            "lct_hub_connections", "Open hub (WebSocket) connections on this instance.", self.connection_count
        )
        described = "WebSocket frames sent to hub clients: written straight to the socket, or through ASGI send."
        counts = self.counts
        metrics.counter("lct_hub_frames", described, lambda: counts.direct, path="direct")
        metrics.counter("lct_hub_frames", described, lambda: counts.asgi, path="asgi")
        metrics.counter("lct_hub_messages", MESSAGES_HELP, lambda: counts.rejected, outcome="rejected")
        metrics.counter("lct_hub_messages", MESSAGES_HELP, lambda: counts.rate_limited, outcome="rate_limited")
        metrics.counter("lct_hub_messages", MESSAGES_HELP, lambda: counts.dropped, outcome="dropped")
        refused = "Hub connections refused (429) because their client address held LCT_HUB_CONNECTIONS_PER_CLIENT."
        metrics.counter("lct_hub_connections_refused", refused, lambda: counts.refused)

    async def start(self) -> None:
        self.accepting = True
        self._ticker = asyncio.get_running_loop().create_task(self._tick())

    async def close(self) -> None:
        self.accepting = False
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
        for conn in list(self._connections):
            conn.drop()

    async def drain(self, grace: float) -> None:
        """Graceful shutdown: refuse new connections, send every client a close message with
        ``allowReconnect: true`` and wait (at most ``grace`` seconds) for the connections to end."""
        self.accepting = False
        now = asyncio.get_running_loop().time()
        frame = signalr.close(allow_reconnect=True)
        for conn in list(self._connections):
            conn.close(frame, now)
        if self._connections:
            log.info("closing %d hub connections", len(self._connections), extra={"event.action": "hub-drain"})
            self._empty.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._empty.wait(), timeout=grace)
        for conn in list(self._connections):
            conn.drop()

    # --- fan-out -------------------------------------------------------------------------------------------

    def _deliver(self, channel: str, message: str) -> None:
        """Collect the messages of this loop iteration per channel; ``_flush`` sends them right after."""
        batch = self._batch
        if batch is None:
            batch = self._batch = {}
            asyncio.get_running_loop().call_soon(self._flush)
        texts = batch.get(channel)
        if texts is None:
            batch[channel] = [signalr.invocation(channel, message)]
        else:
            texts.append(signalr.invocation(channel, message))

    def _flush(self) -> None:
        """Encode each channel's messages once, as one WebSocket frame (records concatenate), and hand the
        same bytes to every member: a direct socket write each while their transports keep up."""
        batch, self._batch = self._batch or {}, None
        now = asyncio.get_running_loop().time()
        for channel, texts in batch.items():
            text = texts[0] if len(texts) == 1 else "".join(texts)
            wire = text_frame(text.encode())
            for conn in self.rooms.members(channel):
                conn.send(text, wire, now)

    async def _tick(self) -> None:
        loop = asyncio.get_running_loop()
        idle = self.keepalive * 2 / 3
        ping = text_frame(signalr.PING.encode())
        while True:
            await asyncio.sleep(self.keepalive / 3)
            now = loop.time()
            for conn in list(self._connections):
                if conn.closing is not None:
                    if now - conn.closing > CLOSE_TIMEOUT:
                        conn.drop()
                elif now - conn.last_received > self.client_timeout:
                    log.info("hub connection %d timed out", conn.id, extra={"event.action": "hub-timeout"})
                    conn.close(signalr.close(TIMEOUT_ERROR), now)
                elif conn.ready and conn.sender is None and now - conn.last_sent >= idle:
                    conn.send(signalr.PING, ping, now)

    # --- one connection ------------------------------------------------------------------------------------

    async def asgi(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The hub endpoint (a plain ASGI WebSocket app; the application hands connections to ``PATH`` here)."""
        websocket = WebSocket(scope, receive, send)
        if not self.accepting:
            await websocket.close(code=1012)
            return
        client = scope.get("client")
        held = self.cap.admit(client[0] if client else "")
        if held is None:
            await self._refuse_connection(websocket)
            return
        try:
            raw_id, token = _query(scope.get("query_string", b""))
            await websocket.accept(headers=[(b"x-request-id", current_request_id().encode())])
            writer = server.direct_writer(receive, self.fast_path)
            if writer is not None and writer.direct:
                writer.release_handshake()
            await self._serve(websocket, raw_id, token, writer)
        finally:
            self.cap.release(held)

    async def _refuse_connection(self, websocket: WebSocket) -> None:
        """The client's address holds ``connections_per_client`` connections already: answer the WebSocket request
        with 429 (or, where the server cannot send a response there, refuse the handshake: a 403)."""
        self.counts.refused += 1
        now = time.monotonic()
        if now - self._refusal_logged >= REFUSAL_LOG_SECONDS:
            self._refusal_logged = now
            log.warning(
                "hub connection refused: its client address holds %d connections already (%d refused so far)",
                self.cap.limit,
                self.counts.refused,
                extra={"event.action": "hub-too-many-connections"},
            )
        if "websocket.http.response" not in websocket.scope.get("extensions", {}):
            await websocket.close(code=1008)
            return
        message = f"Too many hub connections from this address (at most {self.cap.limit}); close one first."
        headers = {"Retry-After": REFUSAL_RETRY_AFTER, "X-Request-ID": current_request_id()}
        await websocket.send_denial_response(error_response(429, message, "TooManyConnections", headers))

    async def _serve(
        self, websocket: WebSocket, raw_id: str | None, token: str | None, writer: DirectWriter | None
    ) -> None:
        loop = asyncio.get_running_loop()
        now = loop.time()
        conn = Connection(
            websocket, None, self.send_buffer, InvocationLimit(self.clicks_per_second, now), now, self.counts
        )
        conn.token = token
        self._connections.add(conn)
        framer = signalr.Framer()
        try:
            if conn.closing is None:
                await self._run(conn, framer, raw_id, writer)
            if conn.closing:
                await self._finish(conn)
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if conn.closing is None or task is None:
                raise  # a real cancellation (server shutdown), not our own drop()
            task.uncancel()
        finally:
            if conn.sender is not None:
                conn.sender.cancel()
            self._connections.discard(conn)
            if not self._connections:
                self._empty.set()
            if conn.tournament_id is not None:
                await self.rooms.leave(conn.tournament_id, conn)

    async def _finish(self, conn: Connection) -> None:
        """Let the sender deliver the close message (bounded), then end; a client that did not take it in time is
        dropped (its socket aborted)."""
        sender = conn.sender
        if sender is not None:
            with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(sender), timeout=CLOSE_TIMEOUT)
            if not sender.done():
                conn.drop()

    async def _run(
        self, conn: Connection, framer: signalr.Framer, raw_id: str | None, writer: DirectWriter | None
    ) -> None:
        websocket = conn.websocket
        try:
            records = await asyncio.wait_for(self._handshake(conn, framer), timeout=self.handshake_timeout)
        except TimeoutError:
            await self._refuse(websocket, "Handshake was canceled.")
            return
        except signalr.ProtocolError as e:
            await self._refuse(websocket, str(e))
            return
        if records is None:
            return
        problem = await self._check_tournament(raw_id)
        if problem is not None:
            await self._refuse(websocket, problem)
            return
        if not self.accepting:
            await self._refuse(websocket, "Server is shutting down.")
            return
        tournament_id = parse_id(raw_id)
        conn.tournament_id = tournament_id
        if tournament_id is not None:
            await self.rooms.join(tournament_id, conn)
        await websocket.send_text(signalr.HANDSHAKE_OK)
        conn.last_sent = asyncio.get_running_loop().time()
        conn.writer = writer
        conn.ready = True
        if conn.pending:  # fanned out to us during the handshake
            conn._start_sender()
        try:
            if await self._handle_all(conn, records):
                await self._receive_loop(conn, framer)
        except signalr.ProtocolError as e:
            log.info("hub connection %d: protocol error: %s", conn.id, e, extra={"event.action": "hub-protocol-error"})
            self._close_with_error(conn, e)

    def _close_with_error(self, conn: Connection, error: signalr.ProtocolError) -> None:
        """A SignalR close message naming the error and the connection's request id; a message over the size limit
        closes the WebSocket with 1009 (message too big), anything else with 1000."""
        request_id = current_request_id()
        text = f"Connection closed with an error. {error} RequestId: {request_id}"
        too_big = isinstance(error, signalr.MessageTooBig)
        code, reason = (MESSAGE_TOO_BIG, f"Message too big. RequestId: {request_id}") if too_big else (1000, "")
        conn.close(signalr.close(text), asyncio.get_running_loop().time(), code, reason)

    async def _refuse(self, websocket: WebSocket, error: str) -> None:
        log.info("hub handshake refused: %s", error, extra={"event.action": "hub-refused"})
        with contextlib.suppress(Exception):
            await websocket.send_text(signalr.handshake_error(error))
            await websocket.close(code=1000)

    async def _check_tournament(self, raw_id: str | None) -> str | None:
        if raw_id is None or raw_id == "":
            return None  # contract 3.3: accepted, but never receives anything
        tournament_id = parse_id(raw_id)
        if tournament_id is None:
            return "tournamentId must be a tournament id (a UUID)."
        try:
            await application.get_tournament(self.ctx, tournament_id)
        except TournamentNotFound:
            return f"Tournament {tournament_id} does not exist."
        except StoreUnavailable:
            return "The tournament store is unavailable; try again later."
        return None

    async def _handshake(self, conn: Connection, framer: signalr.Framer) -> list[str] | None:
        """Read until the first record; parse it as the handshake. Returns the records that followed it, or
        None if the client went away."""
        while True:
            message = await conn.websocket.receive()
            if message["type"] == "websocket.disconnect":
                return None
            records = framer.feed(message.get("text") or message.get("bytes") or "")
            if records:
                signalr.parse_handshake(records[0])
                conn.last_received = asyncio.get_running_loop().time()
                return records[1:]

    async def _receive_loop(self, conn: Connection, framer: signalr.Framer) -> None:
        loop = asyncio.get_running_loop()
        receive = conn.websocket.receive
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            conn.last_received = loop.time()
            data = message.get("text")
            if data is None:
                data = message.get("bytes") or b""
            if not await self._handle_all(conn, framer.feed(data)):
                return

    async def _handle_all(self, conn: Connection, records: list[str]) -> bool:
        """Handle records in order, letting the event loop serve others every ``YIELD_SECONDS``; False when the
        client asked to close (or is being closed)."""
        loop = asyncio.get_running_loop()
        slice_end = time.perf_counter() + YIELD_SECONDS
        for record in records:
            message = signalr.decode(record)
            if isinstance(message, signalr.Invocation | signalr.StreamInvocation):
                if not conn.limit.admit(loop.time()):
                    self._rate_limited(conn, message.invocation_id)
                elif isinstance(message, signalr.Invocation):
                    await self._invoke(conn, message)
                elif message.invocation_id is not None:
                    conn.push(signalr.completion(message.invocation_id, "Streaming is not supported."))
            elif isinstance(message, signalr.Close):
                return False
            if conn.closing is not None:
                return False
            if time.perf_counter() > slice_end:
                await asyncio.sleep(0)
                slice_end = time.perf_counter() + YIELD_SECONDS
        return True

    def _rate_limited(self, conn: Connection, invocation_id: str | None) -> None:
        """Drop an invocation over the connection's rate (counted); close a connection that keeps flooding."""
        self.counts.rate_limited += 1
        limit = conn.limit
        if not limit.reported:
            limit.reported = True
            log.warning(
                "hub connection %d: over %g invocations a second; dropping the extra ones",
                conn.id,
                limit.bucket.rate,
                extra={"event.action": "hub-rate-limited"},
            )
        now = asyncio.get_running_loop().time()
        if limit.flooding(now):
            log.warning("hub connection %d floods; closing it", conn.id, extra={"event.action": "hub-flood"})
            conn.close(signalr.close(f"{FLOODING} RequestId: {current_request_id()}"), now)
        elif invocation_id is not None:
            conn.push(signalr.completion(invocation_id, "Too many invocations: this one was dropped."))

    async def _invoke(self, conn: Connection, invocation: signalr.Invocation) -> None:
        method = invocation.target.lower()
        error: str | None = None
        if method == "teamclicked":
            error = await self._team_clicked(conn, invocation.arguments)
        else:
            error = f"Unknown hub method '{invocation.target}'"
            log.warning("hub connection %d: %s", conn.id, error, extra={"event.action": "hub-unknown-method"})
        if invocation.invocation_id is not None:
            conn.push(signalr.completion(invocation.invocation_id, error))

    async def _team_clicked(self, conn: Connection, arguments: list[Any]) -> str | None:
        """A click counts only for the connection's own tournament, and only as a player of it (the player of
        the connection's token on a protected tournament; a registered player on an open one). Anything else
        is dropped and counted (``lct_hub_messages_total{outcome="rejected"}``)."""
        if len(arguments) != 1 or not isinstance(arguments[0], dict):
            return self._rejected(conn, "TeamClicked expects one argument: {groupKey, team, name, surname}.")
        fields = {str(k).lower(): v for k, v in arguments[0].items()}
        group_key = fields.get("groupkey", conn.tournament_id)
        if conn.tournament_id is None or parse_id(group_key) != conn.tournament_id:
            return self._rejected(conn, "TeamClicked: a connection clicks only in the tournament it joined.")
        try:
            accepted = await application.team_clicked(
                self.ctx, conn.tournament_id, conn.token, fields.get("team"), fields.get("name"), fields.get("surname")
            )
        except TournamentNotFound:
            return f"Tournament {conn.tournament_id} does not exist."
        except Exception:
            log.exception("TeamClicked failed")
            return "TeamClicked failed on the server."
        return None if accepted else self._rejected(conn, "TeamClicked: not a club or not a player of this tournament.")

    def _rejected(self, conn: Connection, reason: str) -> str:
        self.counts.rejected += 1
        log.info("hub connection %d: %s", conn.id, reason, extra={"event.action": "hub-click-rejected"})
        return reason


def _query(query_string: bytes) -> tuple[str | None, str | None]:
    """The ``tournamentId`` (key case-insensitive; the last one wins) and ``access_token`` (what SignalR clients
    send with ``accessTokenFactory``) query values, without caching a QueryParams on the long-lived WebSocket."""
    tournament_id = token = None
    for key, item in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True):
        lowered = key.lower()
        if lowered == "tournamentid":
            tournament_id = item
        elif lowered == "access_token":
            token = item or None
    return tournament_id, token


async def negotiate(request: Request) -> Response:
    """Standard SignalR negotiate (version 1). The token is not remembered: any ``id`` is accepted later
    (connections are stateless, so no sticky sessions are needed)."""
    return JSONResponse(
        {
            "connectionId": uuid.uuid4().hex,
            "connectionToken": uuid.uuid4().hex,
            "negotiateVersion": 1,
            "availableTransports": [{"transport": "WebSockets", "transferFormats": ["Text"]}],
        }
    )


def routes(hub: Hub) -> tuple[tuple[Route, ...], tuple[SocketRoute, ...]]:
    return (Route("POST", PATH + "/negotiate", negotiate),), (SocketRoute(PATH, hub.asgi),)
