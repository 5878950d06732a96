"""The draw-verification page (/t/<id>/verify) and the pure-JS SHA-256 fallback in a real browser (Playwright
driving Debian's Chromium) against a real ``lct serve`` under a path prefix (LCT_ROOT_PATH=/lct).

WebCrypto (crypto.subtle) exists only in secure contexts: HTTPS, localhost, 127.0.0.1. Phones on the couch reach
the service at http://<LAN address>, where it is missing. To be in exactly that situation the browser also opens
the service as http://lct.test:<port>: Chromium maps the name to 127.0.0.1 (--host-resolver-rules, no DNS, no
network), but for the page it is an ordinary insecure origin — window.isSecureContext is false and crypto.subtle
is undefined, as on a phone, with nothing of the browser patched.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from lct.domain import draw
from tests.e2e.test_fixtures_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    SCHEMES,
    SIZES,
    accessibility_problems,
    drawn_cup,
    no_horizontal_overflow,
    shot,
)
from tests.support import lct_server
from tests.unit.test_draw import VECTORS

ROOT = "/lct"
INSECURE_HOST = "lct.test"

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The origin of a real ``lct serve`` (its pages are under ROOT)."""
    with lct_server(tmp_path_factory.mktemp("verify"), {"LCT_ROOT_PATH": ROOT}) as running:
        yield running.url


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    expect.set_options(timeout=10_000)
    args = [*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {INSECURE_HOST} 127.0.0.1"]
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
    yield browser
    browser.close()


@pytest.fixture
def api(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server + ROOT, timeout=10) as client:
        yield client


Opener = Callable[..., Page]


@pytest.fixture
def open_page(browser: Browser, server: str) -> Iterator[Opener]:
    """open_page(path, secure=True, viewport=PHONE, scheme="light", prepare=None) -> a page at ROOT + path, on the
    loopback origin (secure: WebCrypto) or on http://lct.test (insecure: no WebCrypto); `prepare(page)` runs first
    (to route requests)."""
    contexts: list[BrowserContext] = []
    errors: list[str] = []

    def open_it(
        path: str,
        *,
        secure: bool = True,
        viewport: dict[str, int] = PHONE,
        scheme: str = "light",
        prepare: Callable[[Page], None] | None = None,
    ) -> Page:
        origin = server if secure else server.replace("127.0.0.1", INSECURE_HOST)
        context = browser.new_context(viewport=viewport, color_scheme=scheme)  # type: ignore[arg-type]
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        if prepare is not None:
            prepare(page)
        page.goto(origin + ROOT + path)
        return page

    yield open_it
    for context in contexts:
        context.close()
    assert errors == [], errors


def state_of(api: httpx.Client, tournament_id: str) -> dict[str, Any]:
    response = api.get(f"/api/v2/tournaments/{tournament_id}")
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def expect_verified(page: Page, verified: bool, engine: str) -> None:
    result = page.get_by_test_id("verify-result")
    expect(result).to_have_attribute("data-verified", "true" if verified else "false")
    expect(page.get_by_test_id("verify-engine")).to_have_attribute("data-engine", engine)


def tampered(tournament_id: str, change: Callable[[dict[str, Any]], None]) -> Callable[[Page], None]:
    """Every GET of the tournament's state reaches the page changed by `change` (the real answer, edited)."""

    def handle(route: Route) -> None:
        # Playwright fetches outside the browser, where lct.test means nothing: ask the loopback address.
        try:
            response = route.fetch(url=route.request.url.replace(f"//{INSECURE_HOST}:", "//127.0.0.1:"))
            body = response.json()
            change(body)
            route.fulfill(response=response, body=json.dumps(body))
        except PlaywrightError:
            pass  # a re-read still running while the test closes the page; a failure before shows on the page

    return lambda page: page.route(f"**{ROOT}/api/v2/tournaments/{tournament_id}", handle)


def a_client_seed_that_changes_the_draw(state: dict[str, Any]) -> str:
    """A client seed for seat 0 with which lct-draw-v1 (the Python reference) gives other clubs than the result."""
    proof = state["drawProof"]
    seats = [draw.Seat(s["name"], s["surname"], s["clientSeed"], s["club"]) for s in proof["seats"]]
    result = [entry["club"] for entry in state["draw"]]
    catalogue = [club["name"] for club in state["clubs"]]
    for attempt in range(100):
        candidate = f"tampered-{attempt}"
        seats[0] = draw.Seat(seats[0].name, seats[0].surname, candidate, seats[0].club)
        if draw.assign(bytes.fromhex(proof["serverSeed"]), state["id"], state["drawMode"], seats, catalogue) != result:
            return candidate
    raise AssertionError("no client seed changes this draw")


PEOPLE = [("Łucja", "Żak"), ("Jan", "Kowalski"), ("Tom", "O'Neill"), ("Aiko", "Tanaka")]


# --- (4) a real draw verifies; a tampered proof does not --------------------------------------------------------


def test_a_real_draw_verifies_in_the_browser(open_page: Opener, api: httpx.Client) -> None:
    cup = drawn_cup(api, PEOPLE)
    state = state_of(api, cup.id)
    page = open_page(f"/t/{cup.id}/verify")
    expect_verified(page, True, "webcrypto")
    expect(page.get_by_test_id("verify-explanation")).to_contain_text("redoing the draw gives exactly the clubs")
    expect(page.get_by_test_id("verify-commitment")).to_have_text(state["drawCommitment"])
    expect(page.get_by_test_id("verify-seed")).to_have_text(state["drawProof"]["serverSeed"])
    expect(page.get_by_test_id("verify-fingerprint")).to_have_text(state["drawCommitment"])
    assert hashlib.sha256(bytes.fromhex(state["drawProof"]["serverSeed"])).hexdigest() == state["drawCommitment"]
    seats = page.get_by_test_id("verify-seat")
    expect(seats).to_have_count(4)
    for index, (seat, entry) in enumerate(zip(state["drawProof"]["seats"], state["draw"], strict=True)):
        expect(seats.nth(index)).to_contain_text(f"{seat['name']} {seat['surname']}")
        expect(seats.nth(index).get_by_test_id("seat-client-seed")).to_have_text(seat["clientSeed"])
        expect(seats.nth(index).get_by_test_id("seat-picked")).to_have_text(seat["club"])
        expect(seats.nth(index)).to_have_attribute("data-recomputed", entry["club"])
        expect(seats.nth(index)).to_have_attribute("data-announced", entry["club"])
        expect(seats.nth(index)).to_have_attribute("data-same", "true")
    expect(page.get_by_test_id("verify-how")).to_contain_text("fingerprint")

    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_test_id("verify-result")).to_contain_text("Losowanie jest w porządku")
    expect(page.get_by_test_id("verify-how")).to_contain_text("Jak to działa")


