"""The fixtures screen (/t/<id>/fixtures) and the fixtures panel in a real browser (Playwright driving Debian's
Chromium) against a real ``lct serve`` process.

Tournaments are set up through the REST API v2 with httpx (create, join, pick, draw); the fixtures themselves,
the scores, corrections and locks go through the screens. Every phone is its own browser context (its own
storage); identities are stored through the app's own lib/session.js, as the join screen does.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright

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
TV = {"width": 1920, "height": 1080}
SIZES = [(320, 640), (390, 844), (1280, 800), (1920, 1080)]
SCHEMES = ["light", "dark"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

pytestmark = pytest.mark.timeout(300)


# --- the tournament, set up through the API ---------------------------------------------------------------------


@dataclass(frozen=True)
class Seat:
    id: str
    token: str
    name: str
    surname: str

    @property
    def full(self) -> str:
        return f"{self.name} {self.surname}"

    def identity(self) -> dict[str, str]:
        return {"playerId": self.id, "token": self.token, "name": self.name, "surname": self.surname}


@dataclass(frozen=True)
class Cup:
    id: str
    host: str
    seats: list[Seat]

    def seat(self, name: str) -> Seat:
        return next(s for s in self.seats if s.name == name)


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def drawn_cup(api: httpx.Client, people: list[tuple[str, str]], draw_mode: str = "pool") -> Cup:
    """A v2 tournament whose players joined (in this order), picked the first clubs of the list, and were drawn."""
    body = {"name": f"Cup {uuid.uuid4().hex[:8]}", "seats": len(people), "drawMode": draw_mode}
    created = api.post("/api/v2/tournaments", json=body)
    assert created.status_code == 201, created.text
    tid, host = created.json()["tournament"]["id"], created.json()["hostToken"]
    clubs = [club["name"] for club in created.json()["tournament"]["clubs"]]
    seats = []
    for index, (name, surname) in enumerate(people):
        seed = uuid.uuid4().hex
        joined = api.post(
            f"/api/v2/tournaments/{tid}/players", json={"name": name, "surname": surname, "clientSeed": seed}
        )
        assert joined.status_code == 201, joined.text
        seat = Seat(joined.json()["player"]["id"], joined.json()["playerToken"], name, surname)
        seats.append(seat)
        if draw_mode != "random":
            picked = api.put(
                f"/api/v2/tournaments/{tid}/players/{seat.id}/club",
                json={"club": clubs[index]},
                headers=bearer(seat.token),
            )
            assert picked.status_code == 200, picked.text
    drawn = api.post(f"/api/v2/tournaments/{tid}/draw", headers=bearer(host))
    assert drawn.status_code == 200, drawn.text
    return Cup(tid, host, seats)


def fixtures_of(api: httpx.Client, cup: Cup) -> dict[str, Any]:
    response = api.get(f"/api/v2/tournaments/{cup.id}/fixtures")
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def match_between(fixtures: dict[str, Any], a: Seat, b: Seat) -> dict[str, Any]:
    return next(
        m
        for m in fixtures["matches"]
        if m["home"] and m["away"] and {m["home"]["playerId"], m["away"]["playerId"]} == {a.id, b.id}
    )


def match_by_id(fixtures: dict[str, Any], match_id: str) -> dict[str, Any]:
    return next(m for m in fixtures["matches"] if m["id"] == match_id)


# --- browsers and phones ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def root() -> str:
    """No path prefix here; the verify tests run under LCT_ROOT_PATH=/lct."""
    return ""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, root: str) -> Iterator[str]:
    with lct_server(tmp_path_factory.mktemp("fixtures"), {"LCT_ROOT_PATH": root} if root else None) as server:
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


@pytest.fixture
def api(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        yield client


Device = Callable[..., Page]


def remember(page: Page, root: str, tournament_id: str, host: str | None, player: Seat | None) -> None:
    """Store the host token and/or the player identity on this device through lib/session.js (the app's own
    storage contract), on a page of the app's origin."""
    page.goto(f"{root}/")
    page.evaluate(
        """async ([module, id, host, player]) => {
            const session = await import(module);
            if (host) session.saveHostToken(id, host);
            if (player) session.savePlayer(id, player);
        }""",
        [f"{root}/static/lib/session.js", tournament_id, host, player.identity() if player else None],
    )


