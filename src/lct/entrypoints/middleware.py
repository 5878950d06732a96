"""The outermost ASGI middleware: request id, case-insensitive API paths, CORS, ``api-version``, body limit,
and a JSON 500 for anything unexpected. Pure ASGI (no BaseHTTPMiddleware) because it is on every request's path.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from random import getrandbits
from time import perf_counter_ns

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lct import logs
from lct.entrypoints.errors import BodyTooLarge, error_response, request_id_var
from lct.metrics import UNMATCHED, Metrics

log = logging.getLogger("lct.http")
MAX_BODY = 64 * 1024
SUPPORTED_API_VERSIONS = {"1", "1.0"}
_VERSION = re.compile(r"^\d+(\.\d+)?$")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")


def new_request_id() -> str:
    """A random version-4 UUID string, like ``str(uuid.uuid4())`` at a tenth of the cost (a correlation id, not a
    secret, so the process's PRNG is enough)."""
    h = "%032x" % (getrandbits(128) & _UUID4_CLEAR | _UUID4_SET)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


_UUID4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID4_SET = (0x4000 << 64) | (0x8000 << 48)


class ApiMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        api_paths: Iterable[str] = (),
        max_body: int = MAX_BODY,
        metrics: Metrics | None = None,
        environment: str = "",
        websockets: Mapping[str, ASGIApp] | None = None,
    ) -> None:
        self.app = app
        self.websockets = dict(websockets or {})  # exact path -> plain ASGI app, called without the stack below
        self.max_body = max_body
        self.canonical = {p.lower(): p for p in api_paths}
        self.metrics = metrics
        self.environment = environment

    def add_paths(self, paths: Iterable[str]) -> None:
        self.canonical.update({p.lower(): p for p in paths})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            direct = self.websockets.get(scope["path"]) if scope["type"] == "websocket" else None
            if direct is not None and not scope.get("root_path"):
                await direct(scope, receive, send)  # a long-lived connection: keep its stack short
                return
            await self.app(scope, receive, send)
            return
        started_ns = perf_counter_ns()
        headers = _headers(scope)
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _REQUEST_ID.match(incoming) else new_request_id()
        token = request_id_var.set(request_id)
        scope.setdefault("state", {})["request_id"] = request_id
        path: str = scope["path"]
        status = 499  # stays so only if the request was cancelled (client gone) before a response started

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self._handle(scope, receive, send_status, headers, request_id)
        finally:
            self._completed(scope, path, status, perf_counter_ns() - started_ns, request_id)
            request_id_var.reset(token)

    def _completed(self, scope: Scope, path: str, status: int, duration_ns: int, request_id: str) -> None:
        """One completion log line and the request metrics; ``route`` is the matched template, not the path."""
        route = getattr(scope.get("route"), "path", None) or UNMATCHED
        method: str = scope["method"]
        if self.metrics is not None:
            self.metrics.observe(method, route, status, duration_ns)
        logs.request_completed(method, path, route, status, duration_ns, request_id, self.environment)

    async def _handle(
        self, scope: Scope, receive: Receive, send: Send, headers: dict[bytes, bytes], request_id: str
    ) -> None:
        path: str = scope["path"]
        is_api = path[:5].lower() == "/api/" or path.lower() == "/api"
        if is_api:
            canonical = self.canonical.get(path.lower().rstrip("/"))
            if canonical is not None and canonical != path:
                scope["path"], scope["raw_path"] = canonical, canonical.encode()  # in place: the route is read back
        origin = headers.get(b"origin")
        cors = _cors_headers(origin)
        extra = [(b"x-request-id", request_id.encode()), *cors]

        async def reply(status: int, message: str, code: str) -> None:
            await error_response(status, message, code)(scope, receive, _with_headers(send, extra))

        if scope["method"] == "OPTIONS" and origin and b"access-control-request-method" in headers:
            await _preflight(send, headers, extra)
            return
        if is_api:
            version = headers.get(b"api-version")
            if version is not None:
                text = version.decode("latin-1").strip()
                if not _VERSION.match(text):
                    await reply(400, f"Invalid API version '{text}'.", "InvalidApiVersion")
                    return
                if text not in SUPPORTED_API_VERSIONS:
                    await reply(400, f"Unsupported API version '{text}'. Supported: 1.0.", "UnsupportedApiVersion")
                    return
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            await reply(413, BodyTooLarge(self.max_body).message, "PayloadTooLarge")
            return

        started = False
        wrapped_send = _with_headers(send, extra)

        async def send_tracking(message: Message) -> None:  # _with_headers inlined: one wrapper less per message
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, _limited(receive, self.max_body), send_tracking)
        except Exception:
            log.exception("unhandled error", extra={"event.action": "unhandled-error"})
            if not started:
                await error_response(500, "Unexpected server error. Report the RequestId.", "InternalError")(
                    scope, receive, wrapped_send
                )


def _headers(scope: Scope) -> dict[bytes, bytes]:
    return {k.lower(): v for k, v in scope["headers"]}


def _cors_headers(origin: bytes | None) -> list[tuple[bytes, bytes]]:
    if not origin:
        return []
    return [
        (b"access-control-allow-origin", origin),
        (b"access-control-allow-credentials", b"true"),
        (b"vary", b"Origin"),
    ]


async def _preflight(send: Send, headers: dict[bytes, bytes], extra: list[tuple[bytes, bytes]]) -> None:
    allow = [
        (b"access-control-allow-methods", headers[b"access-control-request-method"]),
        (b"content-length", b"0"),
    ]
    if b"access-control-request-headers" in headers:
        allow.append((b"access-control-allow-headers", headers[b"access-control-request-headers"]))
    await send({"type": "http.response.start", "status": 204, "headers": [*extra, *allow]})
    await send({"type": "http.response.body", "body": b""})


def _with_headers(send: Send, extra: list[tuple[bytes, bytes]]) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *extra]}
        await send(message)

    return wrapped


def _limited(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
        return message

    return wrapped
