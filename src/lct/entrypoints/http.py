"""The ASGI application: one routing table, one request pipeline, wired from one Settings object.

Every HTTP request goes through the same steps, whatever its route: strip the path prefix (``LCT_ROOT_PATH``),
take or make its request id, answer CORS preflights (``LCT_CORS_ORIGINS``), find the route (405/404 otherwise),
hold write routes to the client's rate (``LCT_RATE_LIMIT``, 429), check ``api-version`` for versioned routes, bound
the body, call the endpoint, turn expected exceptions into the JSON error body, add ``X-Request-ID`` and CORS
headers, then log one completion line and record the metrics under the route template. WebSocket connections get
the prefix, the request id and the route lookup, then go straight to the hub. With ``LCT_METRICS_PORT`` set,
``/metrics`` is served only by a second listener on that port.

Request path: socket -> uvicorn (``server.py``) -> ``App`` (this module) -> ``Router`` (``routing.py``) -> endpoint
(``rest_v1.py``, ``web/routes.py``, ...) -> use case (``application.py``) -> event store -> broker -> hub.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import re
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import replace
from time import perf_counter_ns
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import Message, Receive, Scope, Send

from lct import bootstrap, logs
from lct.adapters.broker import Broker
from lct.adapters.store import EventStore, StoreUnavailable
from lct.application import Context
from lct.config import Settings
from lct.context import request_id_from, request_id_var
from lct.entrypoints import errors, openapi, rest_v1, rest_v2, server
from lct.entrypoints import hub as hub_module
from lct.entrypoints.compression import accepts_gzip, gzipping
from lct.entrypoints.errors import BodyTooLarge, error_response
from lct.entrypoints.hub import Hub
from lct.entrypoints.inputs import MAX_BODY
from lct.entrypoints.limits import ClientLimiter
from lct.entrypoints.proxy import TrustedProxies
from lct.entrypoints.routing import Found, Route, Router
from lct.metrics import CONTENT_TYPE_LATEST, UNMATCHED, Metrics
from lct.web import routes as web

if TYPE_CHECKING:
    from lct.elastic import LogShipper

log = logging.getLogger("lct.http")
STORE_RETRY_SECONDS = 2.0
_VERSION = re.compile(r"\d+(\.\d+)?")

V1 = openapi.Api(
    "v1",
    "LetChooseTeams API v1",
    """REST API v1, wire-compatible with the original .NET service.

Paths and query keys are case-insensitive (`/api/tournament?id=` and `/api/Tournament?Id=` both work), JSON body
keys too. Errors are JSON `{"RequestId", "ErrorMessage", "ErrorCode"}`: 400 invalid input, 404 unknown
tournament, 409 a tournament rule refuses the change, 413 body over 64 KiB, 415 not JSON, 503 store unavailable.
Every response carries `X-Request-ID`. Optional header `api-version` (only 1.0 is supported).
""",
)


V2 = openapi.Api(
    "v2",
    "LetChooseTeams API v2",
    """REST API v2: protected tournaments with host and player tokens, host controls, fixtures and standings.