def test_the_phone_that_joined_finds_its_own_client_seed_even_in_a_proof_that_recomputes(
    open_page: Opener, api: httpx.Client
) -> None:
    """A server that swapped a phone's client seed and redid the draw with it would publish a proof that checks out;
    only the phone knows the seed it sent. The verify page on that phone compares the two."""
    created = api.post("/api/v2/tournaments", json={"name": "Seeds", "seats": 2, "drawMode": "random"})
    assert created.status_code == 201, created.text
    tid, host = created.json()["tournament"]["id"], created.json()["hostToken"]
    phone = open_page(f"/t/{tid}/join")
    phone.get_by_test_id("join-name").fill("Ada")
    phone.get_by_test_id("join-surname").fill("Nowak")
    phone.get_by_test_id("join-submit").click()
    expect(phone).to_have_url(re.compile(r"/wait$"))
    other = {"name": "Bolek", "surname": "Nowak", "clientSeed": "bolek"}
    assert api.post(f"/api/v2/tournaments/{tid}/players", json=other).status_code == 201
    assert api.post(f"/api/v2/tournaments/{tid}/draw", headers={"authorization": f"Bearer {host}"}).status_code == 200
    sent = json.loads(phone.evaluate(f"localStorage.getItem('lct.player.{tid}')"))["clientSeed"]
    state = state_of(api, tid)
    assert [seat["clientSeed"] for seat in state["drawProof"]["seats"]] == [sent, "bolek"]

    phone.goto(phone.url.replace("/wait", "/verify"))
    expect_verified(phone, True, "webcrypto")
    mine = phone.get_by_test_id("verify-my-seed")
    expect(mine).to_have_count(1)
    expect(mine).to_have_attribute("data-same", "true")
    expect(phone.get_by_test_id("verify-my-seed-warning")).to_have_count(0)
    shot(phone, "verify-my-seed-390x844-light")

    def swapped(body: dict[str, Any]) -> None:  # another seed for Ada, and the draw it gives: a consistent proof
        proof = body["drawProof"]
        proof["seats"][0]["clientSeed"] = "chosen-by-the-server"
        seats = [draw.Seat(s["name"], s["surname"], s["clientSeed"], s["club"]) for s in proof["seats"]]
        catalogue = [club["name"] for club in body["clubs"]]
        clubs = draw.assign(bytes.fromhex(proof["serverSeed"]), body["id"], body["drawMode"], seats, catalogue)
        for entry, club in zip(body["draw"], clubs, strict=True):
            entry["club"] = club

    cheated = open_page(f"/t/{tid}/verify", prepare=tampered(tid, swapped))
    cheated.evaluate(f"localStorage.setItem('lct.player.{tid}', {json.dumps(json.dumps(local_player(phone, tid)))})")
    cheated.reload()
    expect_verified(cheated, True, "webcrypto")  # the recipe alone cannot tell
    expect(cheated.get_by_test_id("verify-my-seed")).to_have_attribute("data-same", "false")
    expect(cheated.get_by_test_id("verify-my-seed")).to_contain_text(sent)
    expect(cheated.get_by_test_id("verify-my-seed-warning")).to_contain_text("not the one this phone sent")
    shot(cheated, "verify-my-seed-swapped-390x844-light")
    no_horizontal_overflow(cheated)


