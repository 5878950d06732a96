"""Proxy headers only from trusted proxies, seen where they matter: the join link in the QR code (decoded from the
PNG, as a phone's camera would). A client that is not a trusted proxy cannot make the service print a QR code that
sends phones to ``evil.example``; a trusted proxy (the default, 127.0.0.1) can report the public host."""

from __future__ import annotations

import io
from collections.abc import Iterator

import httpx
import pytest
import zxingcpp
from PIL import Image

from tests.support import Server, lct_server

TID = "0b7f3a3e-5b0e-4c55-9d0e-2f4e7c1a9b10"
SPOOFED = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}


@pytest.fixture(scope="module")
def untrusted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Trusts only a proxy at 10.0.0.1: the test client at 127.0.0.1 is an ordinary client."""
    with lct_server(tmp_path_factory.mktemp("untrusted"), {"LCT_FORWARDED_ALLOW_IPS": "10.0.0.1"}) as started:
        yield started


@pytest.fixture(scope="module")
def trusted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The default: the proxy on this machine (127.0.0.1) is trusted."""
    with lct_server(tmp_path_factory.mktemp("trusted")) as started:
        yield started


def qr_text(server: Server, headers: dict[str, str]) -> list[str]:
    response = httpx.get(f"{server.url}/t/{TID}/qr.png", headers=headers)
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def test_an_untrusted_client_cannot_move_the_qr_code_to_its_host(untrusted: Server) -> None:
    assert qr_text(untrusted, SPOOFED) == [f"http://127.0.0.1:{untrusted.port}/t/{TID}/join"]
    assert qr_text(untrusted, {"X-Forwarded-Host": "evil.example"}) == qr_text(untrusted, {})


def test_a_trusted_proxy_reports_the_public_scheme_and_host(trusted: Server) -> None:
    assert qr_text(trusted, SPOOFED) == [f"https://evil.example/t/{TID}/join"]


@pytest.mark.parametrize("fixture", ["untrusted", "trusted"])
def test_without_forwarded_headers_the_qr_code_names_the_host_the_browser_used(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    server: Server = request.getfixturevalue(fixture)
    assert qr_text(server, {}) == [f"http://127.0.0.1:{server.port}/t/{TID}/join"]
