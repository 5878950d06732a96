"""REST API v2: protected tournaments, host controls, fixtures and standings (``docs/api.md``).

JSON in camelCase (keys exact), the v1 error body, tokens as ``Authorization: Bearer <token>``: a missing or
unknown token on a protected tournament is 401 ``Unauthorized``, a valid token that may not do this 403
``Forbidden``. Every route is one ``Route`` in ``routes()``, documented beside it in the v2 OpenAPI document.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, Final

import orjson
from starlette.requests import Request
from starlette.responses import Response

from lct import application as app
from lct.domain import catalogues, fixtures
from lct.domain import draw as fairness
from lct.domain import tournament as domain
from lct.domain.text import schema_pattern
from lct.domain.tournament import DRAW_MODES, MAX_SEATS, MIN_PLAYERS, Entry, Tournament
from lct.entrypoints import inputs
from lct.entrypoints.errors import JSON_TYPE, RequestError
from lct.entrypoints.inputs import Body
from lct.entrypoints.rest_v1 import ERROR_SCHEMA, ERRORS, rate_limited
from lct.entrypoints.routing import Answer, Doc, Param, Route

PREFIX: Final = "/api/v2"
API_VERSIONS: Final = frozenset({"2", "2.0"})
Endpoint = Callable[[app.Context, Request], Awaitable[Response]]

# --- reading requests ---------------------------------------------------------------------------------------------


def bearer(request: Request) -> str | None:
    """The token of ``Authorization: Bearer <token>``, or None."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return (token.strip() or None) if scheme.lower() == "bearer" else None


def tournament_id(request: Request) -> str:
    parsed = domain.parse_id(request.path_params["id"])
    if parsed is None:
        raise domain.TournamentNotFound(str(request.path_params["id"])[:40])
    return parsed


def text(body: Body, key: str, *, required: bool = True) -> Any:
    value = body.get(key)
    if value is None and not required:
        return None
    if value is not None and not isinstance(value, str):
        raise RequestError(f"'{key}' must be a string.", code="InvalidType")
    return value


def count(body: Body, key: str, *, required: bool = True) -> int | None:
    value = body.get(key)
    if value is None:
        if required:
            raise RequestError(f"'{key}' is required.", code="MissingField")
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise RequestError(f"'{key}' must be a whole number.", code="InvalidField")
    return value


def client_seed(body: Body) -> str:
    value = body.get("clientSeed")
    if value is None:
        return ""
    if not fairness.valid_client_seed(value):
        raise RequestError("'clientSeed' must be 1-64 printable ASCII characters.", code="InvalidField")
    assert isinstance(value, str)
    return value


def catalogue(body: Body) -> tuple[str, tuple[str, ...]]:
    """``"catalogue"``: a built-in key (default "original") or the host's own list of names."""
    value = body.get("catalogue", "original")
    if isinstance(value, list):
        return "custom", tuple(t.name for t in catalogues.custom(value))
    if not isinstance(value, str):
        raise RequestError("'catalogue' must be a catalogue name or a list of team names.", code="InvalidField")
    catalogues.by_key(value)
    return value, ()


def draw_mode(body: Body) -> domain.DrawMode:
    value = body.get("drawMode", "pool")
    if value not in DRAW_MODES:
        raise RequestError(f"'drawMode' must be one of: {', '.join(DRAW_MODES)}.", code="InvalidField")
    mode: domain.DrawMode = value
    return mode


# --- shapes -------------------------------------------------------------------------------------------------------


def player_shape(state: Tournament, entry: Entry) -> dict[str, Any]:
    drawn = next((d.team for d in state.draw if d.player_id == entry.id), None)
    return {
        "id": entry.id,
        "name": entry.player.name,
        "surname": entry.player.surname,
        "club": entry.club,
        "drawnClub": drawn,
    }