@pytest.fixture
def device(browser: Browser, base_url: str, root: str) -> Iterator[Device]:
    """device(cup, host=False, player=None, viewport=PHONE, scheme="light", motion=None) -> a page (one phone)."""
    contexts: list[BrowserContext] = []

    def open_device(
        cup: Cup | None = None,
        *,
        host: bool = False,
        player: Seat | None = None,
        viewport: dict[str, int] = PHONE,
        scheme: str = "light",
        motion: str = "no-preference",
        player_identity: dict[str, str] | None = None,
    ) -> Page:
        context = browser.new_context(
            base_url=base_url.removesuffix(root) if root else base_url,
            viewport=viewport,  # type: ignore[arg-type]
            device_scale_factor=2 if viewport["width"] < 600 else 1,
            is_mobile=viewport["width"] < 600,
            has_touch=viewport["width"] < 600,
            color_scheme=scheme,  # type: ignore[arg-type]
            reduced_motion=motion,  # type: ignore[arg-type]
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        if cup is not None and (host or player):
            remember(page, root, cup.id, cup.host if host else None, player)
        if cup is not None and player_identity is not None:
            page.goto(f"{root}/")
            page.evaluate(
                "async ([m, id, p]) => (await import(m)).savePlayer(id, p)",
                [f"{root}/static/lib/session.js", cup.id, player_identity],
            )
        return page

    errors: list[str] = []
    yield open_device
    for context in contexts:
        context.close()
    assert errors == [], errors  # no page threw


def open_fixtures(page: Page, root: str, cup: Cup) -> Page:
    page.goto(f"{root}/t/{cup.id}/fixtures")
    expect(page.get_by_test_id("fixtures-title")).not_to_have_text("Fixtures")  # the tournament's name arrived
    page.evaluate("window.__sameDocument = true")
    return page


def open_tv(page: Page, root: str, cup: Cup) -> Page:
    """The TV page (screens/tv.js): once the tournament has fixtures it mounts the fixtures panel, size "tv",
    which runs on its own hub connection and GETs."""
    page.goto(f"{root}/t/{cup.id}/tv")
    expect(page.get_by_test_id("tv-title")).not_to_have_text("Loading…")
    page.evaluate("window.__sameDocument = true")
    return page


def tv_panel(page: Page) -> Any:
    return page.locator("[data-testid=fixtures-panel][data-size=tv]")


def row(page: Page, match_id: str) -> Any:
    return page.locator(f'[data-testid=match-row][data-match-id="{match_id}"]')


def enter(page: Page, match: dict[str, Any], goals: dict[str, int], penalties: str | None = None) -> None:
    """Fill the score form of `match` in its row ({player id: goals}) and send it."""
    form = row(page, match["id"])
    form.get_by_test_id("score-home").fill(str(goals[match["home"]["playerId"]]))
    form.get_by_test_id("score-away").fill(str(goals[match["away"]["playerId"]]))
    if penalties is not None:
        form.get_by_test_id(f"score-penalties-{penalties}").check()
    form.get_by_test_id("score-submit").click()


def score_text(match: dict[str, Any], goals: dict[str, int]) -> str:
    return f"{goals[match['home']['playerId']]} : {goals[match['away']['playerId']]}"


def expect_score(page: Page, match: dict[str, Any], goals: dict[str, int]) -> None:
    """The row of `match` shows these goals ({player id: goals}) next to each player."""
    for key in ("home", "away"):
        expect(row(page, match["id"]).get_by_test_id(f"goals-{key}")).to_have_text(str(goals[match[key]["playerId"]]))


def expect_standings(page: Page, expected: list[tuple[Seat, int, int]]) -> None:
    """Rows in this order, each with its points and goal difference (+3, 0 and -3 shown with a real minus sign)."""
    rows = page.get_by_test_id("standings-row")
    expect(rows).to_have_count(len(expected))
    for index, (seat, points, difference) in enumerate(expected):
        expect(rows.nth(index)).to_have_attribute("data-player-id", seat.id)
        expect(rows.nth(index)).to_have_attribute("data-points", str(points))
        shown = f"+{difference}" if difference > 0 else str(difference).replace("-", "−")
        expect(rows.nth(index).locator("[data-col=goalDifference]")).to_have_text(shown)
        expect(rows.nth(index).locator("td[data-col=points]")).to_have_text(str(points))


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


AXE = Path(__file__).resolve().parents[1] / "interop" / "node_modules" / "axe-core" / "axe.min.js"


def accessibility_problems(page: Page) -> list[Any]:
    """axe-core's violations on the page as it is (tests/interop installs axe-core; scripts/test runs npm ci)."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    problems: list[Any] = page.evaluate(
        """async () => (await axe.run(document, { resultTypes: ["violations"] })).violations
            .map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(" ")) }))"""
    )
    return problems


def no_horizontal_overflow(page: Page) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page is {width[0]} px wide in a {width[1]} px window"


# --- (1) a league: the host makes it, two phones enter and correct, everyone sees the same table live ----------


def test_a_league_is_made_scored_corrected_and_locked_live_on_every_phone_and_the_tv(
    device: Device, api: httpx.Client, root: str
) -> None:
    cup = drawn_cup(api, [("Jan", "Nowak"), ("Ola", "Kowalska"), ("Ben", "Smith")])
    jan_seat, ola_seat, ben_seat = cup.seat("Jan"), cup.seat("Ola"), cup.seat("Ben")

    # Before the fixtures exist: players wait; the host chooses the format.
    jan = open_fixtures(device(cup, player=jan_seat), root, cup)
    watcher = open_fixtures(device(), root, cup)
    expect(watcher.get_by_test_id("fixtures-waiting")).to_contain_text("Waiting for the host")
    expect(watcher.get_by_test_id("fixtures-setup")).to_have_count(0)
    tv = open_tv(device(viewport=TV), root, cup)
    host = open_fixtures(device(cup, host=True), root, cup)
    expect(host.get_by_test_id("fixtures-league-count")).to_have_text("3 matches")
    host.get_by_test_id("fixtures-legs-2").check()
    expect(host.get_by_test_id("fixtures-league-count")).to_have_text("6 matches")
    host.get_by_test_id("fixtures-legs-1").check()
    expect(host.get_by_test_id("fixtures-league-count")).to_have_text("3 matches")
    host.get_by_test_id("fixtures-league").click()
    expect(host.get_by_test_id("match-row")).to_have_count(3)
    expect(host.get_by_test_id("fixtures-setup")).not_to_be_visible()  # folded away: replacing is still possible
    # While no score exists, the host may replace them: two legs, then back to one.
    host.get_by_test_id("fixtures-replace").locator("summary").click()
    host.get_by_test_id("fixtures-legs-2").check()
    host.get_by_test_id("fixtures-league").click()
    expect(host.get_by_test_id("match-row")).to_have_count(6)
    expect(watcher.get_by_test_id("match-row")).to_have_count(6)
    host.get_by_test_id("fixtures-replace").locator("summary").click()
    host.get_by_test_id("fixtures-league").click()  # one leg is the default again
    expect(host.get_by_test_id("match-row")).to_have_count(3)
    fixtures = fixtures_of(api, cup)
    assert (fixtures["format"], fixtures["legs"], len(fixtures["matches"])) == ("league", 1, 3)

    # Every phone got them live (FixturesCreated), the TV shows its panel, Jan sees his own upcoming matches first.
    expect(tv_panel(tv)).to_be_visible()
    for page in (jan, watcher, tv):
        expect(page.get_by_test_id("standings-row")).to_have_count(3)
    expect(watcher.get_by_test_id("match-row")).to_have_count(3)
    mine = jan.get_by_test_id("my-matches").get_by_test_id("match-row")
    expect(mine).to_have_count(2)
    jan_matches = {
        m["id"] for m in fixtures["matches"] if jan_seat.id in (m["home"]["playerId"], m["away"]["playerId"])
    }
    first_two = jan.get_by_test_id("match-row").evaluate_all("rows => rows.slice(0, 2).map(r => r.dataset.matchId)")
    assert set(first_two) == jan_matches
    # Only the players of a match (and the host) get its score form.
    jan_ola, ola_ben = match_between(fixtures, jan_seat, ola_seat), match_between(fixtures, ola_seat, ben_seat)
    expect(row(jan, jan_ola["id"]).get_by_test_id("score-home")).to_be_visible()
    expect(row(jan, ola_ben["id"]).get_by_test_id("score-home")).to_have_count(0)
    expect(watcher.get_by_test_id("score-form")).to_have_count(0)
    expect(host.get_by_test_id("score-form")).to_have_count(3)
    next_id = fixtures["next"]
    expect(tv.get_by_test_id("next-match")).to_have_attribute("data-match-id", next_id)

    # Jan enters 2:1 against Ola; Ola corrects it to 2:2; Ben enters Ola 3:0 Ben.
    ola = open_fixtures(device(cup, player=ola_seat), root, cup)
    ben = open_fixtures(device(cup, player=ben_seat), root, cup)
    first = {jan_seat.id: 2, ola_seat.id: 1}
    enter(jan, jan_ola, first)
    expect(host.get_by_test_id("fixtures-replace")).to_have_count(0)  # a score exists: no more replacing
    expect_score(watcher, jan_ola, first)
    expect_score(ola, jan_ola, first)
    expect_standings(tv, [(jan_seat, 3, 1), (ben_seat, 0, 0), (ola_seat, 0, -1)])

    row(ola, jan_ola["id"]).get_by_test_id("score-edit").click()
    expect(row(ola, jan_ola["id"]).get_by_test_id("score-home")).to_have_value(str(first[jan_ola["home"]["playerId"]]))
    corrected = {jan_seat.id: 2, ola_seat.id: 2}
    enter(ola, jan_ola, corrected)
    expect_score(jan, jan_ola, corrected)
    enter(ben, ola_ben, {ola_seat.id: 3, ben_seat.id: 0})

    expected = [(ola_seat, 4, 3), (jan_seat, 1, 0), (ben_seat, 0, -3)]
    for page in (host, jan, ola, ben, watcher, tv):
        expect_standings(page, expected)
    rows = api.get(f"/api/v2/tournaments/{cup.id}/standings").json()
    assert [(r["playerId"], r["points"]) for r in rows] == [(s.id, p) for s, p, _ in expected]

    # The history says who did what; the host locks the score and the players lose their correct button live.
    history = watcher.locator(f'[data-match-id="{jan_ola["id"]}"] [data-testid=match-history]')
    history.locator("summary").click()
    entries = history.get_by_test_id("history-entry")
    expect(entries).to_have_count(2)
    expect(entries.nth(0)).to_have_attribute("data-action", "entered")
    expect(entries.nth(0)).to_contain_text("Jan Nowak")
    expect(entries.nth(1)).to_have_attribute("data-action", "corrected")
    expect(entries.nth(1)).to_contain_text("Ola Kowalska")
    expect(entries.nth(1)).to_contain_text(score_text(jan_ola, corrected))
    expect(row(jan, jan_ola["id"]).get_by_test_id("score-edit")).to_be_visible()
    row(host, jan_ola["id"]).get_by_test_id("score-lock").click()
    expect(row(jan, jan_ola["id"]).get_by_test_id("match-locked")).to_be_visible()
    expect(row(jan, jan_ola["id"]).get_by_test_id("score-edit")).to_have_count(0)
    expect(entries).to_have_count(3)  # the open history grew live and stayed open
    expect(entries.nth(2)).to_contain_text("the host")

    # Nobody reloaded.
    for page in (host, jan, ola, ben, watcher, tv):
        assert page.evaluate("window.__sameDocument") is True


# --- (2) a knockout of 5: byes, a level score settled on penalties, a refused correction, the champion --------


def test_a_knockout_of_five_is_played_to_the_champion(device: Device, api: httpx.Client, root: str) -> None:
    people = [("Ada", "Lis"), ("Bartek", "Wilk"), ("Celina", "Sowa"), ("Dawid", "Kruk"), ("Ewa", "Żuraw")]
    cup = drawn_cup(api, people)
    ada, bartek, celina, dawid, ewa = cup.seats  # seeds 1..5 (join order)
    host = open_fixtures(device(cup, host=True), root, cup)
    watcher = open_fixtures(device(), root, cup)
    still = open_fixtures(device(motion="reduce"), root, cup)
    expect(host.get_by_test_id("fixtures-setup")).to_contain_text("4 matches · 3 byes for the top seeds")
    host.get_by_test_id("fixtures-knockout").click()

    # The bracket: 8 slots, so seeds 1-3 get byes; round 1 is the quarter-finals.
    for page in (host, watcher):
        expect(page.get_by_test_id("bracket-round")).to_have_count(3)
        expect(page.get_by_test_id("bracket-bye")).to_have_count(3)
    expect(watcher.get_by_test_id("bracket-round").locator("h3")).to_have_text(
        ["Quarter-finals", "Semi-finals", "Final"]
    )
    fixtures = fixtures_of(api, cup)
    byes = [m for m in fixtures["matches"] if m["round"] == 1 and not m["away"]]
    assert {m["home"]["playerId"] for m in byes} == {ada.id, bartek.id, celina.id}
    for bye in byes:  # shown in the bracket as such, never as a match to score
        item = watcher.locator(f'[data-testid=bracket-match][data-match-id="{bye["id"]}"]')
        expect(item).to_have_attribute("data-state", "bye")
        expect(item.get_by_test_id("bracket-bye")).to_have_text("Bye")
        expect(row(host, bye["id"])).to_have_count(0)
    expect(host.get_by_test_id("match-row")).to_have_count(4)
    quarter = match_between(fixtures, dawid, ewa)
    expect(watcher.get_by_test_id("next-match")).to_have_attribute("data-match-id", quarter["id"])

    # Dawid's phone: 1:1 needs a penalties winner; the choice appears only for a level score.
    phone = open_fixtures(device(cup, player=dawid), root, cup)
    form = row(phone, quarter["id"])
    expect(form.get_by_test_id("score-penalties")).to_be_hidden()
    form.get_by_test_id("score-home").fill("1")
    form.get_by_test_id("score-away").fill("2")
    expect(form.get_by_test_id("score-penalties")).to_be_hidden()
    form.get_by_test_id("score-away").fill("1")
    expect(form.get_by_test_id("score-penalties")).to_be_visible()
    form.get_by_test_id("score-submit").click()
    expect(form.get_by_test_id("score-error")).to_have_text("The score is level: choose who won on penalties.")
    ewa_side = "home" if quarter["home"]["playerId"] == ewa.id else "away"
    form.get_by_test_id(f"score-penalties-{ewa_side}").check()
    form.get_by_test_id("score-submit").click()
    expect(row(watcher, quarter["id"])).to_contain_text("Ewa Żuraw won on penalties")

    # Ewa goes through live: the semi-final against Ada now names her.
    fixtures = fixtures_of(api, cup)
    semi_ada = match_between(fixtures, ada, ewa)
    semi_other = match_between(fixtures, bartek, celina)
    expect(row(watcher, semi_ada["id"])).to_contain_text("Ewa Żuraw")
    expect(watcher.locator(f'[data-testid=bracket-match][data-match-id="{quarter["id"]}"] .fx-winner')).to_contain_text(
        "Ewa Żuraw"
    )

    # The host plays the semi-finals; a correction that would change a winner already used is refused.
    enter(host, semi_other, {bartek.id: 3, celina.id: 1})
    enter(host, semi_ada, {ada.id: 0, ewa.id: 2})
    fixtures = fixtures_of(api, cup)
    final = next(m for m in fixtures["matches"] if m["round"] == 3)
    assert {final["home"]["playerId"], final["away"]["playerId"]} == {bartek.id, ewa.id}
    enter(host, final, {bartek.id: 1, ewa.id: 4})  # Ewa is champion... unless the quarter-final changes:
    expect(watcher.get_by_test_id("champion")).to_have_attribute("data-player-id", ewa.id)
    row(host, quarter["id"]).get_by_test_id("score-edit").click()
    enter(host, quarter, {dawid.id: 2, ewa.id: 0})
    expect(row(host, quarter["id"]).get_by_test_id("score-error")).to_have_text(
        "This correction would change the winner, but the next match has already been played."
    )

    # The champion on every screen, with the moment of glory only where motion is welcome.
    for page in (host, watcher, phone, still):
        expect(page.get_by_test_id("champion")).to_contain_text("Ewa Żuraw")
        expect(page.get_by_test_id("next-match")).to_have_count(0)  # nothing left to play: the champion says it all
    assert watcher.get_by_test_id("champion").evaluate("el => getComputedStyle(el).animationName") == "fx-glory"
    assert watcher.locator(".fx-confetto").first.evaluate("el => getComputedStyle(el).animationName") == "fx-fall"
    assert still.get_by_test_id("champion").evaluate("el => getComputedStyle(el).animationName") == "none"
    assert still.locator(".fx-confetto").first.evaluate("el => getComputedStyle(el).animationName") == "none"
    assert fixtures_of(api, cup)["champion"]["playerId"] == ewa.id
    for page in (host, watcher, phone, still):
        assert page.evaluate("window.__sameDocument") is True


# --- (3) what the API refuses is said in plain words -----------------------------------------------------------


def test_a_refused_score_is_explained(device: Device, api: httpx.Client, root: str) -> None:
    cup = drawn_cup(api, [("Jan", "Nowak"), ("Ola", "Kowalska"), ("Ben", "Smith")])
    jan, ola, ben = cup.seats
    made = api.post(
        f"/api/v2/tournaments/{cup.id}/fixtures", json={"format": "league", "legs": 1}, headers=bearer(cup.host)
    )
    assert made.status_code == 201, made.text
    match = match_between(made.json(), jan, ola)

    # A phone that believes it is Jan but holds Ben's token (say, a mixed-up link): the API answers 403.
    mixed = {**jan.identity(), "token": ben.token}
    page = open_fixtures(device(cup, player_identity=mixed), root, cup)
    form = row(page, match["id"])
    form.get_by_test_id("score-submit").click()  # empty: refused before any request
    expect(form.get_by_test_id("score-error")).to_have_text("Enter both scores as whole numbers from 0 to 99.")
    statuses: list[int] = []
    page.on("response", lambda r: statuses.append(r.status) if "/score" in r.url else None)
    enter(page, match, {jan.id: 1, ola.id: 0})
    expect(form.get_by_test_id("score-error")).to_have_text(
        "Not allowed: only the two players of this match or the host can enter its score."
    )
    assert statuses == [403]
    expect(form.get_by_test_id("score-submit")).to_be_enabled()  # nothing saved: the form stays for another try

    # A token the tournament does not know (revoked or made up): 401, said as such; in Polish too.
    stale = {**jan.identity(), "token": "x" * 43}
    page = open_fixtures(device(cup, player_identity=stale), root, cup)
    enter(page, match, {jan.id: 1, ola.id: 0})
    expect(row(page, match["id"]).get_by_test_id("score-error")).to_contain_text("not signed in")
    page.get_by_test_id("lang-switch").click()
    enter(page, match, {jan.id: 1, ola.id: 0})
    expect(row(page, match["id"]).get_by_test_id("score-error")).to_contain_text("nie jest już zalogowany")
    assert fixtures_of(api, cup)["matches"][0]["score"] is None
    assert all(m["score"] is None for m in fixtures_of(api, cup)["matches"])


def test_what_a_player_is_typing_survives_live_updates(device: Device, api: httpx.Client, root: str) -> None:
    cup = drawn_cup(api, [("Jan", "Nowak"), ("Ola", "Kowalska"), ("Ben", "Smith")])
    jan = cup.seat("Jan")
    made = api.post(f"/api/v2/tournaments/{cup.id}/fixtures", json={"format": "league"}, headers=bearer(cup.host))
    assert made.status_code == 201, made.text
    matches = sorted(made.json()["matches"], key=lambda m: m["order"])
    last = [m for m in matches if jan.id in (m["home"]["playerId"], m["away"]["playerId"])][-1]
    page = open_fixtures(device(cup, player=jan), root, cup)
    form = row(page, last["id"])
    expect(form).to_have_attribute("data-state", "ready")
    form.get_by_test_id("score-away").fill("4")
    form.get_by_test_id("score-home").fill("3")

    # The host enters every earlier score: Jan's match becomes the next one and its row is rebuilt live.
    for match in matches[: matches.index(last)]:
        score(api, cup, match, {match["home"]["playerId"]: 1, match["away"]["playerId"]: 0})
    expect(form).to_have_attribute("data-state", "next")
    expect(form.get_by_test_id("score-home")).to_have_value("3")
    expect(form.get_by_test_id("score-away")).to_have_value("4")
    expect(form.get_by_test_id("score-home")).to_be_focused()
    form.get_by_test_id("score-submit").click()
    expect(form.get_by_test_id("goals-home")).to_have_text("3")
    assert match_by_id(fixtures_of(api, cup), last["id"])["score"] == {"home": 3, "away": 4, "penaltiesWinner": None}


# --- screenshots: league, knockout, champion, TV at four sizes, light and dark --------------------------------


def score(
    api: httpx.Client, cup: Cup, match: dict[str, Any], goals: dict[str, int], penalties: str | None = None
) -> None:
    body: dict[str, Any] = {"home": goals[match["home"]["playerId"]], "away": goals[match["away"]["playerId"]]}
    if penalties:
        body["penaltiesWinner"] = penalties
    response = api.put(f"/api/v2/tournaments/{cup.id}/matches/{match['id']}/score", json=body, headers=bearer(cup.host))
    assert response.status_code == 200, response.text


def screenshot_cups(api: httpx.Client) -> dict[str, tuple[Cup, Seat | None]]:
    """A league under way (seen by a player), a knockout under way (the host) and one with its champion."""
    league = drawn_cup(
        api, [("Łucja", "Wiśniewska-Kowalczyk"), ("Jan", "Nowak"), ("Zoë", "Brandt"), ("Tom", "O'Neill")]
    )
    made = api.post(
        f"/api/v2/tournaments/{league.id}/fixtures", json={"format": "league", "legs": 1}, headers=bearer(league.host)
    )
    for index, match in enumerate(made.json()["matches"][:3]):
        score(api, league, match, {match["home"]["playerId"]: index + 1, match["away"]["playerId"]: 1})
    people = [("Ada", "Lis"), ("Bartek", "Wilk"), ("Celina", "Sowa"), ("Dawid", "Kruk"), ("Ewa", "Żuraw")]
    knockout, finished = drawn_cup(api, people), drawn_cup(api, people)
    for cup in (knockout, finished):
        made = api.post(f"/api/v2/tournaments/{cup.id}/fixtures", json={"format": "knockout"}, headers=bearer(cup.host))
        quarter = match_between(made.json(), cup.seats[3], cup.seats[4])
        score(api, cup, quarter, {cup.seats[3].id: 2, cup.seats[4].id: 2}, penalties="away")
    for match in fixtures_of(api, finished)["matches"][4:]:
        played = fixtures_of(api, finished)
        current = match_by_id(played, match["id"])
        score(api, finished, current, {current["home"]["playerId"]: 3, current["away"]["playerId"]: 1})
    return {
        "league": (league, league.seats[1]),
        "knockout": (knockout, None),
        "champion": (finished, finished.seats[0]),
    }


@pytest.mark.timeout(600)
def test_screenshots_at_every_size_and_scheme_without_overflow(device: Device, api: httpx.Client, root: str) -> None:
    cups = screenshot_cups(api)
    for (width, height), scheme in [(size, scheme) for size in SIZES for scheme in SCHEMES]:
        page = device(viewport={"width": width, "height": height}, scheme=scheme, motion="reduce")
        for name, (cup, player) in cups.items():  # one device holds all three identities (keys per tournament)
            remember(page, root, cup.id, cup.host if name == "knockout" else None, player)
        for name, (cup, _) in cups.items():
            open_fixtures(page, root, cup)
            expect(page.get_by_test_id("standings-row" if name == "league" else "bracket-match").first).to_be_visible()
            if name == "champion":
                expect(page.get_by_test_id("champion")).to_be_visible()
            if name == "league":
                narrow = width < 480
                expect(page.locator("td[data-col=won]").first).to_be_visible(visible=not narrow)
                expect(page.locator("td[data-col=points]").first).to_be_visible()
            no_horizontal_overflow(page)
            if width == 390:
                assert accessibility_problems(page) == [], (name, scheme)
            shot(page, f"fixtures-{name}-{width}x{height}-{scheme}")
        open_tv(page, root, cups["league"][0])
        expect(tv_panel(page).get_by_test_id("standings-row")).to_have_count(4)
        no_horizontal_overflow(page)
        shot(page, f"tv-panel-league-{width}x{height}-{scheme}")
        page.context.close()


def test_phones_on_the_fixtures_screen_follow_the_next_round(device: Device, api: httpx.Client, root: str) -> None:
    """The evening goes on: the host starts another round while the phones look at the standings; each phone moves
    to the new tournament with its own new token (the host's page to the new host page)."""
    cup = drawn_cup(api, [("Jan", "Nowak"), ("Ola", "Kowal")])
    assert (
        api.post(
            f"/api/v2/tournaments/{cup.id}/fixtures", json={"format": "league"}, headers=bearer(cup.host)
        ).status_code
        == 201
    )
    jan = open_fixtures(device(cup, player=cup.seat("Jan")), root, cup)
    host = open_fixtures(device(cup, host=True), root, cup)
    started = api.post(f"/api/v2/tournaments/{cup.id}/next-round", headers=bearer(cup.host))
    assert started.status_code == 201, started.text
    next_id = started.json()["tournament"]["id"]
    expect(jan).to_have_url(re.compile(rf"/t/{next_id}/pick$"))
    expect(host).to_have_url(re.compile(rf"/t/{next_id}/host$"))
    me = jan.evaluate("async ([m, id]) => (await import(m)).loadPlayer(id)", [f"{root}/static/lib/session.js", next_id])
    assert me["playerId"] == cup.seat("Jan").id and me["token"] != cup.seat("Jan").token
    assert jan.evaluate("window.__sameDocument") is True  # moved in place, no reload
