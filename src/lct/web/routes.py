"""HTTP routes of the web app: the single page, its static files and the join-link QR code.

The page itself is plain static files (no build step). Every client-side screen URL serves the same
``index.html``; the script routes by ``location.pathname``. Under a path prefix (``LCT_ROOT_PATH``) the page is
served with the prefix written into its ``lct-root`` meta tag and its root-relative asset links, and the scripts
import each other relatively, so the app works under any prefix.
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

import segno
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from lct import application as app
from lct.config import Settings
from lct.domain.tournament import RoomCodeNotFound, parse_id
from lct.entrypoints.errors import error_response
from lct.entrypoints.proxy import FORWARDED_HOST
from lct.entrypoints.routing import Route
from lct.network import is_loopback, lan_address

STATIC_DIR: Final = Path(__file__).resolve().parent / "static"
SCREENS: Final = frozenset({"host", "join", "pick", "wait", "tv", "fixtures", "verify"})

_CONTENT_TYPES: Final = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".webmanifest": "application/manifest+json",
}
_HOST_RE: Final = re.compile(r"^[A-Za-z0-9.\-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$")
_PAGE_HEADERS: Final = {
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self' ws: wss:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
}


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str
    etag: str


@lru_cache(maxsize=128)
def _load_asset(path: Path, mtime_ns: int) -> Asset:
    body = path.read_bytes()
    return _asset_of(body, path.suffix, path.name, mtime_ns)


def _asset_of(body: bytes, suffix: str, name: str, mtime_ns: int) -> Asset:
    media_type = _CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0]
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + f'-{mtime_ns:x}"'
    return Asset(body, media_type or "application/octet-stream", etag)


def asset(relative: str) -> Asset | None:
    """The static file at ``relative`` (POSIX path), or None when it is missing or outside the folder."""
    if "\\" in relative or "\x00" in relative:
        return None
    candidate = (STATIC_DIR / relative).resolve()
    if not candidate.is_relative_to(STATIC_DIR) or not candidate.is_file():
        return None
    return _load_asset(candidate, candidate.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _page(root: str, source: Asset) -> Asset:
    """``index.html`` for a path prefix: the prefix in the ``lct-root`` meta tag and in root-relative links."""
    if not root:
        return source
    html = source.body.decode()
    html = html.replace('name="lct-root" content=""', f'name="lct-root" content="{root}"')
    html = html.replace('href="/', f'href="{root}/').replace('src="/', f'src="{root}/')
    return _asset_of(html.encode(), ".html", "index.html", hash(root) & 0xFFFF)


def serve(request: Request, item: Asset, status_code: int = 200) -> Response:
    headers = {**_PAGE_HEADERS, "ETag": item.etag}
    if status_code == 200 and item.etag in _if_none_match(request):
        return Response(status_code=304, headers=headers)
    return Response(item.body, status_code=status_code, media_type=item.media_type, headers=headers)


def _if_none_match(request: Request) -> set[str]:
    raw = request.headers.get("if-none-match", "")
    return {tag.strip().removeprefix("W/") for tag in raw.split(",") if tag.strip()}


def root(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


def index(request: Request, status_code: int = 200) -> Response:
    page = asset("index.html")
    if page is None:  # pragma: no cover - the package always ships index.html
        return error_response(500, "The web app files are not installed.", "WebAppMissing")
    return serve(request, _page(root(request), page), status_code)


@dataclass(frozen=True)
class Links:
    """Where phones should go: ``LCT_PUBLIC_URL`` if set; else the address the browser used, except that a
    loopback address (a host page opened at 127.0.0.1) is replaced by this machine's LAN address when the service
    listens on all interfaces. ``reachable`` is False when the result is still a loopback address."""

    public_url: str | None
    listens_everywhere: bool
    port: int

    def base(self, request: Request) -> tuple[str, bool]:
        if self.public_url:
            return self.public_url, True
        scheme = request.url.scheme
        host = str(request.scope.get(FORWARDED_HOST) or request.headers.get("host") or request.url.netloc)
        if not _HOST_RE.match(host):
            host = request.url.netloc
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if is_loopback(name):
            lan = lan_address() if self.listens_everywhere else None
            if lan is None:
                return f"{scheme}://{host}{root(request)}", False
            host = f"{lan}:{self.port}"
        return f"{scheme}://{host}{root(request)}", True

    def join_url(self, request: Request, tournament_id: str) -> str:
        return f"{self.base(request)[0]}/t/{tournament_id}/join"


def _qr(links: Links, request: Request, kind: str) -> Response:
    canonical = parse_id(request.path_params["tournament_id"])
    if canonical is None:
        return error_response(400, "The tournament id is not a valid id.", "InvalidField")
    qr = segno.make(links.join_url(request, canonical), error="m")
    buffer = io.BytesIO()
    if kind == "svg":
        qr.save(buffer, kind="svg", border=4, omitsize=True, xmldecl=False, dark="#000", light="#fff")
        media_type = "image/svg+xml"
    else:
        qr.save(buffer, kind="png", scale=8, border=4, dark="#000", light="#fff")
        media_type = "image/png"
    headers = {"Cache-Control": "no-cache", "Vary": "Host, X-Forwarded-Host, X-Forwarded-Proto"}
    return Response(buffer.getvalue(), media_type=media_type, headers=headers)


async def create_page(request: Request) -> Response:
    return index(request)


async def screen_page(request: Request) -> Response:
    raw, screen = request.path_params["tournament_id"], request.path_params["screen"]
    if screen not in SCREENS:
        return error_response(404, "There is no such page.", "NotFound")
    canonical = parse_id(raw)
    if canonical is None:
        return index(request, status_code=400)  # the page explains the broken link; the status tells tests
    if canonical != raw:
        return RedirectResponse(f"{root(request)}/t/{canonical}/{screen}", status_code=308)
    return index(request)


async def original_join_link(request: Request) -> Response:
    """The original frontend's registration link; its QR code pointed here."""
    canonical = parse_id(request.path_params["tournament_id"])
    if canonical is None:
        return index(request, status_code=400)
    return RedirectResponse(f"{root(request)}/t/{canonical}/join", status_code=307)