def local_player(page: Page, tid: str) -> dict[str, Any]:
    stored: dict[str, Any] = json.loads(page.evaluate(f"localStorage.getItem('lct.player.{tid}')"))
    return stored


@pytest.mark.parametrize("secure", [True, False], ids=["webcrypto", "pure-js"])
def test_a_tampered_proof_fails_in_the_browser(open_page: Opener, api: httpx.Client, secure: bool) -> None:
    cup = drawn_cup(api, PEOPLE)
    state = state_of(api, cup.id)
    engine = "webcrypto" if secure else "js"
    seed = a_client_seed_that_changes_the_draw(state)
    other_club = next(c["name"] for c in state["clubs"] if c["name"] not in {e["club"] for e in state["draw"]})

    def client_seed(body: dict[str, Any]) -> None:
        body["drawProof"]["seats"][0]["clientSeed"] = seed

    def club(body: dict[str, Any]) -> None:
        body["drawProof"]["seats"][1]["club"] = other_club

    def server_seed(body: dict[str, Any]) -> None:
        body["drawProof"]["serverSeed"] = "00" * 32

    def announced(body: dict[str, Any]) -> None:
        body["draw"][0]["club"], body["draw"][1]["club"] = body["draw"][1]["club"], body["draw"][0]["club"]

    cases = [
        (client_seed, "other clubs than the ones announced"),
        (club, "other clubs than the ones announced"),
        (server_seed, "does not have the fingerprint published at the start"),
        (announced, "other clubs than the ones announced"),
    ]
    for change, explanation in cases:
        page = open_page(f"/t/{cup.id}/verify", secure=secure, prepare=tampered(cup.id, change))
        expect_verified(page, False, engine)
        expect(page.get_by_test_id("verify-explanation")).to_contain_text(explanation)
        if change is server_seed:
            expect(page.get_by_test_id("verify-fingerprint-match")).to_have_attribute("data-same", "false")
        else:
            expect(page.locator("[data-testid=verify-seat][data-same=false]").first).to_be_visible()
        page.context.close()


