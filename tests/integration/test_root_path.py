"""``LCT_ROOT_PATH``: a real ``lct serve`` behind a proxy that forwards the prefix unchanged serves every route
(REST, hub, web app and its assets and links, Swagger, health) under that prefix and nothing outside it."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator

import httpx
import pytest
import zxingcpp
from PIL import Image

from tests.integration.hub_client import Api, HubClient
from tests.support import Server, lct_server

ROOT = "/lct"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with lct_server(tmp_path_factory.mktemp("root"), {"LCT_ROOT_PATH": ROOT}) as running:
        yield running


@pytest.fixture
def http(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url + ROOT, timeout=10) as client:
        yield client


def create(http: httpx.Client) -> str:
    response = http.post("/api/Tournament/create", json={"name": f"root {uuid.uuid4().hex[:8]}", "playerLimit": 2})
    assert response.status_code == 200, response.text
    return str(response.json())


@pytest.mark.parametrize("path", ["/liveness", "/readiness", "/", "/static/app.js", "/swagger/index.html"])
def test_pages_and_health_answer_under_the_prefix_only(server: Server, http: httpx.Client, path: str) -> None:
    assert http.get(path).status_code == 200
    outside = httpx.get(server.url + path)
    assert outside.status_code == 404 and outside.json()["ErrorCode"] == "NotFound"


def test_the_rest_api_is_the_same_under_the_prefix(http: httpx.Client) -> None:
    tid = create(http)
    assert http.get(f"/api/tournament?id={tid}").status_code == 200  # case-insensitive paths, as without a prefix
    assert http.get(f"/API/TOURNAMENT/?ID={tid}").json()["id"] == tid
    refused = http.get(f"/api/Tournament?Id={tid}", headers={"api-version": "9"})
    assert refused.status_code == 400 and refused.json()["ErrorCode"] == "UnsupportedApiVersion"


def test_the_page_links_assets_and_the_api_document_carry_the_prefix(http: httpx.Client) -> None:
    page = http.get("/").text
    assert f'<meta name="lct-root" content="{ROOT}">' in page
    assert f'src="{ROOT}/static/app.js"' in page and 'src="/static/' not in page
    document = http.get("/swagger/v1/swagger.json").json()
    assert document["servers"] == [{"url": ROOT}]
    assert f"{ROOT}/swagger/v1/swagger.json" in http.get("/swagger/index.html").text


def test_the_qr_code_and_redirects_point_below_the_prefix(server: Server, http: httpx.Client) -> None:
    tid = create(http)
    image = Image.open(io.BytesIO(http.get(f"/t/{tid}/qr.png").content))
    [decoded] = [r.text for r in zxingcpp.read_barcodes(image)]
    assert decoded == f"{server.url}{ROOT}/t/{tid}/join"
    moved = http.get(f"/player/register/{tid}")
    assert moved.status_code == 307 and moved.headers["location"] == f"{ROOT}/t/{tid}/join"
    canonical = http.get(f"/t/{tid.upper()}/join")
    assert canonical.status_code == 308 and canonical.headers["location"] == f"{ROOT}/t/{tid}/join"


async def test_the_hub_works_under_the_prefix(server: Server) -> None:
    api = Api(server.url + ROOT)
    try:
        tid = await api.create(f"root hub {uuid.uuid4().hex[:8]}")
        async with HubClient.connect(server.ws_url + ROOT, tid) as hub:
            await api.assign(tid, "Jan", "Nowak")
            assert (await hub.next_payload())["type"] == "PlayerAssigned"
    finally:
        await api.aclose()