async def static_file(request: Request) -> Response:
    found = asset(request.path_params["path"])
    if found is None:
        return error_response(404, "There is no such file.", "NotFound")
    return serve(request, found)


def routes(ctx: app.Context, settings: Settings) -> tuple[Route, ...]:
    links = Links(settings.public_url, settings.host in ("0.0.0.0", "::", ""), settings.port)

    async def qr_svg(request: Request) -> Response:
        return _qr(links, request, "svg")

    async def qr_png(request: Request) -> Response:
        return _qr(links, request, "png")

    async def addresses(request: Request) -> Response:
        """The links a host page shows: join, room code, TV; ``phonesCanReach`` false on a loopback-only address."""
        canonical = parse_id(request.path_params["tournament_id"])
        if canonical is None:
            return error_response(400, "The tournament id is not a valid id.", "InvalidField")
        state = await app.get_tournament(ctx, canonical)
        base, reachable = links.base(request)
        body = {
            "join": f"{base}/t/{canonical}/join",
            "tv": f"{base}/t/{canonical}/tv",
            "code": f"{base}/j/{state.setup.code}" if state.setup.code else None,
            "base": base,
            "phonesCanReach": reachable,
        }
        return JSONResponse(body, headers={"Cache-Control": "no-cache"})

    async def by_code(request: Request) -> Response:
        """``/j/<code>``: the join page of the tournament with that room code (any case); an unknown code gets the
        page with 404, which explains it."""
        try:
            state = await app.find_by_code(ctx, request.path_params["code"])
        except RoomCodeNotFound:
            return index(request, status_code=404)
        return RedirectResponse(f"{root(request)}/t/{state.id}/join", status_code=302)

    return (
        Route("GET", "/", create_page),
        Route("GET", "/t/{tournament_id}/qr.svg", qr_svg),
        Route("GET", "/t/{tournament_id}/qr.png", qr_png),
        Route("GET", "/t/{tournament_id}/links", addresses),
        Route("GET", "/t/{tournament_id}/{screen}", screen_page),
        Route("GET", "/j/{code}", by_code),
        Route("GET", "/player/register/{tournament_id}", original_join_link),
        Route("GET", "/static/{path:path}", static_file),
    )
