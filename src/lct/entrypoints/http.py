"""The FastAPI application: REST v1, health, Swagger, hub and web app, wired from one Settings object."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.routing import APIRoute
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from lct import __version__, bootstrap
from lct.adapters.broker import Broker
from lct.adapters.store import EventStore, StoreUnavailable
from lct.application import Context
from lct.config import Settings
from lct.entrypoints import api, errors
from lct.entrypoints import hub as hub_endpoint
from lct.entrypoints.hub import Hub
from lct.entrypoints.hub import router as hub_router
from lct.entrypoints.middleware import ApiMiddleware
from lct.metrics import CONTENT_TYPE_LATEST, Metrics
from lct.web import routes as web

if TYPE_CHECKING:
    from lct.elastic import LogShipper

log = logging.getLogger("lct.app")
STORE_RETRY_SECONDS = 2.0
OPENAPI_URL = "/swagger/v1/swagger.json"

DESCRIPTION = """LetChooseTeams REST API v1, wire-compatible with the original .NET service.

Paths and query keys are case-insensitive (`/api/tournament?id=` and `/api/Tournament?Id=` both work), JSON body
keys too. Errors are JSON `{"RequestId", "ErrorMessage", "ErrorCode"}`: 400 invalid input, 404 unknown
tournament, 409 a tournament rule refuses the change, 413 body over 64 KiB, 415 not JSON, 503 store unavailable.
Every response carries `X-Request-ID`. Optional header `api-version` (only 1.0 is supported).
"""


class Readiness:
    """Readiness policy. The store must answer. The broker must have answered once since start-up (an instance
    that never reached Redis would silently miss other instances' messages); after that, a broker outage only
    degrades readiness: HTTP keeps working and notifications are buffered, and failing every instance's probe
    during a Redis outage would turn a degraded service into a total one (``lct_redis_up`` shows the outage)."""

    def __init__(self) -> None:
        self.store_ready = False
        self.broker_seen_up = False


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


def create_app(
    settings: Settings | None = None,
    *,
    store: EventStore | None = None,
    broker: Broker | None = None,
    rng: random.Random | None = None,
) -> FastAPI:
    settings = settings or Settings()
    ctx = bootstrap.build_context(settings, store=store, broker=broker, rng=rng)
    readiness = Readiness()
    hub = Hub(
        ctx,
        keepalive=settings.hub_keepalive_seconds,
        client_timeout=settings.hub_client_timeout_seconds,
        send_queue=settings.hub_send_queue,
    )
    shipper = _log_shipper(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if shipper is not None:
            await shipper.start()
        starting = asyncio.create_task(_start_store(ctx.store, readiness))
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(starting), timeout=5)
        await ctx.broker.start()
        await hub.start()
        try:
            yield
        finally:
            starting.cancel()
            await hub.close()
            await ctx.clicks.close()
            await ctx.broker.close()
            await ctx.store.close()
            if shipper is not None:
                await shipper.close()

    docs = not settings.is_production
    app = FastAPI(
        title="LetChooseTeams",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        openapi_url=OPENAPI_URL if docs else None,
        redoc_url=None,
    )
    app.state.ctx = ctx
    app.state.settings = settings
    app.state.readiness = readiness
    app.state.hub = hub
    app.state.log_shipper = shipper
    app.state.metrics = metrics = Metrics(
        broker=lambda: ctx.broker,
        hub=lambda: getattr(app.state, "hub", None),
        shipper=lambda: shipper,
        redis_configured=bool(settings.redis_url),
    )
    errors.install(app)
    app.include_router(api.router)
    app.include_router(hub_router)
    app.include_router(web.router)
    _health_routes(app, ctx, readiness)
    _metrics_route(app, ctx, metrics)
    if docs:
        _swagger_routes(app)
    api_paths = [r.path for r in api.router.routes if isinstance(r, APIRoute)]
    app.add_middleware(api.DirectDispatch)  # added first = innermost: it sees ApiMiddleware's canonical path
    app.add_middleware(
        ApiMiddleware,
        api_paths=api_paths,
        metrics=metrics,
        environment=settings.environment,
        websockets={hub_endpoint.PATH: hub_endpoint.asgi},  # the hub skips the router and exception middleware
    )
    return app


def _swagger_routes(app: FastAPI) -> None:
    """Swagger UI from locally bundled assets (no CDN), at the original's addresses."""
    import fastapi_offline

    assets = Path(fastapi_offline.__file__).parent / "static"
    app.mount("/swagger/static", StaticFiles(directory=assets), name="swagger-static")

    @app.get("/swagger/index.html", include_in_schema=False)
    async def swagger_ui() -> Response:
        return get_swagger_ui_html(
            openapi_url=OPENAPI_URL,
            title="LetChooseTeams API",
            swagger_js_url="/swagger/static/swagger-ui-bundle.js",
            swagger_css_url="/swagger/static/swagger-ui.css",
            swagger_favicon_url="/swagger/static/favicon.png",
        )

    @app.get("/swagger", include_in_schema=False)
    async def swagger_root() -> Response:
        return RedirectResponse("/swagger/index.html")


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


def _metrics_route(app: FastAPI, ctx: Context, metrics: Metrics) -> None:
    @app.get("/metrics", include_in_schema=False)
    async def prometheus_metrics() -> Response:
        return Response(await metrics.render(ctx.store.ping, ctx.broker.ping), media_type=CONTENT_TYPE_LATEST)


def _health_routes(app: FastAPI, ctx: Context, readiness: Readiness) -> None:
    @app.get("/liveness", include_in_schema=False)
    async def liveness() -> Response:
        return PlainTextResponse("Healthy")

    @app.get("/readiness", include_in_schema=False)
    async def ready(request: Request) -> Response:
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
