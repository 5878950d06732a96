"""The web app in a real browser (Playwright driving Debian's Chromium) against a real ``lct serve`` process.

Set ``LCT_E2E_BASE_URL`` to run these against an already running service instead of a fresh one.
"""

from __future__ import annotations

import io
import json
import os
import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    WebSocketRoute,
    expect,
    sync_playwright,
)

from lct.domain.tournament import CATALOGUE
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

pytestmark = pytest.mark.timeout(180)


EXTERNAL = os.environ.get("LCT_E2E_BASE_URL")


@pytest.fixture(scope="module", params=[""] if EXTERNAL else ["", "/lct"], ids=lambda root: root or "no-prefix")
def root(request: pytest.FixtureRequest) -> str:
    """The whole browser suite also runs with the service under a path prefix (LCT_ROOT_PATH=/lct)."""
    prefix: str = request.param
    return prefix


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, root: str) -> Iterator[str]:
    if EXTERNAL:
        yield EXTERNAL.rstrip("/")
        return
    with lct_server(tmp_path_factory.mktemp("webapp"), {"LCT_ROOT_PATH": root} if root else None) as server:
        yield server.url + root


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    expect.set_options(timeout=10_000)  # live updates cross two processes and a WebSocket: allow slow CI
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


NewPhone = Callable[[], Page]