def test_verify_works_where_webcrypto_is_missing(open_page: Opener, api: httpx.Client) -> None:
    pool = drawn_cup(api, PEOPLE)
    dealt = drawn_cup(api, PEOPLE[:3], draw_mode="random")
    for cup in (pool, dealt):
        page = open_page(f"/t/{cup.id}/verify", secure=False)
        assert page.evaluate("[window.isSecureContext, typeof crypto.subtle]") == [False, "undefined"]
        expect_verified(page, True, "js")
        expect(page.get_by_test_id("verify-engine")).to_contain_text("not on a secure origin")
        state = state_of(api, cup.id)
        expect(page.get_by_test_id("verify-fingerprint")).to_have_text(state["drawCommitment"])
        seats = page.get_by_test_id("verify-seat")
        expect(seats).to_have_count(len(state["draw"]))
        recomputed = seats.evaluate_all("items => items.map((item) => item.dataset.recomputed)")
        assert recomputed == [entry["club"] for entry in state["draw"]]


# --- before the draw, and mode keep -----------------------------------------------------------------------------


def test_before_the_draw_the_page_shows_the_commitment_and_checks_the_draw_live(
    open_page: Opener, api: httpx.Client
) -> None:
    created = api.post("/api/v2/tournaments", json={"name": "Verify live", "seats": 2, "drawMode": "random"})
    assert created.status_code == 201, created.text
    tid, host = created.json()["tournament"]["id"], created.json()["hostToken"]
    commitment = created.json()["tournament"]["drawCommitment"]
    page = open_page(f"/t/{tid}/verify")
    result = page.get_by_test_id("verify-result")
    expect(result).to_have_attribute("data-state", "pending")
    assert result.get_attribute("data-verified") is None  # nothing to verify yet: not a failure
    expect(page.get_by_test_id("verify-explanation")).to_contain_text("already committed")
    expect(page.get_by_test_id("verify-commitment")).to_have_text(commitment)
    page.evaluate("window.__sameDocument = true")

    for name in ("Ola", "Ben"):
        joined = api.post(
            f"/api/v2/tournaments/{tid}/players", json={"name": name, "surname": "Nowak", "clientSeed": name * 3}
        )
        assert joined.status_code == 201, joined.text
    assert api.post(f"/api/v2/tournaments/{tid}/draw", headers={"authorization": f"Bearer {host}"}).status_code == 200
    expect_verified(page, True, "webcrypto")  # the hub said the state changed; the page re-read and checked
    expect(page.get_by_test_id("verify-seat")).to_have_count(2)
    assert page.evaluate("window.__sameDocument") is True


def test_mode_keep_has_nothing_to_verify_and_says_so(open_page: Opener, api: httpx.Client) -> None:
    cup = drawn_cup(api, PEOPLE[:2], draw_mode="keep")
    page = open_page(f"/t/{cup.id}/verify")
    result = page.get_by_test_id("verify-result")
    expect(result).to_have_attribute("data-state", "keep")
    assert result.get_attribute("data-verified") is None
    expect(page.get_by_test_id("verify-explanation")).to_contain_text("That is not a failure.")
    expect(page.get_by_test_id("verify-seat")).to_have_count(0)


# --- (5) the docs' test vectors and SHA-256 itself on the pure-JS fallback --------------------------------------

