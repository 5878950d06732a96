"""Reading requests: JSON bodies, query values, tournament ids and typed body fields.

Each field type knows how to read itself from a decoded body **and** how to describe itself as JSON Schema, so the
OpenAPI document is generated from the very objects that parse the requests. Bad input raises ``RequestError``
(400/413/415 with a stable ``ErrorCode``); the domain then applies its own rules (name cleaning, seat ranges).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final, Protocol

import orjson
from starlette.requests import ClientDisconnect, Request

from lct.domain import tournament
from lct.domain.text import schema_pattern
from lct.entrypoints.errors import RequestError

MAX_BODY: Final = 64 * 1024
ID_EXAMPLE: Final = "0b7f3a3e-5b0e-4c55-9d0e-2f4e7c1a9b10"
_WHOLE: Final = re.compile(r"[+-]?[0-9]+")
Body = dict[str, Any]


# --- raw reading ------------------------------------------------------------------------------------------------


def content_type(request: Request) -> str:
    for key, value in request.scope["headers"]:  # the server lower-cases names
        if key == b"content-type":
            return str(value.decode("latin-1").split(";")[0].strip().lower())
    return ""


async def read_body(request: Request) -> bytes:
    """The whole body (the application's receive wrapper already enforces the size limit)."""
    chunks: list[bytes] = []
    while True:
        message = await request.receive()
        if message["type"] == "http.request":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        elif message["type"] == "http.disconnect":
            raise ClientDisconnect()
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


async def json_object(request: Request, *, fold_keys: bool = False) -> Body:
    """The body as a JSON object; ``fold_keys`` lower-cases its keys (REST v1 matches them case-insensitively)."""
    kind = content_type(request)
    if kind != "application/json" and not kind.endswith("+json"):
        raise RequestError("Send the body as JSON with Content-Type: application/json.", 415, "UnsupportedMediaType")
    raw = await read_body(request)
    if not raw.strip():
        raise RequestError("A non-empty JSON body is required.", code="EmptyBody")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise RequestError("The body is not valid JSON.", code="MalformedJson") from None
    if not isinstance(data, dict):
        raise RequestError("The body must be a JSON object.", code="MalformedJson")
    return FoldedBody((str(k).lower(), v) for k, v in data.items()) if fold_keys else data


async def optional_json_object(request: Request) -> Body:
    """The body as a JSON object, or an empty one when the request sends no body at all (no Content-Type)."""
    if content_type(request) != "":
        return await json_object(request)
    if (await read_body(request)).strip():
        raise RequestError("Send the body as JSON with Content-Type: application/json.", 415, "UnsupportedMediaType")
    return {}


class FoldedBody(dict[str, Any]):
    """A body whose keys were lower-cased: fields look their key up lower-cased too."""


def query(request: Request, key: str) -> str | None:
    """A query value, key matched case-insensitively (the first occurrence wins)."""
    wanted = key.lower()
    for k, v in request.query_params.multi_items():
        if k.lower() == wanted:
            return v
    return None


def tournament_id(value: object, field: str) -> str:
    if value is None or value == "":
        raise RequestError(f"'{field}' is required (a tournament id).", code="MissingField")
    parsed = tournament.parse_id(value)
    if parsed is None:
        raise RequestError(f"'{field}' must be a tournament id like {ID_EXAMPLE}.")
    return parsed


# --- typed fields ------------------------------------------------------------------------------------------------


class Field(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def required(self) -> bool: ...

    def schema(self) -> dict[str, Any]: ...


def _value(body: Body, key: str) -> object:
    return body.get(key.lower() if isinstance(body, FoldedBody) else key)


@dataclass(frozen=True, slots=True)
class Text:
    """A name: a string; ``null``/absence is left to the domain (FieldCannotBeEmpty), other types are refused."""

    key: str
    description: str
    max_length: int = tournament.MAX_NAME_LENGTH
    required: bool = True

    def schema(self) -> dict[str, Any]:
        return {
            "type": "string",
            "minLength": 1,
            "maxLength": self.max_length,
            "pattern": schema_pattern(),
            "description": self.description,
        }

    def read(self, body: Body) -> str | None:
        value = _value(body, self.key)
        if value is not None and not isinstance(value, str):
            raise RequestError(f"'{self.key}' must be a string.", code="InvalidType")
        return value


@dataclass(frozen=True, slots=True)
class Whole:
    """A whole number: a JSON integer (``4`` or ``4.0``), or a string of ASCII digits with an optional leading sign
    (``"4"``, ``"+4"``; ``"-4"`` parses and then fails the range check). Anything else is ``InvalidField``."""

    key: str
    description: str
    minimum: int
    maximum: int
    required: bool = True

    def schema(self) -> dict[str, Any]:
        number = {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}
        digits = {"type": "string", "pattern": _range_pattern(self.minimum, self.maximum)}
        return {"oneOf": [number, digits], "description": self.description}

    def read(self, body: Body) -> int:
        value = _value(body, self.key)
        if value is None:
            raise RequestError(f"'{self.key}' is required.", code="MissingField")
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():  # 4.0 is an integer to JSON (and JSON Schema)
            return int(value)
        if isinstance(value, str) and _WHOLE.fullmatch(value):
            return _digits(value)
        raise RequestError(
            f"'{self.key}' must be a whole number (a JSON integer or a string of digits).", code="InvalidField"
        )


def _digits(text: str) -> int:
    """The value of a matched digit string; more than 12 significant digits is out of any range we accept, so
    it is clamped instead of converted (``int()`` of a huge string is slow and capped by Python)."""
    negative = text.startswith("-")
    digits = text.lstrip("+-").lstrip("0") or "0"
    magnitude = int(digits) if len(digits) <= 12 else 10**12
    return -magnitude if negative else magnitude


def _range_pattern(minimum: int, maximum: int) -> str:
    """The digit strings (optional "+", leading zeros) whose value lies in [minimum, maximum], as a regex."""
    if minimum < 0:
        raise ValueError("only non-negative ranges are described")
    return "^\\+?0*(" + "|".join(str(n) for n in range(maximum, minimum - 1, -1)) + ")$"


@dataclass(frozen=True, slots=True)
class TournamentId:
    key: str
    description: str = "Tournament id."
    required: bool = True

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "uuid", "description": self.description, "example": ID_EXAMPLE}

    def read(self, body: Body) -> str:
        return tournament_id(_value(body, self.key), self.key)


@dataclass(frozen=True, slots=True)
class Club:
    key: str
    description: str
    choices: tuple[str, ...] = ()
    required: bool = True

    def schema(self) -> dict[str, Any]:
        if self.choices:
            return {"type": "string", "enum": list(self.choices), "description": self.description}
        return {"type": "string", "minLength": 1, "description": self.description}

    def read(self, body: Body) -> str | None:
        value = _value(body, self.key)
        if value is not None and not isinstance(value, str):
            raise RequestError(f"'{self.key}' must be a string.", code="InvalidType")
        return value


def object_schema(*fields: Field, description: str = "") -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {f.key: f.schema() for f in fields},
        "required": [f.key for f in fields if f.required],
    }
    if description:
        schema["description"] = description
    return schema