@pytest.fixture
def phone(browser: Browser, base_url: str, root: str) -> Iterator[NewPhone]:
    """Each call opens a page in its own browser context: a separate phone with its own storage. Paths the
    tests open ("/t/<id>/join") are the app's own paths: under a prefix they are opened below it."""
    contexts: list[BrowserContext] = []

    def open_phone() -> Page:
        context = browser.new_context(
            base_url=base_url, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        if root:
            goto = page.goto
            page.goto = lambda url, **kw: goto(root + url if url.startswith("/") else url, **kw)  # type: ignore[method-assign]
        return page

    yield open_phone
    for context in contexts:
        context.close()


@pytest.fixture
def api(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        yield client


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # a sticky header would otherwise land mid-page
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def create_tournament(api: httpx.Client, limit: int) -> str:
    response = api.post("/api/Tournament/create", json={"name": unique("API cup"), "playerLimit": limit})
    assert response.status_code == 200, response.text
    return str(response.json())


def assign(api: httpx.Client, tournament_id: str, name: str, surname: str) -> None:
    body = {"name": name, "surname": surname, "tournamentId": tournament_id}
    response = api.post("/api/Tournament/assignPlayer", json=body)
    assert response.status_code == 200, response.text


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


def draw_rows(page: Page) -> list[tuple[str, str]]:
    rows = page.get_by_test_id("draw-result").get_by_test_id("draw-row")
    return [(row.get_attribute("data-player") or "", row.get_attribute("data-team") or "") for row in rows.all()]


def decode_qr(png: bytes) -> list[str]:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return [r.text for r in results if r.format == zxingcpp.BarcodeFormat.QRCode]


def test_host_and_three_players_run_a_whole_tournament_live(phone: NewPhone, base_url: str, root: str) -> None:
    host = phone()
    requested: list[str] = []
    host.on("request", lambda request: requested.append(request.url))
    host.on("websocket", lambda socket: requested.append(socket.url))
    host.goto("/")
    expect(host.get_by_test_id("create-seats")).to_have_value("4")
    shot(host, "01-create")
    name = unique("Friday FIFA")
    host.get_by_test_id("create-name").fill(name)
    host.get_by_test_id("create-seats").fill("3")
    host.get_by_test_id("create-submit").click()
    expect(host).to_have_url(re.compile(r"/t/[0-9a-f-]{36}/host$"))
    tournament_id = host.url.split("/")[-2]

    # The join link and the QR code both lead to the join screen of this tournament.
    link = host.get_by_test_id("join-link")
    expect(link).to_have_text(f"{base_url}/t/{tournament_id}/join")
    join_url = link.get_attribute("href")
    assert join_url == link.inner_text() == f"{base_url}/t/{tournament_id}/join"
    qr = host.get_by_test_id("join-qr")
    expect(qr).to_be_visible()
    host.wait_for_function("document.querySelector('[data-testid=join-qr]').naturalWidth > 0")
    assert decode_qr(qr.screenshot()) == [join_url]
    expect(host.get_by_role("heading", name=name)).to_be_visible()
    draw = host.get_by_test_id("draw-button")
    expect(draw).to_be_disabled()
    shot(host, "02-host-empty")

    # Three players join through the link read from the host's page; the host's list grows live.
    jan, janek, ola = phone(), phone(), phone()
    jan.goto(join_url)
    expect(jan.get_by_role("heading", name=re.compile(re.escape(name)))).to_be_visible()
    shot(jan, "03-join")
    join(jan, join_url, "Jan", "Nowak")
    expect(host.get_by_test_id("player-row")).to_have_count(1)
    join(janek, join_url, "Jan", "Kowalski")  # same first name: the original's AND/OR bug hid his clicks
    join(ola, join_url, "Ola", "Nowak")  # same surname
    expect(host.get_by_test_id("player-row")).to_have_count(3)
    expect(host.get_by_test_id("player-row").nth(2)).to_contain_text("Ola Nowak")
    expect(draw).to_be_disabled()  # every seat is taken but nobody has picked yet

    # A tap is visible to the others live, and never to the one who tapped.
    jan.get_by_test_id("club-0").click()
    expect(janek.get_by_test_id("club-0")).to_have_attribute("data-clicked-by", "Jan Nowak")
    expect(ola.get_by_test_id("club-0")).to_have_attribute("data-clicked-by", "Jan Nowak")
    expect(jan.get_by_test_id("club-0")).to_have_attribute("aria-pressed", "true")
    expect(jan.get_by_test_id("club-0")).to_have_attribute("data-clicked-by", "")
    ola.get_by_test_id("club-0").click()
    expect(janek.get_by_test_id("club-0")).to_have_attribute("data-clicked-by", "Jan Nowak, Ola Nowak")
    expect(jan.get_by_test_id("club-0")).to_have_attribute("data-clicked-by", "Ola Nowak")
    shot(janek, "04-pick-live-clicks")

    # Jan confirms Bayern: it is disabled for the others; Ola loses her unconfirmed choice.
    confirm(jan)
    for other in (janek, ola):
        expect(other.get_by_test_id("club-0")).to_be_disabled()
    expect(ola.get_by_test_id("club-confirm")).to_be_disabled()
    expect(ola.get_by_test_id("error")).to_contain_text("Jan Nowak")
    expect(host.get_by_test_id("player-row").nth(0)).to_contain_text("Bayern")
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
    expect(draw).to_be_disabled()
    shot(host, "08-host-drawn")
    host_rows = draw_rows(host)
    assert sorted(team for _, team in host_rows) == sorted(["Bayern", "PSG", "Barcelona"])
    assert [player for player, _ in host_rows] == ["Jan Nowak", "Jan Kowalski", "Ola Nowak"]

    # Every player sees the same result live, with their own row highlighted, without reloading.
    for player, me in ((jan, "Jan Nowak"), (janek, "Jan Kowalski"), (ola, "Ola Nowak")):
        expect(player.get_by_test_id("draw-result")).to_be_visible()
        assert draw_rows(player) == host_rows
        mine = player.locator("[data-testid=draw-row][aria-current=true]")
        expect(mine).to_have_attribute("data-player", me)
        expect(player.get_by_test_id("my-club")).to_contain_text(dict(host_rows)[me])
        assert player.evaluate("window.__sameDocument") is True
    shot(jan, "09-waiting-drawn")

    # A repeated draw (another host tab) shows the very same result.
    again = phone()
    again.goto(f"/t/{tournament_id}/host")
    expect(again.get_by_test_id("draw-result")).to_be_visible()
    assert draw_rows(again) == host_rows
    expect(again.get_by_test_id("draw-button")).to_be_disabled()

    # The host's phone remembers the tournament, so closing the tab does not lose it.
    host.goto("/")
    expect(host.get_by_test_id("hosted-link").first).to_have_text(name)
    expect(host.get_by_test_id("hosted-link").first).to_have_attribute("href", f"{root}/t/{tournament_id}/host")
    # Every address the host page used (pages, modules, styles, API, QR, hub) stays below the prefix.
    origin = base_url.removesuffix(root)
    ours = [u.replace("ws://", "http://", 1) for u in requested]
    assert ours and all(u.startswith(base_url + "/") for u in ours if u.startswith(origin)), ours


def test_reload_while_picking_keeps_identity_and_state(phone: NewPhone, api: httpx.Client) -> None:
    tournament_id = create_tournament(api, 2)
    me, other = phone(), phone()
    join(me, f"/t/{tournament_id}/join", "Zofia", "Wiśniewska")
    join(other, f"/t/{tournament_id}/join", "Piotr", "Zieliński")
    pick(other, 3)
    confirm(other)
    me.get_by_test_id("club-2").click()
    expect(me.get_by_test_id("club-3")).to_be_disabled()

    me.reload()
    expect(me).to_have_url(re.compile(rf"/t/{tournament_id}/pick$"))
    expect(me.get_by_test_id("whoami")).to_contain_text("Zofia Wiśniewska")
    expect(me.get_by_test_id("club-3")).to_be_disabled()
    expect(me.get_by_test_id("club-2")).to_be_enabled()
    expect(me.get_by_test_id("club-confirm")).to_be_disabled()

    # The join link now knows who this phone is and goes straight back to the picker.
    me.goto(f"/t/{tournament_id}/join")
    expect(me).to_have_url(re.compile(rf"/t/{tournament_id}/pick$"))
    pick(me, 2)
    confirm(me)
    me.reload()
    expect(me.get_by_test_id("waiting")).to_contain_text("Manchaster City")
    me.goto(f"/t/{tournament_id}/pick")  # already picked: the picker sends the player to the waiting screen
    expect(me).to_have_url(re.compile(rf"/t/{tournament_id}/wait$"))
    expect(me.get_by_test_id("waiting")).to_be_visible()


def test_full_tournament_is_explained(phone: NewPhone, api: httpx.Client) -> None:
    tournament_id = create_tournament(api, 2)
    assign(api, tournament_id, "Adam", "Mały")
    assign(api, tournament_id, "Ewa", "Duża")
    page = phone()
    page.goto(f"/t/{tournament_id}/join")
    expect(page.get_by_test_id("error")).to_contain_text("full")
    page.get_by_test_id("join-name").fill("Late")
    page.get_by_test_id("join-surname").fill("Comer")
    page.get_by_test_id("join-submit").click()
    expect(page.get_by_test_id("error")).to_contain_text("this tournament is full")
    expect(page).to_have_url(re.compile(r"/join$"))
    shot(page, "10-join-full")


def test_duplicate_player_is_explained(phone: NewPhone, api: httpx.Client) -> None:
    tournament_id = create_tournament(api, 3)
    assign(api, tournament_id, "Jan", "Nowak")
    page = phone()
    page.goto(f"/t/{tournament_id}/join")
    page.get_by_test_id("join-name").fill("Jan")
    page.get_by_test_id("join-surname").fill("Nowak")
    page.get_by_test_id("join-submit").click()
    expect(page.get_by_test_id("error")).to_contain_text("Someone with this name has already joined")
    expect(page).to_have_url(re.compile(r"/join$"))
    shot(page, "11-join-duplicate")


def test_unknown_tournament_in_the_url_is_explained(phone: NewPhone) -> None:
    page = phone()
    unknown = str(uuid.uuid4())
    page.goto(f"/t/{unknown}/join")
    expect(page.get_by_test_id("error")).to_contain_text("could not find this tournament")
    expect(page.get_by_test_id("join-submit")).to_have_count(0)
    shot(page, "12-join-unknown")

    page.goto(f"/player/register/{unknown}")  # the original frontend's link
    expect(page).to_have_url(re.compile(rf"/t/{unknown}/join$"))
    expect(page.get_by_test_id("error")).to_contain_text("could not find this tournament")

    page.goto('/player/register/"')  # what the original's broken QR code opened
    expect(page.get_by_test_id("error")).to_contain_text("link is broken")
    for screen in ("host", "pick", "wait"):
        page.goto(f"/t/{unknown}/{screen}")
        expect(page.get_by_test_id("error")).to_contain_text("could not find this tournament")


def test_create_errors_are_inline_and_translated(phone: NewPhone, api: httpx.Client) -> None:
    taken = unique("Taken")
    assert api.post("/api/Tournament/create", json={"name": taken, "playerLimit": 2}).status_code == 200
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


def test_phone_layout_is_usable_by_touch_and_keyboard(phone: NewPhone, api: httpx.Client) -> None:
    tournament_id = create_tournament(api, 2)
    page = phone()
    page.set_viewport_size({"width": 360, "height": 740})
    assign(api, tournament_id, "Ada", "Nowak")
    for path in ("/", f"/t/{tournament_id}/host", f"/t/{tournament_id}/join"):
        page.goto(path)
        expect(page.locator("main h1")).to_be_visible()
        expect(page.locator("main h1")).not_to_have_text("Loading…")
        report = page.evaluate(
            r"""() => {
                const small = [...document.querySelectorAll('button, input, a.btn')]
                    .filter((el) => el.offsetParent !== null)
                    .map((el) => [el.dataset.testid || el.id || el.textContent.trim(), el.getBoundingClientRect()])
                    .filter(([, r]) => r.height < 44 || r.width < 44)
                    .map(([name]) => name);
                const unlabelled = [...document.querySelectorAll('input')]
                    .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
                    .map((el) => el.id);
                const overflow = document.documentElement.scrollWidth > window.innerWidth;
                const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
                const lum = ([r, g, b]) => {
                    const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
                    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
                };
                const background = (el) => {
                    for (; el; el = el.parentElement) {
                        const c = rgb(getComputedStyle(el).backgroundColor);
                        if (c.length === 3 || c[3] > 0.9) return c;
                    }
                    return [255, 255, 255];
                };
                const lowContrast = [...document.querySelectorAll('body *')]
                    .filter((el) => el.offsetParent !== null && el.closest('.visually-hidden, .skip-link') === null)
                    .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
                    .map((el) => {
                        const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(background(el))];
                        return [el.textContent.trim().slice(0, 30), (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
                    })
                    .filter(([, ratio]) => ratio < 4.5)
                    .map(([text, ratio]) => `${text}: ${ratio.toFixed(2)}`);
                const live = document.querySelectorAll('[aria-live]').length;
                return { small, unlabelled, overflow, live, lowContrast };
            }"""
        )
        expected = {"small": [], "unlabelled": [], "overflow": False, "lowContrast": [], "live": report["live"]}
        assert report == expected, path
        assert report["live"] >= 1, path

    # The join form works with the keyboard alone.
    page.goto(f"/t/{tournament_id}/join")
    page.get_by_test_id("join-name").focus()
    page.keyboard.type("Kasia")
    page.keyboard.press("Tab")
    page.keyboard.type("Lis")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/pick$"))
    page.get_by_test_id("club-4").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("club-4")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("club-confirm")).to_contain_text(CATALOGUE[4])


def test_lost_hub_shows_reconnecting_and_rereads_the_state(phone: NewPhone, api: httpx.Client) -> None:
    tournament_id = create_tournament(api, 2)
    assign(api, tournament_id, "Robert", "Lewandowski")
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
    join(page, f"/t/{tournament_id}/join", "Iga", "Świątek")
    banner = page.get_by_test_id("connection-banner")
    expect(banner).to_be_hidden()

    hub_down = True
    for ws in page_sides:
        ws.close()
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Reconnecting")
    shot(page, "14-pick-reconnecting")
    body = {"playerName": "Robert", "playerSurname": "Lewandowski", "tournamentId": tournament_id, "team": "Bayern"}
    assert api.post("/api/Team/select", json=body).status_code == 200  # its TeamSelected message is missed

    hub_down = False
    expect(banner).to_be_hidden()
    expect(page.get_by_test_id("club-0")).to_be_disabled()  # learnt from the state re-read after reconnecting
    expect(page.get_by_test_id("club-0")).to_contain_text("Robert Lewandowski")


def invocation(target: str, payload: dict[str, object]) -> str:
    return json.dumps({"type": 1, "target": target, "arguments": [json.dumps(payload)]}) + "\x1e"


def test_hub_client_framing_filtering_versions_and_reconnect(phone: NewPhone, api: httpx.Client) -> None:
    """The page's own SignalR client against a scripted hub (the REST API is the real one)."""
    tournament_id = create_tournament(api, 3)
    assign(api, tournament_id, "Ola", "Kowal")
    hubs: list[WebSocketRoute] = []
    extra_lookers: list[dict[str, str]] = []

    def hub(ws: WebSocketRoute) -> None:
        hubs.append(ws)
        lookers = list(extra_lookers)

        def on_message(message: str | bytes) -> None:
            for record in filter(None, str(message).split("\x1e")):
                data = json.loads(record)
                if data.get("protocol") == "json":
                    ws.send("{}\x1e")
                elif data.get("type") == 1 and data["target"] == "TeamClicked":
                    click = data["arguments"][0]
                    assert click["groupKey"] == tournament_id
                    clicked = [{"team": click["team"], "name": click["name"], "surname": click["surname"]}]
                    clicked += [{"team": click["team"], **who} for who in [{"name": "Ola", "surname": "Kowal"}]]
                    clicked += [{"team": click["team"], **who} for who in lookers]
                    frame = '{"type":6}\x1e' + invocation(
                        tournament_id, {"type": "TeamClicked", "tournamentId": tournament_id, "clickedTeams": clicked}
                    )
                    ws.send(frame[:25])  # a record split over two frames, after a ping in the same frame
                    ws.send(frame[25:])

        ws.on_message(on_message)

    page = phone()
    page.route_web_socket(re.compile(r"/hubs/actions"), hub)
    join(page, f"/t/{tournament_id}/join", "Jan", "Nowak")
    version = api.get(f"/api/Tournament?id={tournament_id}").json()["streamVersion"]
    page.get_by_test_id("club-0").click()
    expect(page.get_by_test_id("club-0")).to_have_attribute("data-clicked-by", "Ola Kowal")

    def selected(team: str, version: int, tid: str = tournament_id) -> dict[str, object]:
        payload = {"playerName": "Ola", "playerSurname": "Kowal", "team": team, "version": version}
        return {"type": "TeamSelected", "tournamentId": tid, **payload}

    other = str(uuid.uuid4())
    hubs[-1].send(invocation(tournament_id, selected("Liverpool", version)))  # stale: already in the state
    hubs[-1].send(invocation(tournament_id, selected("Chelsea", version + 1, other)))  # another tournament
    hubs[-1].send(invocation(other, selected("Juventus", version + 1)))  # another target
    hubs[-1].send(invocation(tournament_id, selected("PSG", version + 1)))
    expect(page.get_by_test_id("club-1")).to_be_disabled()
    for ignored in (3, 6, 8):
        expect(page.get_by_test_id(f"club-{ignored}")).to_be_enabled()

    # The server closes with allowReconnect: the client reconnects and repeats its unconfirmed click.
    extra_lookers.append({"name": "Ewa", "surname": "Lis"})
    hubs[-1].send('{"type":7,"allowReconnect":true}\x1e')
    # Ola has picked PSG meanwhile, so she is no longer shown as looking at Bayern.
    expect(page.get_by_test_id("club-0")).to_have_attribute("data-clicked-by", "Ewa Lis")
    assert len(hubs) == 2
    expect(page.get_by_test_id("connection-banner")).to_be_hidden()