def state_shape(state: Tournament) -> dict[str, Any]:
    """A tournament as everyone may see it: never a token, never the seed before the draw."""
    holders = {e.club: e.id for e in state.entries if e.club}
    return {
        "id": state.id,
        "name": state.name,
        "seats": state.limit,
        "maxSeats": state.max_seats,
        "locked": state.locked,
        "protected": state.protected,
        "version": state.version,
        "code": state.setup.code or None,
        "round": state.setup.round,
        "previousId": state.setup.previous_id,
        "nextId": state.next_id,
        "catalogue": state.setup.catalogue,
        "drawMode": state.setup.draw_mode,
        "clubs": [{"name": t.name, "group": t.group, "pickedBy": holders.get(t.name)} for t in state.teams],
        "players": [player_shape(state, e) for e in state.entries],
        "draw": _draw_shape(state),
        "drawCommitment": state.commitment,
        "drawProof": domain.draw_proof(state),
        "hasFixtures": state.fixtures is not None,
    }


def _draw_shape(state: Tournament) -> list[dict[str, str]] | None:
    if not state.draw:
        return None
    return [
        {"playerId": d.player_id, "name": d.player.name, "surname": d.player.surname, "club": d.team}
        for d in state.draw
    ]


def _side(state: Tournament, player_id: str | None) -> dict[str, Any] | None:
    if player_id is None:
        return None
    pick = next(d for d in state.draw if d.player_id == player_id)
    return {"playerId": player_id, "name": pick.player.name, "surname": pick.player.surname, "club": pick.team}


def fixtures_shape(state: Tournament) -> dict[str, Any]:
    fx = state.fixtures
    if fx is None:
        raise domain.NotFound("This tournament has no fixtures yet: the host makes them after the draw.")
    champion = fixtures.champion(fx, domain.names(state))
    return {
        "format": fx.format,
        "legs": fx.legs,
        "matches": [_match_shape(state, fx, m) for m in fixtures.resolved(fx)],
        "standings": standings_shape(state),
        "champion": _side(state, champion),
        "next": fixtures.next_match(fx),
        "version": state.version,
    }


def _match_shape(state: Tournament, fx: fixtures.Fixtures, match: fixtures.Match) -> dict[str, Any]:
    score = fx.scores.get(match.id)
    return {
        "id": match.id,
        "order": match.order,
        "round": match.round,
        "home": _side(state, match.home),
        "away": _side(state, match.away),
        "score": None if score is None else _score(score),
        "locked": match.id in fx.locked,
        "sources": list(match.sources),
        "history": [
            {"action": c.action, "by": c.by, "at": c.at, "score": None if c.score is None else _score(c.score)}
            for c in fx.history.get(match.id, ())
        ],
    }


def _score(score: fixtures.Score) -> dict[str, Any]:
    return {"home": score.home, "away": score.away, "penaltiesWinner": score.penalties_winner}


def standings_shape(state: Tournament) -> list[dict[str, Any]] | None:
    fx = state.fixtures
    table = fixtures.standings(fx, domain.names(state)) if fx is not None else None
    if table is None:
        return None
    return [
        {
            **(_side(state, row.player_id) or {}),
            "played": row.played,
            "won": row.won,
            "drawn": row.drawn,
            "lost": row.lost,
            "goalsFor": row.goals_for,
            "goalsAgainst": row.goals_against,
            "goalDifference": row.goal_difference,
            "points": row.points,
            "position": row.position,
        }
        for row in table
    ]


def json(payload: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(payload), status_code=status, media_type=JSON_TYPE, headers=headers)


def _location(request: Request, path: str) -> dict[str, str]:
    return {"Location": str(request.scope.get("root_path", "")) + path}


# --- endpoints ----------------------------------------------------------------------------------------------------


async def create(ctx: app.Context, request: Request) -> Response:
    body = await inputs.json_object(request)
    seats = count(body, "seats")
    assert seats is not None
    key, custom = catalogue(body)
    state, token = await app.create_protected(ctx, text(body, "name"), seats, key, custom, draw_mode(body))
    location = _location(request, f"{PREFIX}/tournaments/{state.id}")
    return json({"tournament": state_shape(state), "hostToken": token}, 201, location)


async def read(ctx: app.Context, request: Request) -> Response:
    return json(state_shape(await app.get_tournament(ctx, tournament_id(request))))


async def by_code(ctx: app.Context, request: Request) -> Response:
    return json(state_shape(await app.find_by_code(ctx, request.path_params["code"])))