COMPUTE = """
async ([module, vectors]) => {
  const proof = await import(module);
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  const out = [];
  for (const v of vectors) {
    const { tournamentId, mode, drawProof, catalogue } = v;
    const key = await proof.drawKey(drawProof.serverSeed, tournamentId, mode, drawProof.seats);
    const next = proof.numbers(key);
    const numbers = [];
    for (let i = 0; i < 8; i++) numbers.push(await next());
    const tampered = structuredClone(v);
    tampered.drawProof.seats[0].clientSeed += "!";
    out.push({
      engine: proof.cryptoEngine(),
      commitment: await proof.commitmentOf(drawProof.serverSeed),
      message: hex(proof.message(tournamentId, mode, drawProof.seats)),
      key,
      numbers,
      assignment: await proof.assign(drawProof.serverSeed, tournamentId, mode, drawProof.seats, catalogue),
      verified: await proof.verifyProof(v),
      tampered: await proof.verifyProof(tampered),
    });
  }
  return out;
}
"""

HASHES = """
async ([module, inputs]) => {
  const { sha256, hmacSha256 } = await import(module);
  const fromHex = (hex) => Uint8Array.from(hex.match(/../g) || [], (pair) => parseInt(pair, 16));
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return {
    digests: inputs.map(([data]) => hex(sha256(fromHex(data)))),
    macs: inputs.map(([data, key]) => hex(hmacSha256(fromHex(key), fromHex(data)))),
    million: hex(sha256(new Uint8Array(1000000).fill(0x61))),
  };
}
"""


def test_the_doc_vectors_on_the_pure_js_fallback(open_page: Opener) -> None:
    page = open_page("/", secure=False)
    assert page.evaluate("typeof crypto.subtle") == "undefined"
    got = page.evaluate(COMPUTE, [f"{ROOT}/static/lib/draw-proof.js", [v.proof for v in VECTORS]])
    for vector, computed in zip(VECTORS, got, strict=True):
        assert computed["engine"] == "js"
        assert computed["commitment"] == vector.values["commitment"] == vector.proof["drawCommitment"]
        assert computed["message"] == vector.message_hex
        assert computed["key"] == vector.values["key"]
        assert computed["numbers"] == vector.numbers
        assert computed["assignment"] == vector.proof["result"] == vector.plays
        assert (computed["verified"]["ok"], computed["verified"]["expected"]) == (True, vector.plays)
        assert computed["tampered"]["ok"] is False


def test_sha256_and_hmac_in_plain_javascript_match_python(open_page: Opener) -> None:
    """Every padding boundary (lengths 0..200 cover 55, 56, 63, 64, 119, 120, 128), keys shorter and longer than
    a block, the FIPS 180-4 "abc" vector and a million "a"."""
    page = open_page("/", secure=False)
    inputs = [
        (bytes((i * 7 + n) % 256 for i in range(n)), bytes((i * 13 + n) % 256 for i in range(n % 150)))
        for n in range(201)
    ]
    inputs.append((b"abc", b"key"))
    got = page.evaluate(HASHES, [f"{ROOT}/static/lib/sha256.js", [[d.hex(), k.hex()] for d, k in inputs]])
    assert got["digests"] == [hashlib.sha256(d).hexdigest() for d, _ in inputs]
    assert got["macs"] == [hmac.new(k, d, "sha256").hexdigest() for d, k in inputs]
    assert got["digests"][-1] == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert got["million"] == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"


# --- screenshots ------------------------------------------------------------------------------------------------


@pytest.mark.timeout(600)
def test_verify_screenshots_at_every_size_and_scheme_without_overflow(open_page: Opener, api: httpx.Client) -> None:
    cup = drawn_cup(api, PEOPLE)
    for (width, height), scheme in [(size, scheme) for size in SIZES for scheme in SCHEMES]:
        page = open_page(f"/t/{cup.id}/verify", viewport={"width": width, "height": height}, scheme=scheme)
        expect_verified(page, True, "webcrypto")
        no_horizontal_overflow(page)
        if width == 390:
            assert accessibility_problems(page) == [], scheme
        shot(page, f"verify-{width}x{height}-{scheme}")
        page.context.close()
    page = open_page(f"/t/{cup.id}/verify", prepare=tampered(cup.id, lambda body: body["draw"].reverse()))
    expect_verified(page, False, "webcrypto")
    no_horizontal_overflow(page)
    shot(page, "verify-tampered-390x844-light")
