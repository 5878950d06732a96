"""REST API v1, wire-compatible with the original (contract section 2 and Appendix A).

Paths, query keys and JSON body keys match case-insensitively; ``playerLimit`` may be a number or a string of
digits; success is always 200 (``create`` answers the id as a JSON string, ``assignPlayer`` and ``select`` an empty
body). Every route is one ``Route`` in ``ROUTES``; its OpenAPI operation is declared beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any, Final

import orjson
from starlette.requests import Request
from starlette.responses import Response

from lct import application as app
from lct.domain.tournament import CATALOGUE, MAX_PLAYERS, MIN_PLAYERS, Tournament
from lct.entrypoints import inputs
from lct.entrypoints.errors import JSON_TYPE
from lct.entrypoints.inputs import Club, Text, TournamentId, Whole
from lct.entrypoints.routing import Answer, Doc, Param, Route

API_VERSIONS: Final = frozenset({"1", "1.0"})

# --- fields and shapes (parsing and documentation in one place) ------------------------------------------------

NAME = Text("name", "Unique tournament name, 1-100 characters, not only whitespace, no control characters.")
PLAYER_LIMIT = Whole(
    "playerLimit",
    f"Seats, {MIN_PLAYERS}-{MAX_PLAYERS}: a JSON integer or a string of ASCII digits (an optional sign).",
    MIN_PLAYERS,
    MAX_PLAYERS,
)
PLAYER_NAME = Text("name", "Player's first name.")
PLAYER_SURNAME = Text("surname", "Player's surname.")
TOURNAMENT_ID = TournamentId("tournamentId")
PICK_NAME = Text("playerName", "The registered player's first name.")
PICK_SURNAME = Text("playerSurname", "The registered player's surname.")
TEAM = Club("team", "One of the clubs GET /api/Team lists, spelled exactly so.", CATALOGUE)

_NULLABLE_TEXT = {"type": ["string", "null"]}
TOURNAMENT_SCHEMA: Final = {
    "type": "object",
    "required": ["id", "tournamentName", "players", "playerLimit", "version", "streamVersion"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "tournamentName": {"type": "string"},
        "players": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "surname", "selectedTeam", "drawnTeam"],
                "properties": {
                    "name": {"type": "string"},
                    "surname": {"type": "string"},
                    "selectedTeam": _NULLABLE_TEXT,
                    "drawnTeam": _NULLABLE_TEXT,
                },
            },
        },
        "playerLimit": {"type": "integer"},
        "version": {"type": "integer", "description": "Naming version: 1 after create, +1 per rename."},
        "streamVersion": {
            "type": "integer",
            "description": "Events in the tournament's stream; hub messages carry the same number as `version`.",
        },
        "drawCommitment": {
            "type": ["string", "null"],
            "description": "SHA-256 (hex) of the tournament's secret draw seed, published before anyone joins "
            "(null for tournaments created before draws were verifiable); see docs/fairness.md.",
        },
    },
}
DRAW_SCHEMA: Final = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["name", "surname", "teamName"],
        "properties": {"name": {"type": "string"}, "surname": {"type": "string"}, "teamName": {"type": "string"}},
    },
}
TEAMS_SCHEMA: Final = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["name", "selected"],
        "properties": {"name": {"type": "string"}, "selected": {"type": "boolean"}},
    },
}
ERROR_SCHEMA: Final = {
    "type": "object",
    "required": ["RequestId", "ErrorMessage", "ErrorCode"],
    "properties": {
        "RequestId": {"type": "string", "description": "The request's id, also sent in the X-Request-ID header."},
        "ErrorMessage": {"type": "string", "description": "What went wrong, in plain words."},
        "ErrorCode": {"type": "string", "description": "A stable name for the error, e.g. TournamentNameNotUnique."},
    },
}
ERRORS: Final = {
    400: "Invalid input (validation). Nothing was changed.",
    401: "A token is required (Authorization: Bearer <token>) and was missing or unknown.",
    403: "Not allowed: this token may not do this, or the tournament does not accept this API version's writes.",
    404: "The tournament (or what the path names) does not exist.",
    409: "A rule of the tournament refuses this (e.g. full, name taken, club taken). Nothing was changed.",
    413: "Body larger than 64 KiB.",
    415: "The body must be JSON (Content-Type: application/json).",
    429: "Too many requests from this client; retry after the number of seconds in Retry-After.",
    503: "Store unavailable or too busy; nothing was changed; safe to retry.",
}


def errors(*statuses: int) -> tuple[Answer, ...]:
    return tuple(Answer(status, ERRORS[status], ERROR_SCHEMA) for status in statuses)


def rate_limited(doc: Doc) -> Doc:
    """A write route's documentation: it may also answer 429 (``LCT_RATE_LIMIT``)."""
    return replace(doc, answers=(*doc.answers, *errors(429)))


def id_query(name: str, description: str = "Tournament id; the key is case-insensitive.") -> Param:
    return Param(name, "query", {"type": "string", "format": "uuid"}, description)


def tournament_v1(state: Tournament) -> dict[str, Any]:
    selected = {s.player: s.team for s in state.selections}
    drawn = {d.player: d.team for d in reversed(state.draw)}
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
        "drawCommitment": state.commitment,
    }


