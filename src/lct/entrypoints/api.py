"""REST API v1, wire-compatible with the original (contract section 2 and Appendix A).

Handlers parse bodies themselves: keys are matched case-insensitively and ``playerLimit`` may be a number or a
numeric string, which model binding would make slow and awkward. The OpenAPI document still describes every
body and response (see ``schemas``).
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Callable, Coroutine
from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from lct import application as app
from lct.domain.tournament import Tournament
from lct.entrypoints.errors import JSON_TYPE, RequestError


class DirectRoute(APIRoute):
    """Every endpoint here takes the Request and returns a ready Response, so there are no dependencies to solve,
    no body to validate and nothing to serialise: call the endpoint directly instead of through FastAPI's generic
    request handler (same behaviour, a fraction of the per-request work; the OpenAPI document is unchanged)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        endpoint: Callable[[Request], Coroutine[Any, Any, Response]] = self.endpoint
        return endpoint


router = APIRouter(prefix="/api", route_class=DirectRoute)


class DirectDispatch:
    """The innermost middleware (inside ApiMiddleware, which has already made the path canonical): a request whose
    method and path exactly match a REST v1 route calls that route's endpoint here. It does what the router, FastAPI's
    request wrapper and Starlette's ExceptionMiddleware would do for these routes (set ``scope["route"]``, build the
    Request, turn an exception into the app's registered handler's response) without their five layers of per-request
    work. Anything else, including HEAD, 405s, redirects and a mounted root path, goes down the normal stack."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.routes = {
            (method, route.path): route
            for route in router.routes
            if isinstance(route, APIRoute)
            for method in route.methods or ()
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = self.routes.get((scope["method"], scope["path"])) if scope["type"] == "http" else None
        if route is None or scope.get("root_path"):
            await self.app(scope, receive, send)
            return
        scope["route"], scope["endpoint"], scope["path_params"] = route, route.endpoint, {}
        request = Request(scope, receive, send)
        try:
            response: Response = await route.endpoint(request)
        except Exception as exc:
            handler = _exception_handler(scope["app"].exception_handlers, exc)
            if handler is None:
                raise
            if asyncio.iscoroutinefunction(handler):
                response = await handler(request, exc)
            else:
                response = await run_in_threadpool(handler, request, exc)
        await response(scope, receive, send)


def _exception_handler(handlers: dict[Any, Any], exc: Exception) -> Any:
    """The handler Starlette's ExceptionMiddleware would pick (status code first for HTTPException, then the
    nearest registered class; ``Exception`` itself belongs to ServerErrorMiddleware, outside, so stop there)."""
    if isinstance(exc, HTTPException) and exc.status_code in handlers:
        return handlers[exc.status_code]
    for cls in type(exc).__mro__:
        if cls is Exception:
            break
        if cls in handlers:
            return handlers[cls]
    return None


# --- documentation models (the OpenAPI contract) ----------------------------------------------------------------


class CreateTournament(BaseModel):
    name: str = Field(description="Unique tournament name, 1-100 characters, not only whitespace.")
    playerLimit: int | str = Field(description="Seats, 2-10; a number or a numeric string.")


class AssignPlayer(BaseModel):
    name: str
    surname: str
    tournamentId: uuid.UUID


class SelectTeam(BaseModel):
    playerName: str
    playerSurname: str
    tournamentId: uuid.UUID
    team: str = Field(description="One of the 10 catalogue clubs, spelled exactly as GET /api/Team returns it.")


class PlayerDto(BaseModel):
    name: str
    surname: str
    selectedTeam: str | None
    drawnTeam: str | None


class TournamentDto(BaseModel):
    id: uuid.UUID
    tournamentName: str
    players: list[PlayerDto]
    playerLimit: int
    version: int = Field(description="Naming version: 1 after create, +1 per rename (as in the original).")
    streamVersion: int = Field(
        description="Number of events in the tournament's stream; hub messages carry the same number as `version`."
    )


class DrawnTeamDto(BaseModel):
    name: str
    surname: str
    teamName: str


class TeamDto(BaseModel):
    name: str
    selected: bool


class ErrorBody(BaseModel):
    RequestId: str = Field(description="The request's id, also sent in the X-Request-ID header.")
    ErrorMessage: str = Field(description="What went wrong, in plain words.")
    ErrorCode: str = Field(description="A stable name for the error, e.g. TournamentNameNotUnique.")


def _body(model: type[BaseModel]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": model.model_json_schema()}},
        }
    }


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    text = {
        400: "Invalid input (validation). Nothing was changed.",
        404: "The tournament does not exist.",
        409: "A rule of the tournament refuses this (e.g. full, name taken, club taken). Nothing was changed.",
        413: "Body larger than 64 KiB.",
        415: "The body must be JSON (Content-Type: application/json).",
        503: "Store unavailable or too busy; nothing was changed; safe to retry.",
    }
    return {code: {"model": ErrorBody, "description": text[code]} for code in codes}


def _id_query(name: str, description: str = "Tournament id; the key is case-insensitive.") -> dict[str, Any]:
    schema = {"type": "string", "format": "uuid"}
    return {
        "parameters": [{"name": name, "in": "query", "required": True, "schema": schema, "description": description}]
    }


# --- parsing ----------------------------------------------------------------------------------------------------


def query(request: Request, key: str) -> str | None:
    wanted = key.lower()
    for k, v in request.query_params.multi_items():
        if k.lower() == wanted:
            return v
    return None


_CANONICAL_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def guid(value: object, field: str) -> str:
    if value is None or value == "":
        raise RequestError(f"'{field}' is required (a tournament id).", code="MissingField")
    if isinstance(value, str) and _CANONICAL_GUID.fullmatch(value):
        return value  # already what str(uuid.UUID(value)) returns
    if not isinstance(value, str) or len(value) != 36:
        raise RequestError(f"'{field}' must be a tournament id like 0b7f3a3e-5b0e-4c55-9d0e-2f4e7c1a9b10.")
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise RequestError(f"'{field}' must be a tournament id like 0b7f3a3e-5b0e-4c55-9d0e-2f4e7c1a9b10.") from None


def query_guid(request: Request, key: str) -> str:
    return guid(query(request, key), key)


def _content_type(request: Request) -> str:
    key: bytes
    value: bytes
    for key, value in request.scope["headers"]:  # the server lower-cases names, as Starlette's Headers assumes
        if key == b"content-type":
            return value.decode("latin-1").split(";")[0].strip().lower()
    return ""


async def _read_body(request: Request) -> bytes:
    """``await request.body()`` without the async-generator stream underneath (it is on every write's path)."""
    chunks: list[bytes] = []
    while True:
        message = await request.receive()
        if message["type"] == "http.request":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        elif message["type"] == "http.disconnect":
            raise ClientDisconnect()
    body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    request._body = body  # what Request.body() caches, so a later call still works
    return body


async def json_body(request: Request) -> dict[str, Any]:
    content_type = _content_type(request)
    if content_type != "application/json" and not content_type.endswith("+json"):
        raise RequestError("Send the body as JSON with Content-Type: application/json.", 415, "UnsupportedMediaType")
    raw = await _read_body(request)
    if not raw.strip():
        raise RequestError("A non-empty JSON body is required.", code="EmptyBody")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise RequestError("The body is not valid JSON.", code="MalformedJson") from None
    if not isinstance(data, dict):
        raise RequestError("The body must be a JSON object.", code="MalformedJson")
    return {str(k).lower(): v for k, v in data.items()}


def text_field(body: dict[str, Any], key: str) -> object:
    """Strings pass; null is left for the domain (FieldCannotBeEmpty); other types are refused here."""
    value = body.get(key.lower())
    if value is not None and not isinstance(value, str):
        raise RequestError(f"'{key}' must be a string.", code="InvalidType")
    return value


def int_field(body: dict[str, Any], key: str) -> int:
    value = body.get(key.lower())
    if value is None:
        raise RequestError(f"'{key}' is required.", code="MissingField")
    if isinstance(value, bool):
        raise RequestError(f"'{key}' must be a whole number.", code="InvalidType")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit() and len(value) < 12:
        return int(value.strip())
    raise RequestError(f"'{key}' must be a whole number (or a string of digits).", code="InvalidType")


def json_response(payload: object) -> Response:
    return Response(orjson.dumps(payload), media_type=JSON_TYPE)


def empty_ok() -> Response:
    return Response(b"", status_code=200)


def tournament_dto(state: Tournament) -> dict[str, Any]:
    selected = {s.player: s.team for s in state.selections}
    drawn: dict[Any, str] = {}
    for d in state.draw:
        drawn.setdefault(d.player, d.team)
    return {
        "id": state.id,
        "tournamentName": state.name,
        "players": [
            {"name": p.name, "surname": p.surname, "selectedTeam": selected.get(p), "drawnTeam": drawn.get(p)}
            for p in state.players
        ],
        "playerLimit": state.limit,
        "version": state.name_version,
        "streamVersion": state.version,
    }


def ctx(request: Request) -> app.Context:
    context: app.Context = request.app.state.ctx
    return context


# --- routes -----------------------------------------------------------------------------------------------------


@router.get(
    "/Tournament",
    summary="Get single tournament.",
    response_model=None,
    responses={200: {"model": TournamentDto}, **_errors(400, 404, 503)},
    openapi_extra=_id_query("Id", "Tournament id (key is case-insensitive: id, Id)."),
)
async def get_tournament(request: Request) -> Response:
    state = await app.get_tournament(ctx(request), query_guid(request, "Id"))
    return json_response(tournament_dto(state))


@router.post(
    "/Tournament/create",
    summary="Create tournament",
    response_model=None,
    responses={
        200: {
            "description": "The new tournament id as a JSON string.",
            "content": {"application/json": {"schema": {"type": "string", "format": "uuid"}}},
        },
        **_errors(400, 409, 413, 415, 503),
    },
    openapi_extra=_body(CreateTournament),
)
async def create_tournament(request: Request) -> Response:
    body = await json_body(request)
    name = text_field(body, "name")
    limit = int_field(body, "playerLimit")
    tournament_id = await app.create_tournament(ctx(request), name, limit)
    return json_response(tournament_id)


@router.post(
    "/Tournament/assignPlayer",
    summary="Assign player to tournament.",
    response_model=None,
    responses={200: {"description": "Registered (empty body)."}, **_errors(400, 404, 409, 413, 415, 503)},
    openapi_extra=_body(AssignPlayer),
)
async def assign_player(request: Request) -> Response:
    body = await json_body(request)
    tournament_id = guid(body.get("tournamentid"), "tournamentId")
    await app.assign_player(ctx(request), tournament_id, text_field(body, "name"), text_field(body, "surname"))
    return empty_ok()


@router.get(
    "/Tournament/draw",
    summary="Draw team for players when all seats are taken.",
    description="The first call draws; repeated calls return the same result with 200.",
    response_model=None,
    responses={200: {"model": list[DrawnTeamDto]}, **_errors(400, 404, 409, 503)},
    openapi_extra=_id_query("tournamentId"),
)
async def draw(request: Request) -> Response:
    draws = await app.draw_teams(ctx(request), query_guid(request, "tournamentId"))
    return json_response([{"name": d.player.name, "surname": d.player.surname, "teamName": d.team} for d in draws])


@router.get(
    "/Team",
    summary="Get available teams for tournament.",
    response_model=None,
    responses={200: {"model": list[TeamDto]}, **_errors(400, 404, 503)},
    openapi_extra=_id_query("TournamentId"),
)
async def get_teams(request: Request) -> Response:
    teams = await app.get_teams(ctx(request), query_guid(request, "TournamentId"))
    return json_response([{"name": name, "selected": selected} for name, selected in teams])


@router.post(
    "/Team/select",
    summary="Team selection by tournament player.",
    response_model=None,
    responses={200: {"description": "Selected (empty body)."}, **_errors(400, 404, 409, 413, 415, 503)},
    openapi_extra=_body(SelectTeam),
)
async def select_team(request: Request) -> Response:
    body = await json_body(request)
    tournament_id = guid(body.get("tournamentid"), "tournamentId")
    await app.select_team(
        ctx(request),
        tournament_id,
        text_field(body, "playerName"),
        text_field(body, "playerSurname"),
        text_field(body, "team"),
    )
    return empty_ok()