JSON in camelCase. Tokens travel as `Authorization: Bearer <token>`: the host token comes with the 201 of
`POST /api/v2/tournaments`, a player token with the 201 of joining. On a protected tournament a missing or unknown
token is 401 `Unauthorized` and a token that may not do this is 403 `Forbidden`. Errors are the v1 JSON body
`{"RequestId", "ErrorMessage", "ErrorCode"}`. See docs/api.md.
""",
)


class Readiness:
    """Readiness policy. The store must answer. The broker must have answered once since start-up (an instance
    that never reached Redis would silently miss other instances' messages); after that, a broker outage only
    degrades readiness: HTTP keeps working and notifications are buffered, and failing every instance's probe
    during a Redis outage would turn a degraded service into a total one (``lct_redis_up`` shows the outage)."""

    def __init__(self) -> None:
        self.store_ready = False
        self.broker_seen_up = False


class App:
    """The service as an ASGI application. ``lifespan_context()`` starts and stops its components."""

    def __init__(
        self,
        settings: Settings,
        ctx: Context,
        hub: Hub,
        metrics: Metrics,
        readiness: Readiness,
        shipper: LogShipper | None,
        extra_routes: Sequence[Route] = (),
    ) -> None:
        self.settings = settings
        self.ctx = ctx
        self.hub = hub
        self.metrics = metrics
        self.readiness = readiness
        self.log_shipper = shipper
        self.root = settings.root_path.rstrip("/")
        self.proxies = TrustedProxies(settings.forwarded_allow_ips)
        self.cors = Cors(settings.cors_origin_list)
        self.limiter = ClientLimiter(settings.rate_limit) if settings.rate_limit > 0 else None
        self.environment = settings.environment
        http_routes, sockets = self._routes()
        self.router = Router([*http_routes, *extra_routes], sockets)

    def _routes(self) -> tuple[list[Route], list[Any]]:
        hub_http, hub_sockets = hub_module.routes(self.hub)
        routes: list[Route] = [*self._v1_routes(), *rest_v2.routes(self.ctx), *hub_http]
        routes += web.routes(self.ctx, self.settings)
        routes += self._ops_routes()
        if not self.settings.is_production:
            apis = (V1, V2) if self.settings.api_v1 != "off" else (V2,)
            routes += openapi.swagger_routes(apis, tuple(routes))
        return routes, list(hub_sockets)

    def _v1_routes(self) -> list[Route]:
        """REST v1 as ``LCT_API_V1`` allows: all of it, its reads only (writes answer 403), or none (404)."""
        mode = self.settings.api_v1
        if mode == "off":
            return []
        v1 = list(rest_v1.routes(self.ctx))
        if mode == "read-only":
            v1 = [replace(r, endpoint=_v1_closed) if r.rate_limited else r for r in v1]
        return v1

    # --- ASGI ---

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
        elif kind == "websocket":
            await self._websocket(scope, receive, send)
        elif kind == "lifespan":
            await self._lifespan(receive, send)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        started_ns = perf_counter_ns()
        headers = {k: v for k, v in scope["headers"]}
        self.proxies.apply(scope, headers)
        request_id = request_id_from(headers.get(b"x-request-id"))
        token = request_id_var.set(request_id)
        path: str = scope["path"]
        status = 499  # stays so only if the request was cancelled (client gone) before a response started
        extra = [(b"x-request-id", request_id.encode()), *self.cors.headers(headers.get(b"origin"))]

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        outgoing: Send = gzipping(send_with_headers) if accepts_gzip(headers) else send_with_headers
        try:
            await self._handle(scope, receive, outgoing, headers)
        finally:
            route = scope.get("route")
            template = route.path if isinstance(route, Route) else UNMATCHED
            duration = perf_counter_ns() - started_ns
            self.metrics.observe(scope["method"], template, status, duration)
            logs.request_completed(scope["method"], path, template, status, duration, request_id, self.environment)
            request_id_var.reset(token)

    async def _handle(self, scope: Scope, receive: Receive, send: Send, headers: dict[bytes, bytes]) -> None:
        response = self._refusal(scope, headers)
        if response is None:
            response = await self._call(scope, receive, send)
            if response is None:
                return
        await response(scope, receive, send)

    def _refusal(self, scope: Scope, headers: dict[bytes, bytes]) -> Response | None:
        """A response that ends the request before any endpoint runs, or None to go on."""
        if not self._strip_root(scope):
            return errors.not_found()
        if scope["method"] == "OPTIONS" and b"origin" in headers and b"access-control-request-method" in headers:
            return _preflight(headers) if self.cors.allows(headers[b"origin"]) else _cors_refused()
        found = self.router.find(scope["method"], scope["path"])
        if found is None:
            return errors.not_found()
        if not isinstance(found, Found):
            return errors.method_not_allowed(found.allowed)
        scope["route"], scope["path_params"] = found.route, found.params
        if found.route.rate_limited and (refused := self._over_rate(scope)) is not None:
            return refused
        if found.route.api_versions is not None and (refused := _check_version(found.route, headers)) is not None:
            return refused
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > MAX_BODY:
            return error_response(413, BodyTooLarge(MAX_BODY).message, "PayloadTooLarge")
        return None

    def _over_rate(self, scope: Scope) -> Response | None:
        """429 when the client (the address a trusted proxy reported, else the peer) is over ``LCT_RATE_LIMIT``."""
        limiter = self.limiter
        if limiter is None:
            return None
        client = scope.get("client")
        wait = limiter.check(client[0] if client else "", time.monotonic())
        if wait is None:
            return None
        return error_response(
            429,
            f"Too many requests from this address; try again in {wait} s.",
            "TooManyRequests",
            {"Retry-After": str(wait)},
        )

    async def _call(self, scope: Scope, receive: Receive, send: Send) -> Response | None:
        route: Route = scope["route"]
        started = False

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            return await route.endpoint(Request(scope, _limited(receive, MAX_BODY), tracking))
        except Exception as exc:
            response = errors.response_for(exc)
            if response is not None:
                return response
            log.exception("unhandled error", extra={"event.action": "unhandled-error"})
            return None if started else errors.internal_error()

    def _strip_root(self, scope: Scope) -> bool:
        """Serve under ``LCT_ROOT_PATH``: the prefix leaves ``path`` for ``root_path``. False when it is missing."""
        root = self.root
        if not root:
            return True
        path: str = scope["path"]
        if path != root and not path.startswith(root + "/"):
            return False
        scope["path"], scope["root_path"] = path[len(root) :] or "/", root
        return True

    async def _websocket(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = {k: v for k, v in scope["headers"]}
        self.proxies.apply(scope, headers)
        token = request_id_var.set(request_id_from(headers.get(b"x-request-id")))
        try:
            route = self.router.socket(scope["path"]) if self._strip_root(scope) else None
            if route is None:
                await send({"type": "websocket.close", "code": 1000})
                return
            await route.endpoint(scope, receive, send)
        finally:
            request_id_var.reset(token)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        message = await receive()
        assert message["type"] == "lifespan.startup"
        try:
            async with self.lifespan_context():
                await send({"type": "lifespan.startup.complete"})
                message = await receive()
        except Exception as e:
            log.exception("start-up failed")
            await send({"type": "lifespan.startup.failed", "message": str(e)})
            return
        await send({"type": "lifespan.shutdown.complete"})

    @contextlib.asynccontextmanager
    async def lifespan_context(self) -> AsyncIterator[None]:
        ctx, shipper = self.ctx, self.log_shipper
        if shipper is not None:
            await shipper.start()
        starting = asyncio.create_task(_start_store(ctx.store, self.readiness))
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(starting), timeout=5)
        await ctx.broker.start()
        await self.hub.start()
        listener = await self._metrics_listener()
        try:
            yield
        finally:
            starting.cancel()
            if listener is not None:
                await listener.close()
            await self.hub.close()
            await ctx.clicks.close()
            await ctx.broker.close()
            await ctx.store.close()
            if shipper is not None:
                await shipper.close()

    # --- health and metrics ---

    def _ops_routes(self) -> list[Route]:
        async def liveness(request: Request) -> Response:
            return PlainTextResponse("Healthy")

        async def readiness(request: Request) -> Response:
            return await _readiness(self.ctx, self.readiness)

        async def metrics(request: Request) -> Response:
            return Response(await self.metrics.render(), media_type=CONTENT_TYPE_LATEST)

        routes = [Route("GET", "/liveness", liveness), Route("GET", "/readiness", readiness)]
        if self.settings.metrics_port is None:  # else only the metrics listener serves it
            routes.append(Route("GET", "/metrics", metrics))
        return routes

    async def _metrics_listener(self) -> server.Listener | None:
        settings = self.settings
        if settings.metrics_port is None:
            return None
        return await server.listen(
            self.metrics_asgi, settings.host, settings.metrics_port, settings.http_header_timeout_seconds
        )

    async def metrics_asgi(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The metrics listener (``LCT_METRICS_PORT``): ``GET /metrics`` and nothing else."""
        if scope["type"] != "http":
            return
        response: Response
        if scope["path"].rstrip("/") != "/metrics":
            response = PlainTextResponse("Not Found", status_code=404)
        elif scope["method"] not in ("GET", "HEAD"):
            response = PlainTextResponse("Method Not Allowed", status_code=405, headers={"Allow": "GET, HEAD"})
        else:
            response = Response(await self.metrics.render(), media_type=CONTENT_TYPE_LATEST)
        await response(scope, receive, send)


def create_app(
    settings: Settings | None = None,
    *,
    store: EventStore | None = None,
    broker: Broker | None = None,
    rng: random.Random | None = None,
    extra_routes: Sequence[Route] = (),
) -> App:
    """The composition root of the HTTP service: every component built from one Settings object (``store``,
    ``broker``, ``rng`` and ``extra_routes`` let tests swap in fakes and add routes)."""
    settings = settings or Settings()
    ctx = bootstrap.build_context(settings, store=store, broker=broker, rng=rng)
    hub = Hub(
        ctx,
        keepalive=settings.hub_keepalive_seconds,
        client_timeout=settings.hub_client_timeout_seconds,
        send_buffer=settings.hub_send_buffer_bytes,
        clicks_per_second=settings.hub_clicks_per_second,
        connections_per_client=settings.hub_connections_per_client,
        fast_path=settings.hub_fast_path,
    )
    shipper = _log_shipper(settings)
    metrics = Metrics()
    _register_metrics(metrics, ctx, hub, shipper, bool(settings.redis_url))
    return App(settings, ctx, hub, metrics, Readiness(), shipper, extra_routes)


def _register_metrics(
    metrics: Metrics, ctx: Context, hub: Hub, shipper: LogShipper | None, redis_configured: bool
) -> None:
    broker = ctx.broker
    hub.register_metrics(metrics)
    described = hub_module.MESSAGES_HELP
    for outcome, read in (
        ("published", lambda: broker.published),
        ("delivered", lambda: broker.delivered),
        ("dropped", lambda: broker.dropped),
    ):
        metrics.counter("lct_hub_messages", described, read, outcome=outcome)
    metrics.probe("lct_store_up", "1 when the event store answered a ping during this scrape.", _pinged(ctx.store.ping))
    if redis_configured:

        async def redis_up() -> bool:
            await broker.ping()
            return broker.connected

        metrics.probe(
            "lct_redis_up", "1 when Redis answered a ping during this scrape and the broker is connected.", redis_up
        )
    dropped: Callable[[], float] = (lambda: shipper.dropped) if shipper else (lambda: 0)
    shipped: Callable[[], float] = (lambda: shipper.shipped) if shipper else (lambda: 0)
    metrics.counter(
        "lct_log_shipping_dropped",
        "Log documents not shipped to Elasticsearch (queue full, sink down or rejected).",
        dropped,
    )
    metrics.counter("lct_log_shipping_shipped", "Log documents indexed by Elasticsearch.", shipped)


def _pinged(ping: Callable[[], Any]) -> Callable[[], Any]:
    async def check() -> bool:
        await ping()
        return True

    return check


def _log_shipper(settings: Settings) -> LogShipper | None:
    if not settings.elasticsearch_url:
        return None
    from lct.elastic import LogShipper

    return LogShipper(
        settings.elasticsearch_url,
        settings.environment,
        queue_size=settings.log_shipping_queue_size,
        batch_size=settings.log_shipping_batch_size,
    )


async def _start_store(store: EventStore, readiness: Readiness) -> None:
    """Start the store; if it is unreachable, keep trying in the background while liveness stays up."""
    attempt = 0
    while True:
        try:
            await store.start()
        except StoreUnavailable as e:
            if attempt == 0:
                log.error(
                    "store unreachable at start-up: %s; retrying every %.0f s",
                    e,
                    STORE_RETRY_SECONDS,
                    extra={"event.action": "store-start-failed"},
                )
            attempt += 1
            await asyncio.sleep(STORE_RETRY_SECONDS)
            continue
        readiness.store_ready = True
        if attempt:
            log.info("store reachable again", extra={"event.action": "store-started"})
        return


async def _readiness(ctx: Context, readiness: Readiness) -> Response:
    problems = []
    if not readiness.store_ready:
        problems.append("store not started")
    else:
        try:
            await asyncio.wait_for(ctx.store.ping(), timeout=2)
        except Exception as e:
            problems.append(f"store: {type(e).__name__}")
    degraded = ""
    try:
        await asyncio.wait_for(ctx.broker.ping(), timeout=2)
        readiness.broker_seen_up = True
    except Exception as e:
        if readiness.broker_seen_up:
            degraded = f" (degraded: broker {type(e).__name__}; notifications are buffered)"
        else:
            problems.append(f"broker never reachable: {type(e).__name__}")
    if problems:
        return PlainTextResponse("Unhealthy: " + "; ".join(problems), status_code=503)
    return PlainTextResponse("Healthy" + degraded)


async def _v1_closed(request: Request) -> Response:
    return error_response(403, "REST v1 is read-only on this service: use /api/v2 to make changes.", "V1ReadOnly")


def _check_version(route: Route, headers: dict[bytes, bytes]) -> Response | None:
    version = headers.get(b"api-version")
    if version is None:
        return None
    text = version.decode("latin-1").strip()
    if not _VERSION.fullmatch(text):
        return error_response(400, f"Invalid API version '{text}'.", "InvalidApiVersion")
    assert route.api_versions is not None
    if text not in route.api_versions:
        supported = ", ".join(sorted(v for v in route.api_versions if "." in v))
        return error_response(
            400, f"Unsupported API version '{text}'. Supported: {supported}.", "UnsupportedApiVersion"
        )
    return None


class Cors:
    """Cross-origin access (``LCT_CORS_ORIGINS``): an allowed origin is reflected with credentials; any other gets
    no CORS header (the browser then refuses to hand the response to its page) and its preflights a 403."""

    def __init__(self, origins: tuple[str, ...]) -> None:
        self.any = "*" in origins
        self.origins = frozenset(o.encode("latin-1") for o in origins)

    def allows(self, origin: bytes) -> bool:
        return self.any or origin.rstrip(b"/").lower() in self.origins

    def headers(self, origin: bytes | None) -> list[tuple[bytes, bytes]]:
        if not origin:
            return []
        if not self.allows(origin):
            return [(b"vary", b"Origin")]
        return [
            (b"access-control-allow-origin", origin),
            (b"access-control-allow-credentials", b"true"),
            (b"vary", b"Origin"),
        ]


def _cors_refused() -> Response:
    return error_response(403, "Cross-origin requests from this origin are not allowed.", "CorsOriginNotAllowed")


def _preflight(headers: dict[bytes, bytes]) -> Response:
    allow = {"Access-Control-Allow-Methods": headers[b"access-control-request-method"].decode("latin-1")}
    if b"access-control-request-headers" in headers:
        allow["Access-Control-Allow-Headers"] = headers[b"access-control-request-headers"].decode("latin-1")
    return Response(status_code=204, headers=allow)


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