async def whoami(ctx: app.Context, request: Request) -> Response:
    state, actor = await app.authenticate(ctx, tournament_id(request), bearer(request))
    return json({"tournamentId": state.id, "role": actor.kind, "playerId": actor.player_id})


async def join(ctx: app.Context, request: Request) -> Response:
    body = await inputs.json_object(request)
    tid = tournament_id(request)
    state, entry, token = await app.join(ctx, tid, text(body, "name"), text(body, "surname"), client_seed(body))
    location = _location(request, f"{PREFIX}/tournaments/{tid}/players/{entry.id}")
    return json(
        {"player": player_shape(state, entry), "playerToken": token, "tournament": state_shape(state)}, 201, location
    )


async def pick(ctx: app.Context, request: Request) -> Response:
    body = await inputs.json_object(request)
    club = text(body, "club")
    state = await app.pick(ctx, tournament_id(request), bearer(request), request.path_params["player_id"], club)
    return json(state_shape(state))


async def remove(ctx: app.Context, request: Request) -> Response:
    await app.remove_player(ctx, tournament_id(request), bearer(request), request.path_params["player_id"])
    return Response(status_code=204)


async def reissue(ctx: app.Context, request: Request) -> Response:
    player_id = request.path_params["player_id"]
    state, token = await app.reissue_token(ctx, tournament_id(request), bearer(request), player_id)
    return json({"player": player_shape(state, state.entry(player_id)), "playerToken": token}, 201)


async def patch(ctx: app.Context, request: Request) -> Response:
    body = await inputs.json_object(request)
    name, seats, locked = text(body, "name", required=False), count(body, "seats", required=False), body.get("locked")
    if locked is not None and not isinstance(locked, bool):
        raise RequestError("'locked' must be true or false.", code="InvalidField")
    state = await app.update(ctx, tournament_id(request), bearer(request), name=name, seats=seats, locked=locked)
    return json(state_shape(state))


async def start_draw(ctx: app.Context, request: Request) -> Response:
    return json(state_shape(await app.start_draw(ctx, tournament_id(request), bearer(request))))


async def next_round(ctx: app.Context, request: Request) -> Response:
    state = await app.start_next_round(ctx, tournament_id(request), bearer(request))
    return json({"tournament": state_shape(state)}, 201, _location(request, f"{PREFIX}/tournaments/{state.id}"))


async def next_round_token(ctx: app.Context, request: Request) -> Response:
    seed = client_seed(await inputs.optional_json_object(request))
    state, player_id, token = await app.claim_next_round(ctx, tournament_id(request), bearer(request), seed)
    return json({"tournament": state_shape(state), "playerId": player_id, "playerToken": token})


async def make_fixtures(ctx: app.Context, request: Request) -> Response:
    body = await inputs.json_object(request)
    state = await app.create_fixtures(
        ctx, tournament_id(request), bearer(request), body.get("format"), body.get("legs")
    )
    return json(fixtures_shape(state), 201)


async def read_fixtures(ctx: app.Context, request: Request) -> Response:
    return json(fixtures_shape(await app.get_tournament(ctx, tournament_id(request))))


async def score(ctx: app.Context, request: Request) -> Response:
    body = await inputs.json_object(request)
    state = await app.enter_score(
        ctx,
        tournament_id(request),
        bearer(request),
        request.path_params["match_id"],
        body.get("home"),
        body.get("away"),
        body.get("penaltiesWinner"),
    )
    return json(fixtures_shape(state))


async def lock(ctx: app.Context, request: Request) -> Response:
    state = await app.lock_score(ctx, tournament_id(request), bearer(request), request.path_params["match_id"])
    return json(fixtures_shape(state))


async def read_standings(ctx: app.Context, request: Request) -> Response:
    state = await app.get_tournament(ctx, tournament_id(request))
    rows = standings_shape(state)
    if rows is None:
        raise domain.NotFound("Standings exist for league fixtures only.")
    return json(rows)


async def list_catalogues(ctx: app.Context, request: Request) -> Response:
    return json(
        [
            {"key": key, "teams": [{"name": t.name, "group": t.group} for t in catalogues.by_key(key)]}
            for key in catalogues.KEYS
        ]
    )


# --- documentation ------------------------------------------------------------------------------------------------

