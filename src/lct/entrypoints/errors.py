"""Errors at the HTTP boundary: one JSON shape for all of them, mapped in one place.

Body: ``{"RequestId": "...", "ErrorMessage": "human text", "ErrorCode": "StableName"}`` with a JSON content
type; ``RequestId`` is the same id as the ``X-Request-ID`` response header.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from lct.adapters.store import StoreUnavailable
from lct.application import Busy
from lct.domain.tournament import DomainError, InvalidInput, TournamentNotFound

JSON_TYPE = "application/json; charset=utf-8"
request_id_var: ContextVar[str] = ContextVar("request_id", default="")
log = logging.getLogger("lct.http")


class RequestError(Exception):
    """Bad input caught at the boundary (wrong JSON, wrong types, missing fields)."""

    def __init__(self, message: str, status: int = 400, code: str = "InvalidRequest") -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code


class BodyTooLarge(RequestError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"The request body is larger than {limit // 1024} KiB.", 413, "PayloadTooLarge")


def error_response(status: int, message: str, code: str) -> Response:
    body = orjson.dumps({"RequestId": request_id_var.get(), "ErrorMessage": message, "ErrorCode": code})
    return Response(body, status_code=status, media_type=JSON_TYPE)


def status_of(error: DomainError) -> int:
    if isinstance(error, InvalidInput):
        return 400
    if isinstance(error, TournamentNotFound):
        return 404
    return 409


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    return error_response(status_of(exc), exc.message, exc.code)


async def _request_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestError)
    return error_response(exc.status, exc.message, exc.code)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
    return error_response(400, f"{where}: {first.get('msg')}" if where else str(first.get("msg")), "InvalidRequest")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    messages = {404: "There is nothing at this address.", 405: "This method is not allowed here."}
    codes = {404: "NotFound", 405: "MethodNotAllowed"}
    response = error_response(
        exc.status_code,
        messages.get(exc.status_code, str(exc.detail)),
        codes.get(exc.status_code, "HttpError"),
    )
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _unavailable(request: Request, exc: Exception) -> Response:
    log.error("store unavailable", extra={"event.action": "store-unavailable", "error.message": str(exc)})
    return error_response(
        503,
        "The database is unavailable right now; nothing was changed. Try again shortly.",
        "ServiceUnavailable",
    )


async def _busy(request: Request, exc: Exception) -> Response:
    return error_response(503, "This tournament is busy right now; nothing was changed. Try again.", "Busy")


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestError, _request_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(StoreUnavailable, _unavailable)
    app.add_exception_handler(Busy, _busy)
