"""The couch night in a real browser against a real ``lct serve``: the TV screen through a whole tournament, joining by
room code, a Polish browser, a big list of clubs on a small phone, and every screen at four sizes in light and dark
(screenshots, no horizontal scrolling at 320 px with long names, axe-core finds nothing). Fixtures and helpers come
from test_webapp_browser.py."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_webapp_browser import (  # noqa: F401 (the *_fixture names register fixtures)
    Cup,
    NewPhone,
    api_fixture,
    base_url_fixture,
    browser_fixture,
    confirm,
    cup,
    decode_qr,
    draw_rows,
    join,
    local_storage,
    phone_fixture,
    pick,
    playwright_fixture,
    shot,
    unique,
)

pytestmark = pytest.mark.timeout(240)

AXE = Path(__file__).resolve().parents[1] / "interop" / "node_modules" / "axe-core" / "axe.min.js"
SIZES = {"320x640": (320, 640), "390x844": (390, 844), "1280x800": (1280, 800), "1920x1080": (1920, 1080)}
BACKGROUND = {"light": "rgb(238, 242, 239)", "dark": "rgb(14, 24, 19)"}
WORD30 = "Brzęczyszczykiewiczowskiemuuuu"  # 30 letters, no break
NAME40 = "Konstantynopolitańczykowianeczka Wiśnia"  # 39 characters, then the surname


@pytest.fixture(scope="module")
def root() -> str:
    """These run once, at the site root (the prefix is test_webapp_browser.py's business)."""
    return ""


# ---------------------------------------------------------------- TV


def test_tv_follows_a_whole_tournament(phone: NewPhone, api: httpx.Client, base_url: str) -> None:
    tournament = cup(api, 3)
    tv = phone(viewport={"width": 1920, "height": 1080}, is_mobile=False, has_touch=False, device_scale_factor=1)
    calm_tv = phone(viewport={"width": 1280, "height": 720}, is_mobile=False, reduced_motion="reduce")
    tv.goto(f"/t/{tournament.id}/tv")
    calm_tv.goto(f"/t/{tournament.id}/tv")
    expect(tv.get_by_test_id("tv-code")).to_have_text(tournament.code)
    qr = tv.get_by_test_id("tv-qr")
    tv.wait_for_function("document.querySelector('[data-testid=tv-qr]').naturalWidth > 0")
    assert decode_qr(qr.screenshot()) == [f"{base_url}/t/{tournament.id}/join"]
    expect(tv.get_by_test_id("tv-join-url")).to_contain_text(base_url)
    expect(tv.get_by_test_id("tv-player-row")).to_have_count(0)

    # The lobby, live: who joins, who is looking at which club, who picked what.
    players = [phone(), phone(), phone()]
    for page, name in zip(players, ["Ala", "Bolek", "Cezary"], strict=True):
        join(page, f"/t/{tournament.id}/join", name, "Telewizyjny")
    expect(tv.get_by_test_id("tv-player-row")).to_have_count(3)
    players[0].get_by_test_id("club-5").click()
    ala = tv.get_by_test_id("tv-player-row").filter(has_text="Ala Telewizyjny")
    expect(ala.get_by_test_id("looking")).to_have_text("looking at Real Madrid")
    for page, club in zip(players, [5, 0, 9], strict=True):
        pick(page, club)
        confirm(page)
    expect(ala).to_contain_text("✓ Real Madrid")
    expect(ala.get_by_test_id("looking")).to_have_count(0)
    shot(tv, "30-tv-lobby", full_page=False)

    # The draw is revealed one player at a time, then the whole result; without motion, at once.
    drawn = tournament.draw()
    result = tv.get_by_test_id("tv-draw-result")
    expect(result).to_have_attribute("data-revealed", "1")
    expect(tv.get_by_test_id("tv-reveal")).to_be_visible()
    shot(tv, "31-tv-reveal", full_page=False)
    expect(result).to_have_attribute("data-done", "true")
    expect(tv.get_by_test_id("tv-reveal")).to_be_hidden()
    expected = [(f"{d['name']} {d['surname']}", d["club"]) for d in drawn["draw"]]
    assert draw_rows(tv, "tv-draw-result") == expected
    shot(tv, "32-tv-result", full_page=False)
    expect(calm_tv.get_by_test_id("tv-draw-result")).to_have_attribute("data-done", "true")
    assert draw_rows(calm_tv, "tv-draw-result") == expected
    running = calm_tv.evaluate("document.getAnimations().filter((a) => a.playState === 'running').length")
    assert running == 0

    # Fixtures: the fixtures panel takes the screen; the next round: the TV moves there by itself.
    headers = {"Authorization": f"Bearer {tournament.host}"}
    made = api.post(
        f"/api/v2/tournaments/{tournament.id}/fixtures", json={"format": "league", "legs": 1}, headers=headers
    )
    assert made.status_code == 201, made.text
    expect(tv.get_by_test_id("tv-fixtures")).to_be_visible()
    shot(tv, "33-tv-fixtures", full_page=False)
    for page in players:  # a phone on the result screen moves to the fixtures
        expect(page).to_have_url(re.compile(rf"/t/{tournament.id}/fixtures$"))
    started = api.post(f"/api/v2/tournaments/{tournament.id}/next-round", headers=headers)
    assert started.status_code == 201, started.text
    expect(tv).to_have_url(re.compile(rf"/t/{started.json()['tournament']['id']}/tv$"))
    expect(tv.get_by_test_id("tv-player-row")).to_have_count(3)


# ---------------------------------------------------------------- room codes, language, big lists


def test_join_with_the_room_code_at_the_start_page_and_by_link(phone: NewPhone, api: httpx.Client) -> None:
    tournament = cup(api, 3, name=unique("Code cup"))
    page = phone()
    page.goto("/")
    page.get_by_test_id("join-code").fill("abc")
    page.get_by_test_id("join-code-submit").click()
    expect(page.get_by_test_id("join-code-error")).to_contain_text("6 letters and digits")
    page.get_by_test_id("join-code").fill(f" {tournament.code[:3].lower()} {tournament.code[3:].lower()} ")
    page.get_by_test_id("join-code-submit").click()
    expect(page).to_have_url(re.compile(rf"/t/{tournament.id}/join$"))
    expect(page.get_by_test_id("join-submit")).to_be_visible()

    other = phone()
    other.goto(f"/j/{tournament.code.lower()}")
    expect(other).to_have_url(re.compile(rf"/t/{tournament.id}/join$"))
    join(other, f"/j/{tournament.code}", "Kod", "Pokoju")
    assert tournament.state()["players"][0]["name"] == "Kod"


def test_a_polish_browser_gets_polish_first_and_the_switch_is_remembered(phone: NewPhone, api: httpx.Client) -> None:
    tournament = cup(api, 2)
    page = phone(locale="pl-PL")
    assert page.evaluate("navigator.languages")[0] == "pl-PL"
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stwórz turniej")
    expect(page.get_by_test_id("lang-switch")).to_have_text("English")
    page.goto(f"/t/{tournament.id}/join")
    expect(page.get_by_test_id("join-submit")).to_have_text("Dołącz")
    expect(page.get_by_test_id("rule")).to_contain_text("trafiają do puli")
    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_test_id("join-submit")).to_have_text("Join")
    page.reload()
    expect(page.get_by_test_id("join-submit")).to_have_text("Join")  # the choice beats the browser's

    english = phone(locale="en-US")
    english.goto("/")
    expect(english.get_by_role("heading", level=1)).to_have_text("Start a tournament")


