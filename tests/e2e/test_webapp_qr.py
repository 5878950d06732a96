"""The web app's own routes: pages, static files, redirects and the join-link QR code (decoded for real)."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
import zxingcpp
from PIL import Image, ImageDraw

from lct.config import Settings
from lct.entrypoints.http import create_app

TID = "0b7f3a3e-5b0e-4c55-9d0e-2f4e7c1a9b10"


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(database_url="memory://"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://lct.test:8080") as c:
        yield c


def decode(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def rasterise_segno_svg(svg: str, scale: int = 8) -> Image.Image:
    """Draw segno's SVG path ("M x y" absolute, "h n" runs, "m dx dy" relative moves) as a bitmap.

    An independent reading of the SVG: if the path does not describe the same modules, decoding fails.
    """
    view = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    assert view, svg[:200]
    width, height = int(view.group(1)), int(view.group(2))
    path = re.search(r'<path[^>]*stroke="#000"[^>]* d="([^"]+)"', svg)
    assert path, svg[:300]
    image = Image.new("L", (width * scale, height * scale), 255)
    pen = ImageDraw.Draw(image)
    x = y = 0.0
    for command, args in re.findall(r"([MmHhVv])([-\d.\s]+)", path.group(1)):
        numbers = [float(n) for n in args.split()]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        elif command == "h":
            left, x = x, x + numbers[0]
            row = int(y)  # the stroke runs through the middle of a module row (y = row + 0.5)
            pen.rectangle((left * scale, row * scale, x * scale - 1, (row + 1) * scale - 1), fill=0)
        else:
            raise AssertionError(f"unexpected path command {command!r}")
    return image


async def test_qr_png_decodes_to_exactly_the_join_url(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/t/{TID}/qr.png")

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert decode(Image.open(io.BytesIO(response.content))) == [f"http://lct.test:8080/t/{TID}/join"]


async def test_qr_svg_encodes_the_same_join_url(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/t/{TID}/qr.svg")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.text.lstrip().startswith("<svg")
    assert decode(rasterise_segno_svg(response.text)) == [f"http://lct.test:8080/t/{TID}/join"]


async def test_qr_follows_forwarded_scheme_and_host(client: httpx.AsyncClient) -> None:
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "lct.example.org"}

    png = await client.get(f"/t/{TID}/qr.png", headers=headers)
    svg = await client.get(f"/t/{TID}/qr.svg", headers=headers)

    expected = [f"https://lct.example.org/t/{TID}/join"]
    assert decode(Image.open(io.BytesIO(png.content))) == expected
    assert decode(rasterise_segno_svg(svg.text)) == expected


async def test_qr_ignores_a_forwarded_host_that_is_not_a_host(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/t/{TID}/qr.png", headers={"X-Forwarded-Host": "evil.test/<script>"})

    assert decode(Image.open(io.BytesIO(response.content))) == [f"http://lct.test:8080/t/{TID}/join"]


@pytest.mark.parametrize("path", ["/t/not-a-guid/qr.svg", "/t/not-a-guid/qr.png", '/t/"/qr.svg'])
async def test_qr_of_a_malformed_id_is_400_with_an_error_body(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)

    assert response.status_code == 400
    body = response.json()
    assert body["ErrorCode"] == "InvalidField"
    assert uuid.UUID(body["RequestId"])
    assert body["ErrorMessage"]


@pytest.mark.parametrize("path", ["/", f"/t/{TID}/host", f"/t/{TID}/join", f"/t/{TID}/pick", f"/t/{TID}/wait"])
async def test_every_screen_serves_the_single_page(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert '<script type="module" src="/static/app.js"></script>' in response.text
    assert '<main id="main"' in response.text


async def test_unknown_screen_is_404(client: httpx.AsyncClient) -> None:
    assert (await client.get(f"/t/{TID}/admin")).status_code == 404


async def test_screen_with_a_malformed_id_still_serves_the_page_that_explains_it(client: httpx.AsyncClient) -> None:
    response = await client.get("/t/nope/join")

    assert response.status_code == 400
    assert '<main id="main"' in response.text


async def test_upper_case_id_redirects_to_the_canonical_one(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/t/{TID.upper()}/pick")

    assert response.status_code == 308
    assert response.headers["location"] == f"/t/{TID}/pick"


async def test_original_registration_link_redirects_to_join(client: httpx.AsyncClient) -> None:
    response = await client.get(f"/player/register/{TID}")

    assert response.status_code == 307
    assert response.headers["location"] == f"/t/{TID}/join"


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/static/app.js", "text/javascript; charset=utf-8"),
        ("/static/app.css", "text/css; charset=utf-8"),
        ("/static/index.html", "text/html; charset=utf-8"),
        ("/static/favicon.svg", "image/svg+xml"),
    ],
)
async def test_static_files_have_their_content_type_and_revalidate(
    client: httpx.AsyncClient, path: str, content_type: str
) -> None:
    response = await client.get(path)

    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert response.headers["x-content-type-options"] == "nosniff"
    etag = response.headers["etag"]
    again = await client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize(
    "path",
    [
        "/static/../routes.py",
        "/static/%2e%2e/routes.py",
        "/static/..%2Froutes.py",
        "/static/%2e%2e/%2e%2e/web/routes.py",
        "/static/missing.js",
        "/static/",
        "/static/..%5Croutes.py",
    ],
)
async def test_static_files_cannot_escape_their_folder(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)

    assert response.status_code == 404
    assert b"import" not in response.content


async def test_page_forbids_inline_and_foreign_scripts(client: httpx.AsyncClient) -> None:
    csp = (await client.get("/")).headers["content-security-policy"]

    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
