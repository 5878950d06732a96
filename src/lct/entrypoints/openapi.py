"""OpenAPI documents and the Swagger UI, generated from the routing table's declarations.

One document per API version (``/swagger/v1/swagger.json``, ``/swagger/v2/swagger.json``), each built from the
``Doc`` of the routes of that version, so a route and its documentation are one declaration. The Swagger UI is served
from the assets bundled with the ``fastapi-offline`` package (no CDN).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import orjson
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from lct import __version__
from lct.entrypoints.errors import error_response
from lct.entrypoints.routing import Answer, Doc, Route, template_params


@dataclass(frozen=True, slots=True)
class Api:
    key: str
    title: str
    description: str

    @property
    def url(self) -> str:
        return f"/swagger/{self.key}/swagger.json"


def document(api: Api, routes: Iterable[Route], root: str = "") -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    bearer = False
    for route in routes:
        if route.doc is None or route.doc.api != api.key:
            continue
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, route.doc)
        bearer = bearer or route.doc.bearer
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": api.title, "version": __version__, "description": api.description},
        "paths": paths,
    }
    if root:
        doc["servers"] = [{"url": root}]
    if bearer:
        doc["components"] = {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}}
    return doc


def _operation(route: Route, doc: Doc) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": doc.summary,
        "operationId": f"{route.method.lower()}_{_slug(route.path)}",
        "responses": {str(a.status): _answer(a) for a in doc.answers},
    }
    if doc.description:
        operation["description"] = doc.description
    if doc.tags:
        operation["tags"] = list(doc.tags)
    params = [_param(p.name, p.where, p.schema, p.description, p.required) for p in doc.params]
    declared = {p.name for p in doc.params}
    params += [
        _param(n, "path", {"type": "string"}, "", True) for n in template_params(route.path) if n not in declared
    ]
    if params:
        operation["parameters"] = params
    if doc.body is not None:
        operation["requestBody"] = {
            "required": doc.body_required,
            "content": {"application/json": {"schema": doc.body}},
        }
    if doc.bearer:
        operation["security"] = [{"bearer": []}]
    return operation


def _param(name: str, where: str, schema: Mapping[str, Any], description: str, required: bool) -> dict[str, Any]:
    param: dict[str, Any] = {"name": name, "in": where, "required": required, "schema": dict(schema)}
    if description:
        param["description"] = description
    return param


def _answer(answer: Answer) -> dict[str, Any]:
    out: dict[str, Any] = {"description": answer.description}
    if answer.schema is not None:
        out["content"] = {answer.media_type: {"schema": answer.schema}}
    if answer.headers:
        out["headers"] = {
            name: {"description": text, "schema": {"type": "string"}} for name, text in answer.headers.items()
        }
    return out


def _slug(path: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in path).strip("_").lower()


# --- Swagger UI ------------------------------------------------------------------------------------------------

_SWAGGER_PAGE: Final = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>LetChooseTeams API</title>
<link rel="stylesheet" href="{root}/swagger/static/swagger-ui.css">
<link rel="icon" href="{root}/swagger/static/favicon.png"></head>
<body><nav style="font: 16px sans-serif; padding: 12px 20px">API version: {links}</nav><div id="swagger-ui"></div>
<script src="{root}/swagger/static/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({{url: {url}, dom_id: "#swagger-ui", deepLinking: true}});</script>
</body></html>"""


def _assets_dir() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


def swagger_routes(apis: tuple[Api, ...], all_routes: tuple[Route, ...]) -> tuple[Route, ...]:
    """The Swagger UI and one document route per API (documents are built once per path prefix)."""
    cache: dict[tuple[str, str], bytes] = {}

    def root_of(request: Request) -> str:
        return str(request.scope.get("root_path", "")).rstrip("/")

    def document_route(api: Api) -> Route:
        async def endpoint(request: Request) -> Response:
            key = (api.key, root_of(request))
            if key not in cache:
                cache[key] = orjson.dumps(document(api, all_routes, key[1]))
            return Response(cache[key], media_type="application/json")

        return Route("GET", api.url, endpoint)

    async def page(request: Request) -> Response:
        """Swagger UI for one document (``?api=v2``; the first one by default) and links to the others."""
        root = root_of(request)
        chosen = next((api for api in apis if api.key == request.query_params.get("api")), apis[0])
        links = " | ".join(
            f"<b>{api.key}</b>"
            if api is chosen
            else f'<a href="{html.escape(root)}/swagger/index.html?api={api.key}">{api.key}</a>'
            for api in apis
        )
        url = orjson.dumps(root + chosen.url).decode()
        return HTMLResponse(_SWAGGER_PAGE.format(root=html.escape(root), links=links, url=url))

    async def redirect(request: Request) -> Response:
        return RedirectResponse(f"{root_of(request)}/swagger/index.html")

    async def asset(request: Request) -> Response:
        name = request.path_params["path"]
        path = (_assets_dir() / name).resolve()
        if "/" in name or not path.is_file():
            return error_response(404, "There is no such file.", "NotFound")
        media = "text/css" if name.endswith(".css") else "text/javascript" if name.endswith(".js") else "image/png"
        return Response(path.read_bytes(), media_type=media, headers={"Cache-Control": "public, max-age=86400"})

    return (
        Route("GET", "/swagger/index.html", page),
        Route("GET", "/swagger", redirect),
        Route("GET", "/swagger/static/{path:path}", asset),
        *(document_route(api) for api in apis),
    )