def test_a_big_list_is_grouped_and_searchable_on_a_small_phone(phone: NewPhone, api: httpx.Client) -> None:
    tournament = cup(api, 4, catalogue="european-clubs")
    clubs = tournament.state()["clubs"]
    assert len(clubs) >= 48
    page = phone(viewport={"width": 320, "height": 640})
    join(page, f"/t/{tournament.id}/join", "Mały", "Ekran")
    search = page.get_by_test_id("club-search")
    expect(search).to_be_visible()
    expect(page.locator(".group-title")).to_have_count(len({c["group"] for c in clubs}))
    visible = page.locator("button.club:visible")
    expect(visible).to_have_count(len(clubs))

    search.fill("bay")
    expect(visible).to_have_count(2)
    expect(page.get_by_text("Bayern Munich")).to_be_visible()
    expect(page.get_by_text("Bayer Leverkusen")).to_be_visible()
    expect(page.locator(".group-title:visible")).to_have_text(["Germany"])
    search.fill("monchen")  # without the umlaut
    expect(visible).to_have_count(1)
    expect(visible.first).to_have_attribute("data-team", "Borussia Mönchengladbach")
    search.fill("portugal")  # a country finds its clubs
    expect(visible).to_have_count(3)
    search.fill("zzz")
    expect(visible).to_have_count(0)
    expect(page.get_by_test_id("club-no-match")).to_contain_text("No club matches")
    search.fill("lever")
    index = next(i for i, c in enumerate(clubs) if c["name"] == "Bayer Leverkusen")
    page.get_by_test_id(f"club-{index}").click()
    expect(page.get_by_test_id("club-confirm")).to_have_text("Confirm Bayer Leverkusen")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    shot(page, "34-pick-search-320", full_page=False)
    confirm(page)
    expect(page.get_by_test_id("wait-lead")).to_contain_text("Bayer Leverkusen")
    assert tournament.state()["players"][0]["club"] == "Bayer Leverkusen"