_TEXT = {"type": "string"}
_NULLABLE_TEXT = {"type": ["string", "null"]}
PLAYER_SCHEMA: Final = {
    "type": "object",
    "required": ["id", "name", "surname", "club", "drawnClub"],
    "properties": {"id": _TEXT, "name": _TEXT, "surname": _TEXT, "club": _NULLABLE_TEXT, "drawnClub": _NULLABLE_TEXT},
}
SIDE_SCHEMA: Final = {
    "type": ["object", "null"],
    "required": ["playerId", "name", "surname", "club"],
    "properties": {"playerId": _TEXT, "name": _TEXT, "surname": _TEXT, "club": _TEXT},
}
STATE_SCHEMA: Final = {
    "type": "object",
    "required": ["id", "name", "seats", "locked", "protected", "version", "players", "draw", "code", "drawCommitment"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "name": _TEXT,
        "seats": {"type": "integer"},
        "maxSeats": {"type": "integer"},
        "locked": {"type": "boolean"},
        "protected": {"type": "boolean"},
        "version": {"type": "integer", "description": "Stream version; hub messages carry it as `version`."},
        "code": {"type": ["string", "null"], "description": "Room code: 6 characters, case-insensitive."},
        "round": {"type": "integer"},
        "previousId": _NULLABLE_TEXT,
        "nextId": _NULLABLE_TEXT,
        "catalogue": _TEXT,
        "drawMode": {"enum": list(DRAW_MODES)},
        "clubs": {"type": "array", "items": {"type": "object"}},
        "players": {"type": "array", "items": PLAYER_SCHEMA},
        "draw": {"type": ["array", "null"], "items": SIDE_SCHEMA},
        "drawCommitment": {"type": ["string", "null"], "description": "SHA-256 of the secret draw seed (hex)."},
        "drawProof": {"type": ["object", "null"], "description": "After the draw: the seed and the seats (fairness)."},
        "hasFixtures": {"type": "boolean"},
    },
}
CREATED_SCHEMA: Final = {
    "type": "object",
    "required": ["tournament", "hostToken"],
    "properties": {"tournament": STATE_SCHEMA, "hostToken": {"type": "string", "description": "Secret: keep it."}},
}
JOINED_SCHEMA: Final = {
    "type": "object",
    "required": ["player", "playerToken"],
    "properties": {"player": PLAYER_SCHEMA, "playerToken": _TEXT, "tournament": STATE_SCHEMA},
}
STANDING_SCHEMA: Final = {
    "type": "object",
    "required": [
        "playerId",
        "played",
        "won",
        "drawn",
        "lost",
        "goalsFor",
        "goalsAgainst",
        "goalDifference",
        "points",
        "position",
    ],
    "properties": {
        k: {"type": "integer"}
        for k in ("played", "won", "drawn", "lost", "goalsFor", "goalsAgainst", "goalDifference", "points", "position")
    },
}
FIXTURES_SCHEMA: Final = {
    "type": "object",
    "required": ["format", "legs", "matches", "standings", "champion", "next"],
    "properties": {
        "format": {"enum": ["league", "knockout"]},
        "legs": {"type": "integer"},
        "matches": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "order", "round", "home", "away", "score", "locked", "sources", "history"],
                "properties": {
                    "id": _TEXT,
                    "order": {"type": "integer"},
                    "round": {"type": "integer"},
                    "home": SIDE_SCHEMA,
                    "away": SIDE_SCHEMA,
                    "locked": {"type": "boolean"},
                    "sources": {
                        "type": "array",
                        "items": _NULLABLE_TEXT,
                        "description": "Knockout: the matches whose winners play here, as [home, away].",
                    },
                    "history": {"type": "array", "description": "Every change: {action, by, at, score}."},
                },
            },
        },
        "standings": {"type": ["array", "null"], "items": STANDING_SCHEMA},
        "champion": SIDE_SCHEMA,
        "next": _NULLABLE_TEXT,
    },
}


def _errors(*statuses: int) -> tuple[Answer, ...]:
    return tuple(Answer(status, ERRORS[status], ERROR_SCHEMA) for status in statuses)


