"""HTTP routes of the web app: the single page, its static files and the join-link QR code.

The page itself is plain static files (no build step). Every client-side screen URL serves the same
``index.html``; the script routes by ``location.pathname``.
"""

import hashlib
import io
import mimetypes
import re
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

import segno
from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse

STATIC_DIR: Final = Path(__file__).resolve().parent / "static"
SCREENS: Final = frozenset({"host", "join", "pick", "wait"})

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

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class _Asset:
    body: bytes
    media_type: str
    etag: str


@lru_cache(maxsize=64)
def _load_asset(path: Path, mtime_ns: int) -> _Asset:
    body = path.read_bytes()
    media_type = _CONTENT_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0]
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + f'-{mtime_ns:x}"'
    return _Asset(body, media_type or "application/octet-stream", etag)


def _asset(relative: str) -> _Asset | None:
    """The static file at ``relative`` (POSIX path), or None when it is missing or outside the folder."""
    if "\\" in relative or "\x00" in relative:
        return None
    candidate = (STATIC_DIR / relative).resolve()
    if not candidate.is_relative_to(STATIC_DIR) or not candidate.is_file():
        return None
    return _load_asset(candidate, candidate.stat().st_mtime_ns)


def _serve(request: Request, asset: _Asset, status_code: int = 200) -> Response:
    headers = {**_PAGE_HEADERS, "ETag": asset.etag}
    if status_code == 200 and asset.etag in _if_none_match(request):
        return Response(status_code=304, headers=headers)
    return Response(asset.body, status_code=status_code, media_type=asset.media_type, headers=headers)


def _if_none_match(request: Request) -> set[str]:
    raw = request.headers.get("if-none-match", "")
    return {tag.strip().removeprefix("W/") for tag in raw.split(",") if tag.strip()}


def _error(status_code: int, code: str, message: str) -> JSONResponse:
    body = {"RequestId": str(uuid.uuid4()), "ErrorMessage": message, "ErrorCode": code}
    return JSONResponse(body, status_code=status_code)


def _canonical_id(raw: str) -> str | None:
    """The lower-case hyphenated form of a tournament id, or None when ``raw`` is not a UUID."""
    if len(raw) != 36:
        return None
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return None


def _index(request: Request, status_code: int = 200) -> Response:
    asset = _asset("index.html")
    if asset is None:  # pragma: no cover - the package always ships index.html
        return _error(500, "WebAppMissing", "The web app files are not installed.")
    return _serve(request, asset, status_code)


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


def public_base_url(request: Request) -> str:
    """``scheme://host[/root]`` as the browser sees it, honouring ``X-Forwarded-Proto``/``-Host``."""
    scheme = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    if scheme not in {"http", "https"}:
        scheme = request.url.scheme
    host = request.headers.get("x-forwarded-host", "").split(",")[0].strip()
    if not _HOST_RE.match(host):
        host = request.headers.get("host", "")
    if not _HOST_RE.match(host):
        host = request.url.netloc
    return f"{scheme}://{host}{_root(request)}"


def join_url(request: Request, tournament_id: str) -> str:
    return f"{public_base_url(request)}/t/{tournament_id}/join"


def _qr(request: Request, tournament_id: str, kind: str) -> Response:
    canonical = _canonical_id(tournament_id)
    if canonical is None:
        return _error(400, "InvalidField", "The tournament id is not a valid id.")
    qr = segno.make(join_url(request, canonical), error="m")
    buffer = io.BytesIO()
    if kind == "svg":
        qr.save(buffer, kind="svg", border=4, omitsize=True, xmldecl=False, dark="#000", light="#fff")
        media_type = "image/svg+xml"
    else:
        qr.save(buffer, kind="png", scale=8, border=4, dark="#000", light="#fff")
        media_type = "image/png"
    headers = {"Cache-Control": "no-cache", "Vary": "Host, X-Forwarded-Host, X-Forwarded-Proto"}
    return Response(buffer.getvalue(), media_type=media_type, headers=headers)


@router.get("/t/{tournament_id}/qr.svg")
async def qr_svg(request: Request, tournament_id: str) -> Response:
    return _qr(request, tournament_id, "svg")


@router.get("/t/{tournament_id}/qr.png")
async def qr_png(request: Request, tournament_id: str) -> Response:
    return _qr(request, tournament_id, "png")


@router.get("/")
async def create_page(request: Request) -> Response:
    return _index(request)


@router.get("/t/{tournament_id}/{screen}")
async def screen_page(request: Request, tournament_id: str, screen: str) -> Response:
    if screen not in SCREENS:
        return _error(404, "NotFound", "There is no such page.")
    canonical = _canonical_id(tournament_id)
    if canonical is None:
        # The page explains the broken link itself; the status tells crawlers and tests.
        return _index(request, status_code=400)
    if canonical != tournament_id:
        return RedirectResponse(f"{_root(request)}/t/{canonical}/{screen}", status_code=308)
    return _index(request)


@router.get("/player/register/{tournament_id}")
async def original_join_link(request: Request, tournament_id: str) -> Response:
    """The original frontend's registration link; its QR code pointed here."""
    canonical = _canonical_id(tournament_id)
    if canonical is None:
        return _index(request, status_code=400)
    return RedirectResponse(f"{_root(request)}/t/{canonical}/join", status_code=307)


@router.get("/static/{path:path}")
async def static_file(request: Request, path: str) -> Response:
    asset = _asset(path)
    if asset is None:
        return _error(404, "NotFound", "There is no such file.")
    return _serve(request, asset)