def test_the_app_is_installable(api: httpx.Client) -> None:
    page = api.get("/")
    assert '<link rel="manifest" href="/static/manifest.webmanifest">' in page.text
    response = api.get("/static/manifest.webmanifest")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["display"] == "standalone" and manifest["start_url"] == "../"
    sizes = set()
    for icon in manifest["icons"]:
        served = api.get(f"/static/{icon['src']}")
        assert served.status_code == 200 and served.headers["content-type"] == icon["type"], icon
        sizes.add(icon["sizes"])
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])


# ---------------------------------------------------------------- every screen, four sizes, light and dark


def long_cups(api: httpx.Client) -> tuple[Cup, Cup]:
    """Two tournaments with long names: one in its lobby (a pick made, a seat free), one drawn."""
    tag = uuid.uuid4().hex[:4]  # names are unique per service (LCT_E2E_BASE_URL may be a long-lived one)
    lobby = cup(api, 3, name=f"{WORD30} Cup {tag}", catalogue="european-clubs")
    lobby.join(WORD30, NAME40)
    lobby.join(NAME40, WORD30)
    lobby.pick(NAME40, "Borussia Mönchengladbach")
    drawn = cup(api, 3, name=f"{NAME40[:20]} {WORD30[:14]} {tag}", catalogue="european-clubs")
    for i, club in enumerate(["Borussia Mönchengladbach", "Paris Saint-Germain", "Red Bull Salzburg"]):
        drawn.join(f"{WORD30[: 28 + i % 2]}{i}", NAME40)
        drawn.pick(f"{WORD30[: 28 + i % 2]}{i}", club)
    drawn.draw()
    return lobby, drawn


def seat(tournament: Cup, player_id: str, token: str) -> dict[str, str]:
    """A seat in this phone's storage, as a new join link leaves it (no names yet: the app reads them)."""
    held = {"playerId": player_id, "token": token, "name": "", "surname": ""}
    return {f"lct.player.{tournament.id}": json.dumps(held)}


def identity(tournament: Cup, who: str) -> dict[str, str]:
    return seat(tournament, *tournament.players[who])


def screens(lobby: Cup, drawn: Cup) -> list[tuple[str, str, dict[str, str], str]]:
    """(name, path, localStorage, what shows the screen is ready)."""
    first_drawn = next(iter(drawn.players))
    return [
        ("create", "/", {}, "create-submit"),
        ("join", f"/t/{lobby.id}/join", {}, "join-submit"),
        ("pick", f"/t/{lobby.id}/pick", identity(lobby, WORD30), "club-57"),
        ("wait", f"/t/{lobby.id}/wait", identity(lobby, NAME40), "wait-row"),
        ("host", f"/t/{lobby.id}/host", {f"lct.host.{lobby.id}": lobby.host}, "player-row"),
        ("tv", f"/t/{lobby.id}/tv", {}, "tv-player-row"),
        ("join-closed", f"/t/{drawn.id}/join", {}, "draw-row"),
        ("result", f"/t/{drawn.id}/wait", identity(drawn, first_drawn), "my-club"),
        ("host-drawn", f"/t/{drawn.id}/host", {f"lct.host.{drawn.id}": drawn.host}, "next-round"),
        ("tv-result", f"/t/{drawn.id}/tv", {}, "tv-result-row"),
        ("unknown-code", "/j/ZZZZZZ", {}, "join-code-error"),
        ("removed", f"/t/{lobby.id}/wait", seat(lobby, str(uuid.uuid4()), "x" * 43), "join-again"),
        ("signed-out", f"/t/{lobby.id}/wait", seat(lobby, lobby.players[WORD30][0], "y" * 43), "watch-only"),
    ]