def _body(required: tuple[str, ...], **properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": list(required), "properties": properties}


_SEATS = {"type": "integer", "minimum": MIN_PLAYERS, "maximum": MAX_SEATS}
_CODE = {
    "type": "string",
    "pattern": f"^[{domain.CODE_ALPHABET}{domain.CODE_ALPHABET.lower()}]{{{domain.CODE_LENGTH}}}$",
}
_CLUB = {"type": "string", "minLength": 1}
_CLIENT_SEED = {"type": "string", "pattern": "^[\\x20-\\x7e]{1,64}$"}
_ID_PARAM = Param("id", "path", {"type": "string", "format": "uuid"}, "Tournament id.")
_PLAYER_PARAM = Param("player_id", "path", {"type": "string", "format": "uuid"}, "Player id.")
_MATCH_PARAM = Param("match_id", "path", {"type": "string"}, "Match id (from the fixtures).")
_WRITE = (400, 401, 403, 404, 409, 413, 415, 503)


def _doc(summary: str, ok: Answer, errors: tuple[int, ...], **extra: Any) -> Doc:
    return Doc("v2", summary, (ok, *_errors(*errors)), tags=("v2",), **extra)


def _name() -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "maxLength": domain.MAX_NAME_LENGTH, "pattern": schema_pattern()}


