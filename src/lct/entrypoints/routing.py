"""The routing table: every HTTP and WebSocket route of the service is one ``Route`` declaration.

A route names its method, its path template (``/api/v2/tournaments/{id}``, ``/static/{path:path}``), its endpoint,
whether its literal path segments match case-insensitively (the REST v1 contract), which ``api-version`` header
values it accepts, and its OpenAPI documentation. ``Router`` finds the route of a request; the application
(``entrypoints/http.py``) runs the same pipeline around every route; ``entrypoints/openapi.py`` builds the OpenAPI
documents from the same declarations, so the document cannot drift from what is served.

Matching: exact paths are dictionary lookups (the canonical spelling first, then the case-folded one), templates
are anchored regular expressions; one trailing slash is tolerated; ``HEAD`` is served by the ``GET`` route; a path
that exists with other methods is a 405 with ``Allow``.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

Endpoint = Callable[[Request], Awaitable[Response]]
SocketEndpoint = Callable[[Scope, Receive, Send], Awaitable[None]]
Schema = Mapping[str, Any]
_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(:path)?\}")


@dataclass(frozen=True, slots=True)
class Param:
    """A documented query or path parameter."""

    name: str
    where: str  # "query" | "path" | "header"
    schema: Schema
    description: str = ""
    required: bool = True


@dataclass(frozen=True, slots=True)
class Answer:
    """One documented response: its status, what it means and its JSON body schema (None = no body)."""

    status: int
    description: str
    schema: Schema | None = None
    media_type: str = "application/json"
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Doc:
    """The OpenAPI operation of a route. ``api`` names the document it belongs to ("v1" or "v2")."""

    api: str
    summary: str
    answers: tuple[Answer, ...]
    description: str = ""
    params: tuple[Param, ...] = ()
    body: Schema | None = None
    body_required: bool = True
    tags: tuple[str, ...] = ()
    bearer: bool = False


@dataclass(frozen=True, slots=True)
class Route:
    method: str
    path: str
    endpoint: Endpoint
    doc: Doc | None = None
    case_insensitive: bool = False
    api_versions: frozenset[str] | None = None
    """Accepted values of the ``api-version`` header; None: the header is not read."""
    rate_limited: bool = False
    """A write route: counted against the client's request budget (``LCT_RATE_LIMIT``)."""


@dataclass(frozen=True, slots=True)
class SocketRoute:
    path: str
    endpoint: SocketEndpoint


@dataclass(frozen=True, slots=True)
class Found:
    route: Route
    params: dict[str, str]


@dataclass(frozen=True, slots=True)
class NotAllowed:
    allowed: frozenset[str]


class Router:
    def __init__(self, routes: Iterable[Route], sockets: Iterable[SocketRoute] = ()) -> None:
        self.routes = tuple(routes)
        self._exact: dict[tuple[str, str], Route] = {}
        self._folded: dict[tuple[str, str], Route] = {}
        self._templates: list[tuple[re.Pattern[str], Route]] = []
        for route in self.routes:
            self._add(route)
        self._sockets = {s.path: s for s in sockets}

    def _add(self, route: Route) -> None:
        if _PARAM.search(route.path):
            self._templates.append((_compile(route), route))
            return
        key = (route.method, route.path)
        if key in self._exact:
            raise ValueError(f"route declared twice: {route.method} {route.path}")
        self._exact[key] = route
        if route.case_insensitive:
            self._folded[(route.method, route.path.lower())] = route

    def find(self, method: str, path: str) -> Found | NotAllowed | None:
        if len(path) > 1 and path.endswith("/"):
            path = path[:-1]
        found = self._lookup(method, path)
        if found is None and method == "HEAD":
            found = self._lookup("GET", path)
        if found is not None:
            return found
        allowed = self._allowed(path)
        return NotAllowed(allowed) if allowed else None

    def _lookup(self, method: str, path: str) -> Found | None:
        route = self._exact.get((method, path)) or self._folded.get((method, path.lower()))
        if route is not None:
            return Found(route, {})
        for pattern, candidate in self._templates:
            if candidate.method == method and (match := pattern.match(path)):
                return Found(candidate, match.groupdict())
        return None

    def _allowed(self, path: str) -> frozenset[str]:
        methods = {m for m in _METHODS if self._lookup(m, path) is not None}
        if "GET" in methods:
            methods.add("HEAD")
        return frozenset(methods)

    def socket(self, path: str) -> SocketRoute | None:
        return self._sockets.get(path)


_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _compile(route: Route) -> re.Pattern[str]:
    parts: list[str] = []
    position = 0
    for match in _PARAM.finditer(route.path):
        parts.append(_literal(route.path[position : match.start()], route.case_insensitive))
        name, is_path = match.group(1), match.group(2)
        parts.append(f"(?P<{name}>{'.+' if is_path else '[^/]+'})")
        position = match.end()
    parts.append(_literal(route.path[position:], route.case_insensitive))
    return re.compile("^" + "".join(parts) + "$")


def _literal(text: str, case_insensitive: bool) -> str:
    if not text:
        return ""
    escaped = re.escape(text)
    return f"(?i:{escaped})" if case_insensitive else escaped


def template_params(path: str) -> list[str]:
    return [m.group(1) for m in _PARAM.finditer(path)]
