"""The couch night, server side: join links phones can reach, gzip, HEAD on every GET route (issue 13)."""

from __future__ import annotations

import gzip
import io
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import zxingcpp
from PIL import Image

from lct.config import Settings
from lct.entrypoints.http import create_app
from lct.network import is_loopback, lan_address
from tests.support import Server, lct_server


def create(server: Server) -> tuple[str, str]:
    response = httpx.post(server.url + "/api/v2/tournaments", json={"name": f"couch {uuid.uuid4().hex}", "seats": 2})
    assert response.status_code == 201
    state = response.json()["tournament"]
    return state["id"], state["code"]


def decoded_qr(server: Server, tid: str) -> str:
    image = Image.open(io.BytesIO(httpx.get(f"{server.url}/t/{tid}/qr.png").content))
    [result] = [r.text for r in zxingcpp.read_barcodes(image)]
    return result


@pytest.fixture(scope="module")
def everywhere(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Listening on all interfaces, as scripts/serve does (the tests only ever talk to 127.0.0.1)."""
    with lct_server(tmp_path_factory.mktemp("all"), host="0.0.0.0") as running:
        yield running


def test_a_host_page_opened_at_127_0_0_1_gets_the_lan_address_for_phones(everywhere: Server) -> None:
    lan = lan_address()
    assert lan is not None and not is_loopback(lan), "this test needs a machine with a LAN address"
    tid, code = create(everywhere)
    links = httpx.get(f"{everywhere.url}/t/{tid}/links").json()
    expected = f"http://{lan}:{everywhere.port}"
    assert links == {
        "join": f"{expected}/t/{tid}/join",
        "tv": f"{expected}/t/{tid}/tv",
        "code": f"{expected}/j/{code}",
        "base": expected,
        "phonesCanReach": True,
    }
    assert decoded_qr(everywhere, tid) == links["join"]


def test_only_on_loopback_the_page_says_phones_cannot_reach_it(tmp_path: Path) -> None:
    with lct_server(tmp_path) as loopback_only:
        tid, _ = create(loopback_only)
        links = httpx.get(f"{loopback_only.url}/t/{tid}/links").json()
    assert links["phonesCanReach"] is False and links["join"].startswith(loopback_only.url)


def test_a_public_url_wins(tmp_path: Path) -> None:
    with lct_server(tmp_path, {"LCT_PUBLIC_URL": "https://lct.example.org/cup"}, host="0.0.0.0") as server:
        tid, _ = create(server)
        assert httpx.get(f"{server.url}/t/{tid}/links").json()["join"] == f"https://lct.example.org/cup/t/{tid}/join"
        assert decoded_qr(server, tid) == f"https://lct.example.org/cup/t/{tid}/join"


def test_a_room_code_link_leads_to_the_join_page(everywhere: Server) -> None:
    tid, code = create(everywhere)
    moved = httpx.get(f"{everywhere.url}/j/{code.lower()}")
    assert moved.status_code == 302 and moved.headers["location"] == f"/t/{tid}/join"
    unknown = httpx.get(f"{everywhere.url}/j/ZZZZZZ")
    assert unknown.status_code == 404 and "text/html" in unknown.headers["content-type"]


# --- gzip and HEAD -----------------------------------------------------------------------------------------------


@pytest.fixture
async def client(tmp_path: Path) -> httpx.AsyncClient:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'c.db'}"))
    async with (
        app.lifespan_context(),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lct.test") as c,
    ):
        c.app = app  # type: ignore[attr-defined]
        yield c


async def test_text_assets_and_big_api_responses_are_gzipped_when_asked(client: httpx.AsyncClient) -> None:
    plain = await client.get("/static/app.js", headers={"Accept-Encoding": "identity"})
    packed = await client.get("/static/app.js", headers={"Accept-Encoding": "gzip, br"})
    assert "content-encoding" not in plain.headers
    assert packed.headers["content-encoding"] == "gzip" and "Accept-Encoding" in packed.headers["vary"]
    assert int(packed.headers["content-length"]) < len(plain.content) // 2
    assert packed.content == plain.content  # httpx decodes: the same bytes
    created = await client.post("/api/v2/tournaments", json={"name": "big", "seats": 2, "catalogue": "european-clubs"})
    state = await client.get(
        f"/api/v2/tournaments/{created.json()['tournament']['id']}", headers={"Accept-Encoding": "gzip"}
    )
    assert state.headers["content-encoding"] == "gzip" and state.json()["catalogue"] == "european-clubs"
    small = await client.get("/liveness", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers


async def test_head_answers_every_get_route_like_get_without_a_body(client: httpx.AsyncClient) -> None:
    tid = (await client.post("/api/v2/tournaments", json={"name": "heads", "seats": 2})).json()["tournament"]["id"]
    paths = [
        "/",
        "/static/app.js",
        "/liveness",
        "/readiness",
        "/metrics",
        f"/t/{tid}/join",
        f"/t/{tid}/qr.svg",
        f"/api/Tournament?Id={tid}",
        f"/api/v2/tournaments/{tid}",
        "/swagger/index.html",
        "/swagger/v2/swagger.json",
    ]
    get_routes = {r.path for r in client.app.router.routes if r.method == "GET"}  # type: ignore[attr-defined]
    assert len(get_routes) >= 15
    for path in paths:
        got, head = await client.get(path), await client.head(path)
        assert (head.status_code, head.headers.get("content-type")) == (
            got.status_code,
            got.headers.get("content-type"),
        )
        assert got.status_code == 200, path


def test_gzip_is_decodable_by_hand() -> None:
    assert gzip.decompress(gzip.compress(b"x" * 2000, mtime=0)) == b"x" * 2000