def _specs() -> list[tuple[str, str, Endpoint, Doc, bool]]:
    text_name = _name()
    t = f"{PREFIX}/tournaments/{{id}}"
    state_ok = Answer(200, "The tournament's state.", STATE_SCHEMA)
    fixtures_ok = Answer(200, "The fixtures.", FIXTURES_SCHEMA)
    creating = _body(
        ("name", "seats"),
        name=text_name,
        seats=_SEATS,
        catalogue={"oneOf": [{"enum": list(catalogues.KEYS)}, {"type": "array", "items": {"type": "string"}}]},
        drawMode={"enum": list(DRAW_MODES)},
    )
    return [
        (
            "POST",
            f"{PREFIX}/tournaments",
            create,
            _doc(
                "Create a protected tournament",
                Answer(
                    201,
                    "Created; keep the host token.",
                    CREATED_SCHEMA,
                    headers={"Location": "The tournament's address."},
                ),
                (400, 409, 413, 415, 503),
                body=creating,
            ),
            True,
        ),
        ("GET", t, read, _doc("A tournament's state", state_ok, (404, 503), params=(_ID_PARAM,)), False),
        (
            "GET",
            f"{PREFIX}/rooms/{{code}}",
            by_code,
            _doc(
                "The tournament of a room code",
                state_ok,
                (404, 503),
                params=(Param("code", "path", _CODE, "Room code, any case."),),
            ),
            False,
        ),
        (
            "GET",
            f"{t}/me",
            whoami,
            _doc(
                "Who a token is in this tournament",
                Answer(200, "host, player or nobody.", {"type": "object"}),
                (404, 503),
                params=(_ID_PARAM,),
                bearer=True,
            ),
            False,
        ),
        (
            "PATCH",
            t,
            patch,
            _doc(
                "Rename, change seats, lock or unlock joining (host)",
                state_ok,
                _WRITE,
                params=(_ID_PARAM,),
                body=_body((), name=text_name, seats=_SEATS, locked={"type": "boolean"}),
                bearer=True,
            ),
            True,
        ),
        (
            "POST",
            f"{t}/players",
            join,
            _doc(
                "Join; keep the player token",
                Answer(201, "Joined.", JOINED_SCHEMA, headers={"Location": "The player's address."}),
                (400, 404, 409, 413, 415, 503),
                params=(_ID_PARAM,),
                body=_body(
                    ("name", "surname"),
                    name=text_name,
                    surname=text_name,
                    clientSeed=_CLIENT_SEED,
                ),
            ),
            True,
        ),
        (
            "PUT",
            f"{t}/players/{{player_id}}/club",
            pick,
            _doc(
                "Pick or change a club (that player or the host)",
                state_ok,
                _WRITE,
                params=(_ID_PARAM, _PLAYER_PARAM),
                body=_body(("club",), club=_CLUB),
                bearer=True,
            ),
            True,
        ),
        (
            "DELETE",
            f"{t}/players/{{player_id}}",
            remove,
            _doc(
                "Kick (host) or leave (that player)",
                Answer(204, "Removed: seat, club and token are free."),
                (401, 403, 404, 409, 503),
                params=(_ID_PARAM, _PLAYER_PARAM),
                bearer=True,
            ),
            True,
        ),
        (
            "POST",
            f"{t}/players/{{player_id}}/token",
            reissue,
            _doc(
                "A fresh token for a player (host); the old one stops working",
                Answer(201, "The new token.", JOINED_SCHEMA),
                (401, 403, 404, 503),
                params=(_ID_PARAM, _PLAYER_PARAM),
                bearer=True,
            ),
            True,
        ),
        (
            "POST",
            f"{t}/draw",
            start_draw,
            _doc(
                "Draw (host): 2+ players in and all picked; empty seats are released",
                state_ok,
                (401, 403, 404, 409, 503),
                params=(_ID_PARAM,),
                bearer=True,
            ),
            True,
        ),
        (
            "POST",
            f"{t}/next-round",
            next_round,
            _doc(
                "Another round with the same players (host)",
                Answer(201, "The new tournament.", {"type": "object"}),
                (401, 403, 404, 409, 503),
                params=(_ID_PARAM,),
                bearer=True,
            ),
            True,
        ),
        (
            "POST",
            f"{t}/next-round/token",
            next_round_token,
            _doc(
                "Trade a player token for one of the next round",
                Answer(200, "The next round and the new token.", {"type": "object"}),
                (400, 401, 404, 409, 413, 415, 503),
                description=(
                    "The body is optional. Before the next round's draw, `clientSeed` becomes the seat's client seed"
                    " (docs/fairness.md); after it, the seed stays as it was."
                ),
                params=(_ID_PARAM,),
                body=_body((), clientSeed=_CLIENT_SEED),
                body_required=False,
                bearer=True,
            ),
            True,
        ),
        (
            "POST",
            f"{t}/fixtures",
            make_fixtures,
            _doc(
                "Make the fixtures (host, after the draw)",
                Answer(201, "The fixtures.", FIXTURES_SCHEMA),
                _WRITE,
                params=(_ID_PARAM,),
                body=_body(("format",), format={"enum": ["league", "knockout"]}, legs={"enum": [1, 2]}),
                bearer=True,
            ),
            True,
        ),
        (
            "GET",
            f"{t}/fixtures",
            read_fixtures,
            _doc("Fixtures, standings, champion and the next match", fixtures_ok, (404, 503), params=(_ID_PARAM,)),
            False,
        ),
        (
            "PUT",
            f"{t}/matches/{{match_id}}/score",
            score,
            _doc(
                "Enter or correct a score (a player of the match or the host)",
                fixtures_ok,
                _WRITE,
                params=(_ID_PARAM, _MATCH_PARAM),
                body=_body(
                    ("home", "away"),
                    home={"type": "integer", "minimum": 0, "maximum": 99},
                    away={"type": "integer", "minimum": 0, "maximum": 99},
                    penaltiesWinner={"enum": ["home", "away", None]},
                ),
                bearer=True,
            ),
            True,
        ),
        (
            "POST",
            f"{t}/matches/{{match_id}}/lock",
            lock,
            _doc(
                "Lock a score (host)",
                fixtures_ok,
                (401, 403, 404, 409, 503),
                params=(_ID_PARAM, _MATCH_PARAM),
                bearer=True,
            ),
            True,
        ),
        (
            "GET",
            f"{t}/standings",
            read_standings,
            _doc(
                "League standings",
                Answer(200, "The table.", {"type": "array", "items": STANDING_SCHEMA}),
                (404, 503),
                params=(_ID_PARAM,),
            ),
            False,
        ),
        (
            "GET",
            f"{PREFIX}/catalogues",
            list_catalogues,
            _doc("The built-in club lists", Answer(200, "Catalogues.", {"type": "array"}), (503,)),
            False,
        ),
    ]


def routes(ctx: app.Context) -> tuple[Route, ...]:
    return tuple(
        Route(
            method,
            path,
            partial(endpoint, ctx),
            rate_limited(doc) if write else doc,
            api_versions=API_VERSIONS,
            rate_limited=write,
        )
        for method, path, endpoint, doc, write in _specs()
    )