def open_device(browser: Browser, base_url: str, size: tuple[int, int], scheme: str) -> Page:
    width, height = size
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": width, "height": height},
        is_mobile=width < 600,
        has_touch=width < 600,
        color_scheme=scheme,  # type: ignore[arg-type]
        reduced_motion="reduce",
        bypass_csp=True,  # only so that axe-core can be injected
        locale="en-GB",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/static/manifest.webmanifest")  # the origin, for its storage
    return page


def open_screen(page: Page, path: str, storage: dict[str, str]) -> None:
    """Open `path` on a device whose storage holds exactly `storage` (a seat, a host token)."""
    page.evaluate(
        "(s) => { localStorage.clear(); Object.entries(s).forEach(([k, v]) => localStorage.setItem(k, v)); }", storage
    )
    page.goto(path)


def axe_violations(page: Page) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        """async () => {
            const result = await axe.run(document, { resultTypes: ["violations"] });
            return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
        }"""
    )
    return found


def table_fits_its_card(page: Page) -> bool:
    fits: bool = page.evaluate(
        """() => [...document.querySelectorAll("table.result")].every((table) => {
            const card = table.closest(".card, .tv-draw").getBoundingClientRect();
            const box = table.getBoundingClientRect();
            return box.left >= card.left - 0.5 && box.right <= card.right + 0.5;
        })"""
    )
    return fits


@pytest.fixture(scope="module")
def showcase(base_url: str) -> tuple[Cup, Cup]:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        return long_cups(client)


AXE_EVERYWHERE = "390x844"
AXE_BIG_SCREENS = ("1920x1080", {"host", "host-drawn", "tv", "tv-result"})


def check_screen(page: Page, name: str, size: str, scheme: str) -> list[str]:
    problems = []
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    if background != BACKGROUND[scheme]:
        problems.append(f"{name} {scheme}: background {background}")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        problems.append(f"{name} {scheme}: {overflow} px of horizontal scrolling")
    if not table_fits_its_card(page):
        problems.append(f"{name} {scheme}: the draw table spills out of its card")
    shot(page, f"screen-{name}-{size}-{scheme}")
    if size == AXE_EVERYWHERE or (size == AXE_BIG_SCREENS[0] and name in AXE_BIG_SCREENS[1]):
        problems += [f"{name} {scheme}: axe {v}" for v in axe_violations(page)]
    return problems


@pytest.mark.parametrize("size", list(SIZES), ids=list(SIZES))
def test_every_screen_fits_and_passes_axe_in_light_and_dark(
    browser: Browser, base_url: str, showcase: tuple[Cup, Cup], size: str
) -> None:
    """Screenshots of every screen (test-artifacts/screenshots/screen-<name>-<size>-<scheme>.png), with long names
    and unbroken words: the theme's background, no horizontal scrolling, the draw table inside its card, and no
    axe-core violations (every screen on a phone, the host and TV screens on a big screen)."""
    assert AXE.is_file(), "run `npm ci` in tests/interop (scripts/test does)"
    problems: list[str] = []
    for scheme in ("light", "dark"):
        page = open_device(browser, base_url, SIZES[size], scheme)
        try:
            for name, path, storage, ready in screens(*showcase):
                open_screen(page, path, storage)
                expect(page.get_by_test_id(ready).first).to_be_visible()
                if name == "tv-result":
                    expect(page.get_by_test_id("tv-draw-result")).to_have_attribute("data-done", "true")
                problems += check_screen(page, name, size, scheme)
        finally:
            page.context.close()
    assert problems == []
