"""The host's controls and a phone's seat, in a real browser against a real ``lct serve``: kick and leave, "start
with who's here", picks that change, the host screen on a second device, a lost phone's new join link, the next
round, and the draw modes "random" and "keep". Fixtures and helpers come from test_webapp_browser.py."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_webapp_browser import (  # noqa: F401 (the *_fixture names register fixtures)
    NewPhone,
    api_fixture,
    base_url_fixture,
    browser_fixture,
    confirm,
    cup,
    decode_qr,
    draw_rows,
    host_screen,
    join,
    local_storage,
    phone_fixture,
    pick,
    playwright_fixture,
    shot,
    unique,
)

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def root() -> str:
    """These run once, at the site root (the prefix is test_webapp_browser.py's business)."""
    return ""


def create_in_app(page: Page, seats: int, *, mode: str = "pool", catalogue: str = "original") -> str:
    page.goto("/")
    page.get_by_test_id("create-name").fill(unique("Couch cup"))
    page.get_by_test_id("create-catalogue").select_option(catalogue)
    page.get_by_test_id(f"create-mode-{mode}").check()
    page.get_by_test_id("create-seats").fill(str(seats))
    page.get_by_test_id("create-submit").click()
    expect(page).to_have_url(re.compile(r"/t/[0-9a-f-]{36}/host$"))
    expect(page.get_by_test_id("draw-button")).to_be_visible()
    return page.url.split("/")[-2]


def test_host_removes_a_player_and_a_player_leaves(phone: NewPhone, api: httpx.Client) -> None:
    tournament = cup(api, 3)
    host = host_screen(phone, tournament)
    kasia, tomek = phone(), phone()
    join(kasia, f"/t/{tournament.id}/join", "Kasia", "Lis")
    join(tomek, f"/t/{tournament.id}/join", "Tomek", "Wilk")
    expect(host.get_by_test_id("player-row")).to_have_count(2)

    # Removing asks first; cancelling keeps the player.
    kasia_row = host.get_by_test_id("player-row").filter(has_text="Kasia Lis")
    kasia_row.get_by_test_id("player-kick").click()
    expect(kasia_row).to_contain_text("Remove Kasia Lis from the tournament?")
    shot(host, "20-host-kick-confirm")
    kasia_row.get_by_role("button", name="Cancel").click()
    expect(kasia_row.get_by_test_id("player-kick-confirm")).to_have_count(0)
    kasia_row.get_by_test_id("player-kick").click()
    kasia_row.get_by_test_id("player-kick-confirm").click()
    expect(host.get_by_test_id("player-row")).to_have_count(1)

    # Her phone learns it live and offers to join again.
    expect(kasia.get_by_test_id("removed")).to_be_visible()
    shot(kasia, "21-phone-removed")
    kasia.get_by_test_id("join-again").click()
    expect(kasia).to_have_url(re.compile(r"/join$"))
    expect(kasia.get_by_test_id("join-submit")).to_be_visible()
    assert f"lct.player.{tournament.id}" not in local_storage(kasia)

    # Tomek picks, then leaves on his own: his seat and his club are free again.
    pick(tomek, 0)
    confirm(tomek)
    tomek.get_by_test_id("leave").click()
    tomek.get_by_test_id("leave-confirm").click()
    expect(tomek).to_have_url(re.compile(r"/join$"))
    expect(tomek.get_by_test_id("join-submit")).to_be_visible()
    expect(host.get_by_test_id("player-row")).to_have_count(0)
    assert tournament.state()["clubs"][0]["pickedBy"] is None


def test_start_with_whos_here_seats_lock_and_rename(phone: NewPhone, api: httpx.Client) -> None:
    tournament = cup(api, 4)
    host = host_screen(phone, tournament)
    watcher = phone()
    watcher.goto(f"/t/{tournament.id}/join")
    expect(watcher.get_by_test_id("join-seats")).to_have_text("0 of 4 seats taken")
    draw = host.get_by_test_id("draw-button")
    tournament.join("Adam")
    expect(draw).to_be_disabled()
    expect(host.get_by_test_id("draw-hint")).to_contain_text("at least 2 players")
    tournament.join("Ewa")
    tournament.pick("Adam", "Bayern")
    expect(host.get_by_test_id("draw-hint")).to_contain_text("Waiting for 1 player(s) to pick")
    tournament.pick("Ewa", "Chelsea")
    expect(draw).to_be_enabled()
    free = "2 seat(s) still free: drawing now starts with who's here"
    expect(host.get_by_test_id("draw-hint")).to_contain_text(free)

    # Seats: plus and minus (never below the players in), live on the join page.
    host.get_by_test_id("seats-plus").click()
    expect(host.get_by_test_id("seats-value")).to_have_text("5")
    expect(watcher.get_by_test_id("join-seats")).to_have_text("2 of 5 seats taken")
    for _ in range(3):
        host.get_by_test_id("seats-minus").click()
    expect(host.get_by_test_id("seats-value")).to_have_text("2")
    expect(host.get_by_test_id("seats-minus")).to_be_disabled()
    expect(watcher.get_by_test_id("join-closed")).to_contain_text("full")
    host.get_by_test_id("seats-plus").click()
    expect(watcher.get_by_test_id("join-submit")).to_be_visible()

    # Lock and unlock joining.
    host.get_by_test_id("lock-toggle").click()
    expect(host.get_by_test_id("lock-toggle")).to_have_attribute("aria-pressed", "true")
    expect(host.get_by_test_id("locked-note")).to_be_visible()
    expect(watcher.get_by_test_id("join-closed")).to_contain_text("locked")
    host.get_by_test_id("lock-toggle").click()
    expect(watcher.get_by_test_id("join-submit")).to_be_visible()

    # Rename: every screen follows.
    new_name = unique("Renamed cup")
    host.get_by_test_id("rename-button").click()
    host.get_by_test_id("rename-input").fill(new_name)
    host.get_by_test_id("rename-save").click()
    expect(host.get_by_role("heading", level=1)).to_have_text(new_name)
    expect(watcher.get_by_role("heading", level=1)).to_contain_text(new_name)
    shot(host, "22-host-two-of-three")

    draw.click()
    expect(host.get_by_test_id("draw-result")).to_be_visible()
    assert sorted(team for _, team in draw_rows(host)) == ["Bayern", "Chelsea"]
    state = tournament.state()
    assert state["seats"] == 2 and len(state["draw"]) == 2  # the free seat was released
    expect(watcher.get_by_test_id("join-closed")).to_contain_text("draw has already happened")


def test_changing_a_pick_frees_the_old_club_live(phone: NewPhone, api: httpx.Client) -> None:
    tournament = cup(api, 2)
    host = host_screen(phone, tournament)
    ala, ola = phone(), phone()
    join(ala, f"/t/{tournament.id}/join", "Ala", "Kot")
    join(ola, f"/t/{tournament.id}/join", "Ola", "Pies")
    pick(ala, 0)
    confirm(ala)
    expect(ola.get_by_test_id("club-0")).to_be_disabled()
    expect(ola.get_by_test_id("club-0")).to_contain_text("Taken by Ala Kot")

    ala.get_by_test_id("change-club").click()
    expect(ala).to_have_url(re.compile(r"/pick$"))
    expect(ala.get_by_test_id("club-0")).to_have_attribute("aria-pressed", "true")  # her club, still hers
    expect(ala.get_by_test_id("club-0")).to_contain_text("Your club")
    expect(ala.get_by_test_id("club-confirm")).to_have_text("Keep Bayern")
    pick(ala, 3)
    expect(ala.get_by_test_id("club-confirm")).to_have_text("Confirm Liverpool")
    confirm(ala)
    expect(ola.get_by_test_id("club-0")).to_be_enabled()
    expect(ola.get_by_test_id("club-3")).to_be_disabled()
    expect(host.get_by_test_id("player-row").filter(has_text="Ala Kot")).to_contain_text("Liverpool")
    expect(ala.get_by_test_id("wait-lead")).to_contain_text("You picked Liverpool")
    pick(ola, 0)  # the freed club
    confirm(ola)
    expect(host.get_by_test_id("draw-button")).to_be_enabled()


def test_host_screen_on_a_second_device_through_the_fragment_link(phone: NewPhone) -> None:
    first = phone(viewport={"width": 1280, "height": 800}, is_mobile=False, has_touch=False)
    tournament_id = create_in_app(first, 3)
    token = local_storage(first)[f"lct.host.{tournament_id}"]
    first.get_by_test_id("host-other-screen").locator("summary").click()
    link = first.get_by_test_id("host-link")
    href = link.get_attribute("href") or ""
    assert href.endswith(f"/t/{tournament_id}/host#host={token}")
    expect(first.get_by_test_id("host-other-screen")).to_contain_text("Anyone with this link can run the tournament")
    assert decode_qr(first.get_by_test_id("host-link-qr").screenshot()) == [href]
    shot(first, "23-host-other-screen")

    second = phone()
    seen: list[str] = []
    second.on("request", lambda request: seen.append(request.url))
    second.on("websocket", lambda socket: seen.append(socket.url))
    second.goto(href)
    expect(second.get_by_test_id("draw-button")).to_be_visible()
    expect(second).to_have_url(re.compile(rf"/t/{tournament_id}/host$"))  # the fragment left the address bar
    assert second.evaluate("location.hash") == ""
    assert local_storage(second)[f"lct.host.{tournament_id}"] == token
    expect(second.get_by_test_id("host-readonly")).to_be_hidden()

    # It really is the host: its controls change the tournament for everyone.
    second.get_by_test_id("lock-toggle").click()
    expect(first.get_by_test_id("lock-toggle")).to_have_attribute("aria-pressed", "true")
    second.reload()
    expect(second.get_by_test_id("draw-button")).to_be_visible()
    assert seen and not [u for u in seen if token in u], "the host token travelled in an address"


def test_a_lost_phone_gets_a_new_join_link_and_the_old_one_is_signed_out(phone: NewPhone, api: httpx.Client) -> None:
    tournament = cup(api, 2)
    host = host_screen(phone, tournament)
    old = phone()
    join(old, f"/t/{tournament.id}/join", "Marta", "Nowicka")
    pick(old, 5)
    confirm(old)
    old_token = json.loads(local_storage(old)[f"lct.player.{tournament.id}"])["token"]

    row = host.get_by_test_id("player-row").filter(has_text="Marta Nowicka")
    row.get_by_test_id("player-relink").click()
    link = row.get_by_test_id("relink-link")
    href = link.get_attribute("href") or ""
    player_id = row.get_attribute("data-player-id")
    assert re.search(rf"/t/{tournament.id}/join#player={player_id}\.[A-Za-z0-9_-]{{43}}$", href), href
    assert decode_qr(row.get_by_test_id("relink-qr").screenshot()) == [href]
    shot(host, "24-host-relink")

    # The old phone is signed out at once and says what to do.
    expect(old.get_by_test_id("signed-out")).to_be_visible()
    expect(old.get_by_test_id("signed-out")).to_contain_text("Ask the host for a new link")
    shot(old, "25-phone-signed-out")

    new = phone()
    seen: list[str] = []
    new.on("request", lambda request: seen.append(request.url))
    new.goto(href)
    expect(new).to_have_url(re.compile(rf"/t/{tournament.id}/wait$"))  # she had picked already
    assert new.evaluate("location.hash") == ""
    expect(new.get_by_test_id("wait-lead")).to_contain_text("You picked Real Madrid")
    stored = local_storage(new)[f"lct.player.{tournament.id}"]
    assert '"name":"Marta"' in stored and '"surname":"Nowicka"' in stored
    new_token = href.rsplit(".", 1)[1]
    assert not [u for u in seen if new_token in u and "/hubs/actions" not in u]

    # The new phone can change the pick; the old token gets 401 and the old phone stays signed out.
    new.get_by_test_id("change-club").click()
    pick(new, 6)
    confirm(new)
    refused = api.put(
        f"/api/v2/tournaments/{tournament.id}/players/{player_id}/club",
        json={"club": "Atletico Madrid"},
        headers={"Authorization": f"Bearer {old_token}"},
    )
    assert refused.status_code == 401
    old.goto(f"/t/{tournament.id}/pick")
    expect(old.get_by_test_id("signed-out")).to_be_visible()


def test_next_round_moves_every_phone_with_its_identity(phone: NewPhone) -> None:
    host = phone(viewport={"width": 1280, "height": 800}, is_mobile=False, has_touch=False)
    first_id = create_in_app(host, 2)
    frames: list[str] = []
    players = [phone(), phone()]
    for page, (name, club) in zip(players, [("Ada", 0), ("Bartek", 1)], strict=True):
        page.on("websocket", lambda socket: socket.on("framereceived", lambda payload: frames.append(str(payload))))
        join(page, f"/t/{first_id}/join", name, "Zając")
        pick(page, club)
        confirm(page)
    host.get_by_test_id("draw-button").click()
    expect(host.get_by_test_id("next-round")).to_be_visible()
    for page in players:
        expect(page.get_by_test_id("my-club")).to_be_visible()

    host.get_by_test_id("next-round").click()
    expect(host).not_to_have_url(re.compile(first_id))
    expect(host).to_have_url(re.compile(r"/t/[0-9a-f-]{36}/host$"))
    second_id = host.url.split("/")[-2]
    expect(host.get_by_role("heading", level=1)).to_contain_text("round 2")
    expect(host.get_by_test_id("player-row")).to_have_count(2)

    # Every phone moves to the new round's picker by itself, as the same player, with a token that works there.
    for page, name in zip(players, ["Ada", "Bartek"], strict=True):
        expect(page).to_have_url(re.compile(rf"/t/{second_id}/pick$"))
        expect(page.get_by_test_id("whoami")).to_contain_text(f"{name} Zając")
    pick(players[0], 1)
    confirm(players[0])
    pick(players[1], 0)
    confirm(players[1])
    expect(host.get_by_test_id("draw-button")).to_be_enabled()
    shot(players[0], "26-next-round-waiting")

    # No token was ever broadcast: none of them is in anything the hub sent.
    tokens = [host.evaluate(f"localStorage.getItem('lct.host.{second_id}')")]
    for page in players:
        for tid in (first_id, second_id):
            tokens.append(json.loads(local_storage(page)[f"lct.player.{tid}"])["token"])
    assert frames and all(token and not any(token in frame for frame in frames) for token in tokens)

    # Each phone brought a fresh client seed to its seat of the new round: it is in the draw's proof.
    host.get_by_test_id("draw-button").click()
    expect(host.get_by_test_id("draw-result")).to_be_visible()
    base = host.url.split("/t/")[0]  # with the root path, when the app runs under one
    proof = host.evaluate(f"fetch('{base}/api/v2/tournaments/{second_id}').then(r => r.json())")
    sent = [json.loads(local_storage(page)[f"lct.player.{second_id}"])["clientSeed"] for page in players]
    assert [seat["clientSeed"] for seat in proof["drawProof"]["seats"]] == sent and all(sent)


def test_random_mode_needs_no_picking(phone: NewPhone) -> None:
    host = phone(viewport={"width": 1280, "height": 800}, is_mobile=False, has_touch=False)
    tournament_id = create_in_app(host, 3, mode="random", catalogue="national-teams")
    players = [phone(), phone()]
    for page, name in zip(players, ["Igor", "Julia"], strict=True):
        page.goto(f"/t/{tournament_id}/join")
        expect(page.get_by_test_id("rule")).to_contain_text("No picking")
        page.get_by_test_id("join-name").fill(name)
        page.get_by_test_id("join-surname").fill("Losowy")
        page.get_by_test_id("join-submit").click()
        expect(page).to_have_url(re.compile(r"/wait$"))  # no picking screen
        expect(page.get_by_test_id("wait-lead")).to_contain_text("Nobody picks here")
    players[0].goto(f"/t/{tournament_id}/pick")  # even asked for, the picker sends them back
    expect(players[0]).to_have_url(re.compile(r"/wait$"))
    draw = host.get_by_test_id("draw-button")
    expect(draw).to_be_enabled()  # two are in: that is enough
    shot(players[1], "27-random-lobby")
    draw.click()
    rows = dict(draw_rows(host))
    assert set(rows) == {"Igor Losowy", "Julia Losowy"}
    for page, name in zip(players, ["Igor", "Julia"], strict=True):
        expect(page.get_by_test_id("my-club")).to_have_text(f"You play as {rows[f'{name} Losowy']}")
        expect(page.get_by_test_id("verify-link")).to_be_visible()
    shot(players[0], "28-random-result")


def test_keep_mode_everyone_plays_their_pick(phone: NewPhone) -> None:
    host = phone(viewport={"width": 1280, "height": 800}, is_mobile=False, has_touch=False)
    tournament_id = create_in_app(host, 2, mode="keep")
    players = [phone(), phone()]
    for page, (name, club) in zip(players, [("Kamil", 2), ("Lena", 4)], strict=True):
        join(page, f"/t/{tournament_id}/join", name, "Stały")
        expect(page.get_by_test_id("rule")).to_contain_text("everyone plays the club they picked")
        pick(page, club)
        confirm(page)
    start = host.get_by_test_id("draw-button")
    expect(start).to_have_text("Start the tournament")
    start.click()
    assert draw_rows(host) == [("Kamil Stały", "Manchaster City"), ("Lena Stały", "Machester United")]
    expect(players[0].get_by_test_id("my-club")).to_have_text("You play as Manchester City")
    expect(players[1].get_by_test_id("my-club")).to_have_text("You play as Manchester United")
    expect(players[0].get_by_role("heading", level=1)).to_have_text("The tournament has started!")
    expect(players[0].get_by_test_id("verify-link")).to_have_count(0)  # nothing was drawn: nothing to verify


def test_draw_button_is_in_view_with_ten_players_on_a_laptop(phone: NewPhone, api: httpx.Client) -> None:
    tournament = cup(api, 10)
    clubs = [club["name"] for club in tournament.state()["clubs"]]
    for i, club in enumerate(clubs):
        tournament.join(f"Zawodnik{i}", "Długonazwiskowy-Przykładowy")
        tournament.pick(f"Zawodnik{i}", club)
    host = host_screen(phone, tournament, viewport={"width": 1280, "height": 800}, is_mobile=False, has_touch=False)
    draw = host.get_by_test_id("draw-button")
    expect(draw).to_be_enabled()
    expect(draw).to_be_in_viewport(ratio=1)
    assert host.evaluate("document.documentElement.scrollTop") == 0
    shot(host, "29-host-ten-players-1280", full_page=False)
    # Two columns: the invitation on the left, the players and the draw on the right.
    invite = host.locator(".invite").bounding_box()
    players = host.locator(".players-card").bounding_box()
    assert invite and players and invite["x"] + invite["width"] <= players["x"]
