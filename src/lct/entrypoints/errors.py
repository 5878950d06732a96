"""Errors at the HTTP boundary: one JSON shape for all of them, mapped in one place.

Body: ``{"RequestId": "...", "ErrorMessage": "human text", "ErrorCode": "StableName"}`` with a JSON content
type; ``RequestId`` is the id of the request being handled, the same as its ``X-Request-ID`` response header.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import orjson
from starlette.responses import Response

from lct.adapters.store import StoreUnavailable
from lct.application import Busy
from lct.context import current_request_id
from lct.domain.errors import DomainError, Forbidden, InvalidInput, NotFound, Unauthorized

JSON_TYPE = "application/json; charset=utf-8"
log = logging.getLogger("lct.http")


class RequestError(Exception):
    """Bad input caught at the boundary (wrong JSON, wrong types, missing fields), or a refusal of the HTTP layer
    itself (limits, authentication)."""

    def __init__(
        self, message: str, status: int = 400, code: str = "InvalidRequest", headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.headers = dict(headers or {})


class BodyTooLarge(RequestError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"The request body is larger than {limit // 1024} KiB.", 413, "PayloadTooLarge")


def error_response(status: int, message: str, code: str, headers: Mapping[str, str] | None = None) -> Response:
    body = orjson.dumps({"RequestId": current_request_id(), "ErrorMessage": message, "ErrorCode": code})
    return Response(body, status_code=status, media_type=JSON_TYPE, headers=headers)


def status_of(error: DomainError) -> int:
    """The one place a domain error becomes an HTTP status."""
    if isinstance(error, InvalidInput):
        return 400
    if isinstance(error, Unauthorized):
        return 401
    if isinstance(error, Forbidden):
        return 403
    if isinstance(error, NotFound):
        return 404
    return 409


def response_for(exc: Exception) -> Response | None:
    """The error response for an exception the service expects, or None for a bug (the caller answers 500)."""
    if isinstance(exc, DomainError):
        challenge = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
        return error_response(status_of(exc), exc.message, exc.code, challenge)
    if isinstance(exc, RequestError):
        return error_response(exc.status, exc.message, exc.code, exc.headers)
    if isinstance(exc, StoreUnavailable):
        log.error("store unavailable", extra={"event.action": "store-unavailable", "error.message": str(exc)})
        return error_response(
            503, "The database is unavailable right now; nothing was changed. Try again shortly.", "ServiceUnavailable"
        )
    if isinstance(exc, Busy):
        return error_response(503, "This tournament is busy right now; nothing was changed. Try again.", "Busy")
    return None


def not_found() -> Response:
    return error_response(404, "There is nothing at this address.", "NotFound")


def method_not_allowed(allowed: frozenset[str]) -> Response:
    return error_response(
        405, "This method is not allowed here.", "MethodNotAllowed", {"Allow": ", ".join(sorted(allowed))}
    )


def internal_error() -> Response:
    return error_response(500, "Unexpected server error. Report the RequestId.", "InternalError")
