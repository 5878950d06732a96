"""The web app in a real browser (Playwright driving Debian's Chromium) against a real ``lct serve`` process.

The core flows run twice: at the site root and under a path prefix (LCT_ROOT_PATH=/lct, the ``root`` fixture).
The fixtures (``*_fixture``, registered under their short names) and helpers here are shared by the other
``test_webapp_*.py`` modules, which import them and define their own ``root`` to run once. Set
``LCT_E2E_BASE_URL`` to run against an already running service instead of a fresh one.
"""

from __future__ import annotations

import io
import json
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import httpx
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Request,
    WebSocketRoute,
    expect,
    sync_playwright,
)

from tests.support import lct_server

CHROMIUM = os.environ.get("LCT_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# The service's own rate limit (LCT_RATE_LIMIT) would throttle a test that sets up many players from one address.
SERVER_ENV = {"LCT_RATE_LIMIT": "0"}

pytestmark = pytest.mark.timeout(180)


EXTERNAL = os.environ.get("LCT_E2E_BASE_URL")


@pytest.fixture(scope="module", params=[""] if EXTERNAL else ["", "/lct"], ids=lambda root: root or "no-prefix")
def root(request: pytest.FixtureRequest) -> str:
    """The whole browser suite also runs with the service under a path prefix (LCT_ROOT_PATH=/lct)."""
    prefix: str = request.param
    return prefix


@pytest.fixture(scope="module", name="base_url")
def base_url_fixture(tmp_path_factory: pytest.TempPathFactory, root: str) -> Iterator[str]:
    if EXTERNAL:
        yield EXTERNAL.rstrip("/")
        return
    env = {**SERVER_ENV, **({"LCT_ROOT_PATH": root} if root else {})}
    with lct_server(tmp_path_factory.mktemp("webapp"), env) as server:
        yield server.url + root


@pytest.fixture(scope="module", name="playwright")
def playwright_fixture() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module", name="browser")
def browser_fixture(playwright: Playwright) -> Iterator[Browser]:
    expect.set_options(timeout=10_000)  # live updates cross two processes and a WebSocket: allow slow CI
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


class NewPhone(Protocol):
    def __call__(self, **options: Any) -> Page: ...


@pytest.fixture(name="phone")
def phone_fixture(browser: Browser, base_url: str, root: str) -> Iterator[NewPhone]:
    """Each call opens a page in its own browser context: a separate phone with its own storage (options override
    the context's: viewport, locale, color_scheme, reduced_motion, bypass_csp…). Paths the tests open
    ("/t/<id>/join") are the app's own paths: under a prefix they are opened below it."""
    contexts: list[BrowserContext] = []

    def open_phone(**options: Any) -> Page:
        settings: dict[str, Any] = {
            "base_url": base_url,
            "viewport": PHONE,
            "device_scale_factor": 2,
            "is_mobile": True,
            "has_touch": True,
            "locale": "en-GB",
            **options,
        }
        context = browser.new_context(**settings)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        if root:
            goto = page.goto
            page.goto = lambda url, **kw: goto(root + url if url.startswith("/") else url, **kw)  # type: ignore[method-assign]
        return page

    errors: list[str] = []
    yield open_phone
    for context in contexts:
        context.close()
    assert errors == [], "uncaught errors in the pages"


@pytest.fixture(name="api")
def api_fixture(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        yield client


def shot(page: Page, name: str, *, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # a sticky header would otherwise land mid-page
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


# ---------------------------------------------------------------- the API v2, for setting tournaments up


class Cup:
    """A tournament made through API v2: its id and host token, and the players' ids and tokens by first name."""

    def __init__(self, api: httpx.Client, state: dict[str, Any], host: str) -> None:
        self.api = api
        self.id: str = state["id"]
        self.host = host
        self.code: str = state["code"]
        self.players: dict[str, tuple[str, str]] = {}

    def state(self) -> dict[str, Any]:
        response = self.api.get(f"/api/v2/tournaments/{self.id}")
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def join(self, name: str, surname: str = "Nowak") -> tuple[str, str]:
        body = {"name": name, "surname": surname, "clientSeed": uuid.uuid4().hex}
        response = self.api.post(f"/api/v2/tournaments/{self.id}/players", json=body)
        assert response.status_code == 201, response.text
        joined = response.json()
        self.players[name] = (joined["player"]["id"], joined["playerToken"])
        return self.players[name]

    def pick(self, name: str, club: str) -> None:
        player_id, token = self.players[name]
        response = self.api.put(
            f"/api/v2/tournaments/{self.id}/players/{player_id}/club",
            json={"club": club},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200, response.text

    def draw(self) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.host}"}
        response = self.api.post(f"/api/v2/tournaments/{self.id}/draw", headers=headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def patch(self, **changes: Any) -> None:
        headers = {"Authorization": f"Bearer {self.host}"}
        response = self.api.patch(f"/api/v2/tournaments/{self.id}", json=changes, headers=headers)
        assert response.status_code == 200, response.text


def cup(api: httpx.Client, seats: int, *, name: str | None = None, **setup: Any) -> Cup:
    body = {"name": name or unique("API cup"), "seats": seats, "catalogue": "original", **setup}
    response = api.post("/api/v2/tournaments", json=body)
    assert response.status_code == 201, response.text
    created = response.json()
    return Cup(api, created["tournament"], created["hostToken"])


# ---------------------------------------------------------------- the app, driven like people do


def join(page: Page, link: str, name: str, surname: str) -> None:
    page.goto(link)
    page.get_by_test_id("join-name").fill(name)
    page.get_by_test_id("join-surname").fill(surname)
    page.get_by_test_id("join-submit").click()
    expect(page).to_have_url(re.compile(r"/t/[0-9a-f-]{36}/pick$"))
    expect(page.get_by_test_id("club-9")).to_be_visible()


def pick(page: Page, index: int) -> None:
    page.get_by_test_id(f"club-{index}").click()
    expect(page.get_by_test_id(f"club-{index}")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("club-confirm")).to_be_enabled()


def confirm(page: Page) -> None:
    page.get_by_test_id("club-confirm").click()
    expect(page).to_have_url(re.compile(r"/wait$"))
    expect(page.get_by_test_id("waiting")).to_be_visible()


def host_screen(phone: NewPhone, tournament: Cup, **options: Any) -> Page:
    """The host screen on a new device, through the "open on another screen" link (the token in the fragment)."""
    page = phone(**options)
    page.goto(f"/t/{tournament.id}/host#host={tournament.host}")
    expect(page.get_by_test_id("draw-button")).to_be_visible()
    return page


def draw_rows(page: Page, testid: str = "draw-result") -> list[tuple[str, str]]:
    """The drawn (player, club) rows, once the result is on screen (it is rendered whole, so one row means all)."""
    rows = page.get_by_test_id(testid).locator("[data-testid=draw-row], [data-testid=tv-result-row]")
    expect(rows.first).to_be_visible()
    return [(row.get_attribute("data-player") or "", row.get_attribute("data-team") or "") for row in rows.all()]


def decode_qr(png: bytes) -> list[str]:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return [r.text for r in results if r.format == zxingcpp.BarcodeFormat.QRCode]


def local_storage(page: Page) -> dict[str, str]:
    stored: dict[str, str] = page.evaluate("() => Object.fromEntries(Object.entries(localStorage))")
    return stored


# ---------------------------------------------------------------- the tests


def test_host_and_three_players_run_a_whole_tournament_live(phone: NewPhone, base_url: str, root: str) -> None:
    host = phone()
    requested: list[str] = []
    host.on("request", lambda request: requested.append(request.url))
    host.on("websocket", lambda socket: requested.append(socket.url))
    host.goto("/")
    expect(host.get_by_test_id("create-seats")).to_have_value("4")
    expect(host.get_by_test_id("create-catalogue")).to_have_value("european-clubs")
    expect(host.get_by_test_id("create-mode-pool")).to_be_checked()
    shot(host, "01-create")
    name = unique("Friday FIFA")
    host.get_by_test_id("create-name").fill(name)
    host.get_by_test_id("create-seats").fill("3")
    host.get_by_test_id("create-submit").click()
    expect(host).to_have_url(re.compile(r"/t/[0-9a-f-]{36}/host$"))
    tournament_id = host.url.split("/")[-2]
    host_token = local_storage(host)[f"lct.host.{tournament_id}"]

    # The join link and the QR code both lead to the join screen of this tournament; the room code is shown big.
    link = host.get_by_test_id("join-link")
    expect(link).to_have_text(f"{base_url}/t/{tournament_id}/join")
    join_url = link.get_attribute("href")
    assert join_url == link.inner_text() == f"{base_url}/t/{tournament_id}/join"
    qr = host.get_by_test_id("join-qr")
    expect(qr).to_be_visible()
    host.wait_for_function("document.querySelector('[data-testid=join-qr]').naturalWidth > 0")
    assert decode_qr(qr.screenshot()) == [join_url]
    expect(host.get_by_test_id("host-code")).to_have_text(re.compile(r"^[A-Z2-9]{6}$"))
    expect(host.get_by_test_id("reach-warning")).to_be_visible()  # a loopback-only server: phones cannot reach it
    expect(host.get_by_role("heading", name=name)).to_be_visible()
    draw = host.get_by_test_id("draw-button")
    expect(draw).to_be_disabled()
    shot(host, "02-host-empty")

    # Three players join through the link read from the host's page; the host's list grows live.
    jan, janek, ola = phone(), phone(), phone()
    jan.goto(join_url)
    expect(jan.get_by_role("heading", name=re.compile(re.escape(name)))).to_be_visible()
    expect(jan.get_by_test_id("rule")).to_contain_text("shared out at random")
    shot(jan, "03-join")
    join(jan, join_url, "Jan", "Nowak")
    expect(host.get_by_test_id("player-row")).to_have_count(1)
    join(janek, join_url, "Jan", "Kowalski")  # same first name: the original's AND/OR bug hid his clicks
    join(ola, join_url, "Ola", "Nowak")  # same surname
    expect(host.get_by_test_id("player-row")).to_have_count(3)
    expect(host.get_by_test_id("player-row").nth(2)).to_contain_text("Ola Nowak")
    expect(draw).to_be_disabled()  # nobody has picked yet
    expect(jan.get_by_test_id("rule")).to_contain_text("shared out at random")

    # A tap is visible to the others live (and on the host's screen), never to the one who tapped.
    jan.get_by_test_id("club-0").click()
    expect(janek.get_by_test_id("club-0")).to_have_attribute("data-clicked-by", "Jan Nowak")
    expect(ola.get_by_test_id("club-0")).to_have_attribute("data-clicked-by", "Jan Nowak")
    expect(host.get_by_test_id("player-row").nth(0).get_by_test_id("player-looking")).to_contain_text("Arsenal")
    expect(jan.get_by_test_id("club-0")).to_have_attribute("aria-pressed", "true")
    expect(jan.get_by_test_id("club-0")).to_have_attribute("data-clicked-by", "")
    ola.get_by_test_id("club-0").click()
    expect(janek.get_by_test_id("club-0")).to_have_attribute("data-clicked-by", "Jan Nowak, Ola Nowak")
    expect(jan.get_by_test_id("club-0")).to_have_attribute("data-clicked-by", "Ola Nowak")
    shot(janek, "04-pick-live-clicks")

    # Jan confirms Arsenal: it is disabled for the others; Ola loses her unconfirmed choice.
    confirm(jan)
    for other in (janek, ola):
        expect(other.get_by_test_id("club-0")).to_be_disabled()
    expect(ola.get_by_test_id("club-confirm")).to_be_disabled()
    expect(ola.get_by_test_id("error")).to_contain_text("Jan Nowak")
    expect(host.get_by_test_id("player-row").nth(0)).to_contain_text("Arsenal")
    shot(jan, "05-waiting")
    expect(draw).to_be_disabled()

    pick(janek, 1)
    confirm(janek)
    expect(draw).to_be_disabled()
    expect(ola.get_by_test_id("club-1")).to_be_disabled()
    pick(ola, 9)
    shot(ola, "06-pick-chosen")
    confirm(ola)

    # Everyone has picked: only now can the host draw.
    expect(draw).to_be_enabled()
    expect(jan.get_by_test_id("waiting")).to_contain_text("Ola Nowak")
    shot(host, "07-host-ready")
    for player in (jan, janek, ola):
        player.evaluate("window.__sameDocument = true")
    draw.click()
    expect(host.get_by_test_id("draw-result")).to_be_visible()
    expect(draw).to_be_hidden()
    shot(host, "08-host-drawn")
    host_rows = draw_rows(host)
    assert sorted(team for _, team in host_rows) == sorted(["Arsenal", "Aston Villa", "Barcelona"])
    assert [player for player, _ in host_rows] == ["Jan Nowak", "Jan Kowalski", "Ola Nowak"]
    expect(host.get_by_test_id("verify-link")).to_have_attribute("href", f"{root}/t/{tournament_id}/verify")

    # Every player sees the same result live, with their own row highlighted and their pick next to their club.
    picks = {"Jan Nowak": "Arsenal", "Jan Kowalski": "Aston Villa", "Ola Nowak": "Barcelona"}
    for player, me in ((jan, "Jan Nowak"), (janek, "Jan Kowalski"), (ola, "Ola Nowak")):
        expect(player.get_by_test_id("draw-result")).to_be_visible()
        assert draw_rows(player) == host_rows
        mine = player.locator("[data-testid=draw-row][aria-current=true]")
        expect(mine).to_have_attribute("data-player", me)
        drawn = dict(host_rows)[me]
        expect(player.get_by_test_id("my-club")).to_have_text(f"You picked {picks[me]} — you play as {drawn}")
        expect(player.get_by_test_id("verify-link")).to_be_visible()
        assert player.evaluate("window.__sameDocument") is True
    shot(jan, "09-waiting-drawn")

    # Another device without the host token sees the very same result, read-only, and is told so.
    again = phone()
    again.goto(f"/t/{tournament_id}/host")
    expect(again.get_by_test_id("draw-result")).to_be_visible()
    assert draw_rows(again) == host_rows
    expect(again.get_by_test_id("host-readonly")).to_be_visible()
    expect(again.get_by_test_id("draw-button")).to_be_hidden()
    expect(again.get_by_test_id("next-round")).to_have_count(0)

    # The host's device remembers the tournament, so closing the tab does not lose it.
    host.goto("/")
    expect(host.get_by_test_id("hosted-link").first).to_have_text(name)
    expect(host.get_by_test_id("hosted-link").first).to_have_attribute("href", f"{root}/t/{tournament_id}/host")
    # Every address the host page used (pages, modules, styles, API, QR, hub) stays below the prefix, and the host
    # token travelled only in headers, never in an address.
    origin = base_url.removesuffix(root)
    ours = [u.replace("ws://", "http://", 1) for u in requested]
    assert ours and all(u.startswith(base_url + "/") for u in ours if u.startswith(origin)), ours
    assert not [u for u in requested if host_token in u]


def test_reload_while_picking_keeps_identity_and_state(phone: NewPhone, api: httpx.Client) -> None:
    tournament = cup(api, 2)
    me, other = phone(), phone()
    join(me, f"/t/{tournament.id}/join", "Zofia", "Wiśniewska")
    join(other, f"/t/{tournament.id}/join", "Piotr", "Zieliński")
    pick(other, 3)
    confirm(other)
    me.get_by_test_id("club-2").click()
    expect(me.get_by_test_id("club-3")).to_be_disabled()
    stored = json.loads(local_storage(me)[f"lct.player.{tournament.id}"])
    assert set(stored) == {"playerId", "token", "name", "surname", "clientSeed"}
    assert stored["name"] == "Zofia" and re.fullmatch(r"[A-Za-z0-9_-]{43}", stored["token"])
    assert re.fullmatch(r"[0-9a-f]{32}", stored["clientSeed"])  # what the phone sent for the draw

    me.reload()
    expect(me).to_have_url(re.compile(rf"/t/{tournament.id}/pick$"))
    expect(me.get_by_test_id("whoami")).to_contain_text("Zofia Wiśniewska")
    expect(me.get_by_test_id("club-3")).to_be_disabled()
    expect(me.get_by_test_id("club-2")).to_be_enabled()
    expect(me.get_by_test_id("club-confirm")).to_be_disabled()

    # The join link knows who this phone is and goes straight back to the picker: no form, no "that's me".
    me.goto(f"/t/{tournament.id}/join")
    expect(me).to_have_url(re.compile(rf"/t/{tournament.id}/pick$"))
    expect(me.get_by_test_id("join-its-me")).to_have_count(0)
    # The original list misspells two clubs; people read them right, the wire keeps them.
    expect(me.get_by_test_id("club-2")).to_have_attribute("data-team", "Manchaster City")
    expect(me.get_by_test_id("club-2")).to_contain_text("Manchester City")
    pick(me, 2)
    confirm(me)
    me.reload()
    expect(me.get_by_test_id("wait-lead")).to_contain_text("You picked Manchester City")
    assert tournament.state()["players"][0]["club"] == "Manchaster City"
    me.goto(f"/t/{tournament.id}/join")
    expect(me).to_have_url(re.compile(rf"/t/{tournament.id}/wait$"))  # picked: the waiting screen
    expect(me.get_by_test_id("waiting")).to_be_visible()


def test_late_joiners_see_the_tournament_live_instead_of_a_form(phone: NewPhone, api: httpx.Client) -> None:
    tournament = cup(api, 2)
    tournament.join("Adam", "Mały")
    tournament.join("Ewa", "Duża")
    page = phone()
    page.goto(f"/t/{tournament.id}/join")
    expect(page.get_by_test_id("join-closed")).to_contain_text("full")
    expect(page.get_by_test_id("join-submit")).to_be_hidden()
    expect(page.get_by_test_id("join-watch").get_by_test_id("lobby-row")).to_have_count(2)
    shot(page, "10-join-full")

    # The lobby is live: a pick shows up; a freed seat brings the form back; a lock takes it away again.
    tournament.pick("Adam", "Bayern")
    expect(page.get_by_test_id("join-watch")).to_contain_text("Bayern")
    tournament.patch(seats=3)
    expect(page.get_by_test_id("join-submit")).to_be_visible()
    expect(page.get_by_test_id("join-seats")).to_have_text("2 of 3 seats taken")
    tournament.patch(locked=True)
    expect(page.get_by_test_id("join-closed")).to_contain_text("locked")
    expect(page.get_by_test_id("join-submit")).to_be_hidden()
    tournament.patch(locked=False)
    tournament.pick("Ewa", "PSG")
    tournament.draw()
    expect(page.get_by_test_id("join-closed")).to_contain_text("draw has already happened")
    expect(page.get_by_test_id("join-watch").get_by_test_id("draw-row")).to_have_count(2)
    expect(page.get_by_test_id("join-submit")).to_be_hidden()
    shot(page, "10b-join-drawn")


def test_duplicate_player_is_explained(phone: NewPhone, api: httpx.Client) -> None:
    tournament = cup(api, 3)
    tournament.join("Jan", "Nowak")
    page = phone()
    page.goto(f"/t/{tournament.id}/join")
    page.get_by_test_id("join-name").fill("jan")
    page.get_by_test_id("join-surname").fill("NOWAK")
    page.get_by_test_id("join-submit").click()
    expect(page.get_by_test_id("error")).to_contain_text("Someone with this name has already joined")
    expect(page.get_by_test_id("error")).to_contain_text("ask the host for a new join link")
    expect(page).to_have_url(re.compile(r"/join$"))
    shot(page, "11-join-duplicate")


def test_unknown_tournament_and_room_code_are_explained(phone: NewPhone) -> None:
    page = phone()
    unknown = str(uuid.uuid4())
    page.goto(f"/t/{unknown}/join")
    expect(page.get_by_test_id("error")).to_contain_text("could not find this tournament")
    expect(page.get_by_test_id("join-submit")).to_be_hidden()
    shot(page, "12-join-unknown")

    page.goto(f"/player/register/{unknown}")  # the original frontend's link
    expect(page).to_have_url(re.compile(rf"/t/{unknown}/join$"))
    expect(page.get_by_test_id("error")).to_contain_text("could not find this tournament")

    page.goto('/player/register/"')  # what the original's broken QR code opened
    expect(page.get_by_test_id("error")).to_contain_text("link is broken")
    for screen in ("host", "pick", "wait", "tv"):
        page.goto(f"/t/{unknown}/{screen}")
        expect(page.get_by_test_id("error")).to_contain_text("could not find this tournament")

    response = page.goto("/j/zzzzzz")  # a room code nobody has: the server answers 404 with the page
    assert response is not None and response.status == 404
    expect(page.get_by_test_id("join-code-error")).to_contain_text("No tournament has this code")
    expect(page.get_by_test_id("join-code")).to_have_value("ZZZZZZ")


def test_create_errors_are_inline_and_translated(phone: NewPhone, api: httpx.Client) -> None:
    taken = unique("Taken")
    assert api.post("/api/v2/tournaments", json={"name": taken, "seats": 2}).status_code == 201
    page = phone()
    page.goto("/")
    page.get_by_test_id("create-name").fill(taken)
    page.get_by_test_id("create-submit").click()
    expect(page.get_by_test_id("error")).to_contain_text("already exists")
    expect(page).to_have_url(re.compile(r"/$"))

    page.get_by_test_id("lang-switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page.get_by_test_id("create-name")).to_have_value(taken)
    page.get_by_test_id("create-submit").click()
    expect(page.get_by_test_id("error")).to_contain_text("już istnieje")
    page.reload()
    expect(page.get_by_test_id("create-submit")).to_have_text("Stwórz turniej")
    shot(page, "13-create-polish")

    # Seats follow the chosen list: 10 clubs, 10 seats at most.
    page.get_by_test_id("create-catalogue").select_option("original")
    page.get_by_test_id("create-seats").fill("12")
    page.get_by_test_id("create-name").fill(unique("Za dużo"))
    page.get_by_test_id("create-submit").click()
    expect(page.get_by_test_id("error")).to_have_text("Liczba graczy musi wynosić od 2 do 10.")
    for _ in range(9):
        page.get_by_test_id("create-seats-plus").click()
    expect(page.get_by_test_id("create-seats")).to_have_value("10")


AUDIT = r"""() => {
    const target = (el) => (el.type === 'radio' && el.closest('label')) || el;  // a radio's target is its label
    const small = [...document.querySelectorAll('button, input, select, a.btn, summary')]
        .filter((el) => el.offsetParent !== null)
        .map((el) => [el.dataset.testid || el.id || el.textContent.trim(), target(el).getBoundingClientRect()])
        .filter(([, r]) => r.height < 44 || r.width < 44)
        .map(([name]) => name);
    const unlabelled = [...document.querySelectorAll('input, select')]
        .filter((el) => el.type !== 'radio' || !el.closest('label'))
        .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
        .map((el) => el.id);
    const overflow = document.documentElement.scrollWidth > document.documentElement.clientWidth;
    const live = document.querySelectorAll('[aria-live]').length;
    return { small, unlabelled, overflow, live };
}"""


def test_phone_layout_is_usable_by_touch_and_keyboard(phone: NewPhone, api: httpx.Client) -> None:
    tournament = cup(api, 2)
    page = phone(viewport={"width": 360, "height": 740})
    tournament.join("Ada", "Nowak")
    for path in ("/", f"/t/{tournament.id}/host#host={tournament.host}", f"/t/{tournament.id}/join"):
        page.goto(path)
        expect(page.locator("main h1")).to_be_visible()
        expect(page.locator("main h1")).not_to_have_text("Loading…")
        report = page.evaluate(AUDIT)
        expected = {"small": [], "unlabelled": [], "overflow": False, "live": report["live"]}
        assert report == expected, path
        assert report["live"] >= 1, path

    # The join form works with the keyboard alone, and so does the picker.
    page.goto(f"/t/{tournament.id}/join")
    page.get_by_test_id("join-name").focus()
    page.keyboard.type("Kasia")
    page.keyboard.press("Tab")
    page.keyboard.type("Lis")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/pick$"))
    page.get_by_test_id("club-4").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("club-4")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("club-confirm")).to_contain_text("Manchester United")
    report = page.evaluate(AUDIT)
    assert report["small"] == [] and report["unlabelled"] == [] and report["overflow"] is False


def test_lost_hub_shows_reconnecting_and_rereads_the_state(phone: NewPhone, api: httpx.Client) -> None:
    tournament = cup(api, 2)
    tournament.join("Robert", "Lewandowski")
    page = phone()
    hub_down = False
    page_sides: list[WebSocketRoute] = []

    def hub(ws: WebSocketRoute) -> None:
        if hub_down:
            ws.close()
            return
        page_sides.append(ws)
        ws.connect_to_server()

    page.route_web_socket(re.compile(r"/hubs/actions"), hub)
    join(page, f"/t/{tournament.id}/join", "Iga", "Świątek")
    assert "access_token=" in page_sides[-1].url  # the player's own connection: its clicks count
    banner = page.get_by_test_id("connection-banner")
    expect(banner).to_be_hidden()

    hub_down = True
    for ws in page_sides:
        ws.close()
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Reconnecting")
    shot(page, "14-pick-reconnecting")
    tournament.pick("Robert", "Bayern")  # its TeamSelected message is missed

    hub_down = False
    expect(banner).to_be_hidden()
    expect(page.get_by_test_id("club-0")).to_be_disabled()  # learnt from the state re-read after reconnecting
    expect(page.get_by_test_id("club-0")).to_contain_text("Robert Lewandowski")


COUNT_SOCKETS = """
    const Native = window.WebSocket;
    window.__sockets = 0;
    window.WebSocket = class extends Native {
        constructor(...args) {
            super(...args);
            window.__sockets += 1;
        }
    };
"""


def test_back_online_reconnects_at_once_and_clears_stale_errors(phone: NewPhone, api: httpx.Client) -> None:
    tournament = cup(api, 2)
    page = phone()
    page.add_init_script(COUNT_SOCKETS)
    join(page, f"/t/{tournament.id}/join", "Iga", "Świątek")
    hub_path = page.evaluate("document.querySelector('script[type=module]').src.replace('app.js', 'lib/hub.js')")
    delays = page.evaluate(
        "async (path) => { const hub = await import(path); return [0, 1, 2, 3, 4, 10].map(hub.retryDelay); }", hub_path
    )
    assert delays == [0, 1000, 2000, 5000, 5000, 5000]  # the back-off is capped at 5 s

    # Offline: the hub is lost at once (the browser says so), a confirm fails with "Cannot reach the server".
    sockets = page.evaluate("window.__sockets")
    page.context.set_offline(True)
    banner = page.get_by_test_id("connection-banner")
    expect(banner).to_be_visible()
    pick(page, 0)
    page.get_by_test_id("club-confirm").click()
    expect(page.get_by_test_id("error")).to_contain_text("Cannot reach the server")
    shot(page, "15-pick-offline")
    # Attempts at 0, 1 and 3 s; the next one would be 5 s later. Back online: reconnect at once, not then.
    page.wait_for_function("(n) => window.__sockets >= n + 3", arg=sockets, timeout=10_000)
    page.context.set_offline(False)
    expect(banner).to_be_hidden(timeout=2_500)
    expect(page.get_by_test_id("error")).to_be_hidden()  # the stale error went with the outage
    page.get_by_test_id("club-confirm").click()
    expect(page).to_have_url(re.compile(r"/wait$"))


def test_an_open_v1_tournament_is_shown_and_joinable(phone: NewPhone, api: httpx.Client) -> None:
    response = api.post("/api/Tournament/create", json={"name": unique("Old cup"), "playerLimit": 2})
    assert response.status_code == 200, response.text
    tournament_id = str(response.json())
    assert api.post(
        "/api/Tournament/assignPlayer", json={"name": "Stary", "surname": "Gracz", "tournamentId": tournament_id}
    ).is_success
    watcher = phone()
    watcher.goto(f"/t/{tournament_id}/host")
    expect(watcher.get_by_test_id("host-readonly")).to_be_visible()
    expect(watcher.get_by_test_id("player-row")).to_have_count(1)
    page = phone()
    join(page, f"/t/{tournament_id}/join", "Nowy", "Gracz")
    pick(page, 5)
    confirm(page)
    expect(watcher.get_by_test_id("player-row").nth(1)).to_contain_text("Real Madrid")


def invocation(target: str, payload: dict[str, object]) -> str:
    return json.dumps({"type": 1, "target": target, "arguments": [json.dumps(payload)]}) + "\x1e"


def test_hub_client_framing_filtering_versions_and_reconnect(phone: NewPhone, api: httpx.Client) -> None:
    """The page's own SignalR client against a scripted hub (the REST API is the real one): framing, messages of
    other tournaments ignored, a message no newer than the state held ignored, a newer one re-reads the state."""
    tournament = cup(api, 3)
    ola_id, _ = tournament.join("Ola", "Kowal")
    hubs: list[WebSocketRoute] = []
    lookers: list[dict[str, str]] = [{"name": "Ola", "surname": "Kowal", "playerId": ola_id}]

    def hub(ws: WebSocketRoute) -> None:
        hubs.append(ws)
        extra = list(lookers)

        def on_message(message: str | bytes) -> None:
            for record in filter(None, str(message).split("\x1e")):
                data = json.loads(record)
                if data.get("protocol") == "json":
                    ws.send("{}\x1e")
                elif data.get("type") == 1 and data["target"] == "TeamClicked":
                    click = data["arguments"][0]
                    assert click["groupKey"] == tournament.id
                    clicked = [{"team": click["team"], "name": click["name"], "surname": click["surname"]}]
                    clicked += [{"team": click["team"], **who} for who in extra]
                    frame = '{"type":6}\x1e' + invocation(
                        tournament.id, {"type": "TeamClicked", "tournamentId": tournament.id, "clickedTeams": clicked}
                    )
                    ws.send(frame[:25])  # a record split over two frames, after a ping in the same frame
                    ws.send(frame[25:])

        ws.on_message(on_message)

    page = phone()
    page.route_web_socket(re.compile(r"/hubs/actions"), hub)
    reads: list[str] = []
    state_url = f"/api/v2/tournaments/{tournament.id}"

    def count_reads(request: Request) -> None:
        if request.method == "GET" and request.url.endswith(state_url):
            reads.append(request.url)

    page.on("request", count_reads)
    join(page, f"/t/{tournament.id}/join", "Jan", "Nowak")
    page.get_by_test_id("club-0").click()
    expect(page.get_by_test_id("club-0")).to_have_attribute("data-clicked-by", "Ola Kowal")
    page.wait_for_load_state("networkidle")

    version = tournament.state()["version"]  # what the page holds
    tournament.pick("Ola", "PSG")  # the scripted hub does not tell: the page must not know yet
    before = len(reads)

    def changed(version: int, tid: str = tournament.id) -> dict[str, object]:
        names = {"playerName": "Ola", "playerSurname": "Kowal", "playerId": ola_id}
        return {"type": "TeamSelected", "tournamentId": tid, **names, "team": "PSG", "version": version}

    other = str(uuid.uuid4())
    hubs[-1].send(invocation(tournament.id, changed(version)))  # not newer than the state held
    hubs[-1].send(invocation(tournament.id, changed(version + 1, other)))  # another tournament
    hubs[-1].send(invocation(other, changed(version + 1)))  # another target
    hubs[-1].send(invocation(tournament.id, changed(version + 1)))  # newer: re-read
    expect(page.get_by_test_id("club-1")).to_be_disabled()
    expect(page.get_by_test_id("club-1")).to_contain_text("Ola Kowal")
    page.wait_for_load_state("networkidle")
    assert len(reads) - before == 1

    # The server closes with allowReconnect: the client reconnects and repeats its unconfirmed click.
    kasia_id, _ = tournament.join("Kasia", "Lis")
    lookers[:] = [{"name": "Kasia", "surname": "Lis", "playerId": kasia_id}]
    connections = len(hubs)
    hubs[-1].send('{"type":7,"allowReconnect":true}\x1e')
    expect(page.get_by_test_id("club-0")).to_have_attribute("data-clicked-by", "Kasia Lis")
    assert len(hubs) == connections + 1
    expect(page.get_by_test_id("connection-banner")).to_be_hidden()