def json_response(payload: object) -> Response:
    return Response(orjson.dumps(payload), media_type=JSON_TYPE)


def empty_ok() -> Response:
    return Response(b"", status_code=200)


# --- endpoints ---------------------------------------------------------------------------------------------------


async def get_tournament(ctx: app.Context, request: Request) -> Response:
    state = await app.get_tournament(ctx, inputs.tournament_id(inputs.query(request, "Id"), "Id"))
    return json_response(tournament_v1(state))


async def create_tournament(ctx: app.Context, request: Request) -> Response:
    body = await inputs.json_object(request, fold_keys=True)
    name = NAME.read(body)
    limit = PLAYER_LIMIT.read(body)
    return json_response(await app.create_tournament(ctx, name, limit))


async def assign_player(ctx: app.Context, request: Request) -> Response:
    body = await inputs.json_object(request, fold_keys=True)
    tournament_id = TOURNAMENT_ID.read(body)
    await app.assign_player(ctx, tournament_id, PLAYER_NAME.read(body), PLAYER_SURNAME.read(body))
    return empty_ok()


async def draw(ctx: app.Context, request: Request) -> Response:
    tournament_id = inputs.tournament_id(inputs.query(request, "tournamentId"), "tournamentId")
    draws = await app.draw_teams(ctx, tournament_id)
    return json_response([{"name": d.player.name, "surname": d.player.surname, "teamName": d.team} for d in draws])


async def get_teams(ctx: app.Context, request: Request) -> Response:
    teams = await app.get_teams(ctx, inputs.tournament_id(inputs.query(request, "TournamentId"), "TournamentId"))
    return json_response([{"name": name, "selected": selected} for name, selected in teams])


async def select_team(ctx: app.Context, request: Request) -> Response:
    body = await inputs.json_object(request, fold_keys=True)
    tournament_id = TOURNAMENT_ID.read(body)
    await app.select_team(ctx, tournament_id, PICK_NAME.read(body), PICK_SURNAME.read(body), TEAM.read(body))
    return empty_ok()


# --- the routes --------------------------------------------------------------------------------------------------


def _route(method: str, path: str, endpoint: Any, doc: Doc, *, write: bool = False) -> Callable[[app.Context], Route]:
    def bind(ctx: app.Context) -> Route:
        return Route(
            method,
            path,
            partial(endpoint, ctx),
            rate_limited(doc) if write else doc,
            case_insensitive=True,
            api_versions=API_VERSIONS,
            rate_limited=write,
        )

    return bind


def _body(*fields: Any) -> dict[str, Any]:
    return inputs.object_schema(*fields, description="JSON keys are matched case-insensitively.")


EMPTY_OK = "Done (empty body)."
_ROUTES: Final = (
    _route(
        "GET",
        "/api/Tournament",
        get_tournament,
        Doc(
            "v1",
            "Get single tournament.",
            (Answer(200, "The tournament.", TOURNAMENT_SCHEMA), *errors(400, 404, 503)),
            params=(id_query("Id", "Tournament id (key is case-insensitive: id, Id)."),),
            tags=("Tournament",),
        ),
    ),
    _route(
        "POST",
        "/api/Tournament/create",
        create_tournament,
        Doc(
            "v1",
            "Create tournament",
            (
                Answer(200, "The new tournament id as a JSON string.", {"type": "string", "format": "uuid"}),
                *errors(400, 409, 413, 415, 503),
            ),
            body=_body(NAME, PLAYER_LIMIT),
            tags=("Tournament",),
        ),
        write=True,
    ),
    _route(
        "POST",
        "/api/Tournament/assignPlayer",
        assign_player,
        Doc(
            "v1",
            "Assign player to tournament.",
            (Answer(200, EMPTY_OK), *errors(400, 404, 409, 413, 415, 503)),
            body=_body(PLAYER_NAME, PLAYER_SURNAME, TOURNAMENT_ID),
            tags=("Tournament",),
        ),
        write=True,
    ),
    _route(
        "GET",
        "/api/Tournament/draw",
        draw,
        Doc(
            "v1",
            "Draw team for players when all seats are taken.",
            (Answer(200, "The draw, in draw order.", DRAW_SCHEMA), *errors(400, 404, 409, 503)),
            description="The first call draws; repeated calls return the same result with 200.",
            params=(id_query("tournamentId"),),
            tags=("Tournament",),
        ),
        write=True,
    ),
    _route(
        "GET",
        "/api/Team",
        get_teams,
        Doc(
            "v1",
            "Get available teams for tournament.",
            (Answer(200, "The tournament's clubs in catalogue order.", TEAMS_SCHEMA), *errors(400, 404, 503)),
            params=(id_query("TournamentId"),),
            tags=("Team",),
        ),
    ),
    _route(
        "POST",
        "/api/Team/select",
        select_team,
        Doc(
            "v1",
            "Team selection by tournament player.",
            (Answer(200, EMPTY_OK), *errors(400, 404, 409, 413, 415, 503)),
            body=_body(PICK_NAME, PICK_SURNAME, TOURNAMENT_ID, TEAM),
            tags=("Team",),
        ),
        write=True,
    ),
)


def routes(ctx: app.Context) -> tuple[Route, ...]:
    return tuple(bind(ctx) for bind in _ROUTES)
