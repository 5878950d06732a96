"""The protected tournament (API v2): actors and tokens, picks that change, kicks, seats, the draw from who's here,
draw modes, the next round. Given these events, when this is decided, expect these events or this error."""

from __future__ import annotations

import random

import pytest

from lct.domain import draw
from lct.domain import tournament as t
from lct.domain.tournament import (
    NOBODY,
    Actor,
    AlreadyDrawn,
    Forbidden,
    InvalidTeamName,
    NoPicking,
    NotAllPlayersSelectedTeam,
    NotEnoughPlayers,
    PlayerNotFound,
    ProtectedTournament,
    SeatsBelowPlayers,
    Setup,
    TeamAlreadySelected,
    Tournament,
    TournamentLocked,
    Unauthorized,
    ValueOutOfRange,
)

TID = "0b7f3a3e-5b0e-4c55-9d0e-2f4e7c1a9b10"
HOST_TOKEN = "host-token-0123456789abcdefghijklmnopqrstuv"
HOST = Actor("host")


def protected(seats: int = 4, mode: t.DrawMode = "pool", catalogue: str = "original") -> Tournament:
    setup = Setup(t.hash_token(HOST_TOKEN), "ABC234", catalogue, (), mode, draw.new_server_seed().hex())
    state = t.replay(t.create(TID, "Cup", seats, setup))
    assert state is not None
    return state


def given(state: Tournament, *events: t.Event) -> Tournament:
    result = t.replay(events, state)
    assert result is not None
    return result


def joined(state: Tournament, *names: str) -> Tournament:
    for name in names:
        state = given(state, *t.join(state, name, "Nowak", f"id-{name}", t.hash_token(f"token-{name}"), "seed"))
    return state


def me(name: str) -> Actor:
    return Actor("player", f"id-{name}")


# --- tokens ---


def test_a_token_stands_for_the_host_its_player_or_nobody() -> None:
    state = joined(protected(), "Jan")
    assert t.actor_of(state, HOST_TOKEN) == HOST
    assert t.actor_of(state, "token-Jan") == me("Jan")
    assert t.actor_of(state, "token-Ola") == NOBODY
    assert t.actor_of(state, None) == NOBODY
    assert t.actor_of(state, "") == NOBODY


def test_a_reissued_token_replaces_the_old_one() -> None:
    state = joined(protected(), "Jan")
    state = given(state, *t.reissue_token(state, HOST, "id-Jan", t.hash_token("fresh")))
    assert t.actor_of(state, "token-Jan") == NOBODY
    assert t.actor_of(state, "fresh") == me("Jan")


def test_only_the_host_reissues_tokens() -> None:
    state = joined(protected(), "Jan", "Ola")
    with pytest.raises(Forbidden):
        t.reissue_token(state, me("Ola"), "id-Jan", "x")
    with pytest.raises(Unauthorized):
        t.reissue_token(state, NOBODY, "id-Jan", "x")


def test_only_hashes_are_kept() -> None:
    state = joined(protected(), "Jan")
    assert HOST_TOKEN not in repr(state) and "token-Jan" not in repr(state)


# --- picks ---


def test_a_player_picks_for_themselves_and_the_host_for_anyone() -> None:
    state = joined(protected(), "Jan", "Ola")
    assert t.pick(state, me("Jan"), "id-Jan", "PSG") == [t.TeamSelected(t.Player("Jan", "Nowak"), "PSG", "id-Jan")]
    assert t.pick(state, HOST, "id-Jan", "PSG")
    with pytest.raises(Forbidden):
        t.pick(state, me("Ola"), "id-Jan", "PSG")
    with pytest.raises(Unauthorized):
        t.pick(state, NOBODY, "id-Jan", "PSG")


def test_a_pick_changes_until_the_draw_and_frees_the_old_club() -> None:
    state = joined(protected(), "Jan", "Ola")
    state = given(state, *t.pick(state, me("Jan"), "id-Jan", "PSG"))
    state = given(state, *t.pick(state, me("Jan"), "id-Jan", "Bayern"))
    assert state.holder_of("PSG") is None
    assert t.pick(state, me("Ola"), "id-Ola", "PSG")
    with pytest.raises(TeamAlreadySelected):
        t.pick(state, me("Ola"), "id-Ola", "Bayern")
    assert t.pick(state, me("Jan"), "id-Jan", "Bayern") == []  # the same club again decides nothing


def test_unknown_players_and_clubs_are_refused() -> None:
    state = joined(protected(), "Jan")
    with pytest.raises(PlayerNotFound):
        t.pick(state, HOST, "id-nobody", "PSG")
    with pytest.raises(InvalidTeamName):
        t.pick(state, me("Jan"), "id-Jan", "Arsenal")  # not in the original list


# --- leaving, kicking, seats, locking ---


def test_the_host_kicks_a_player_leaves_and_nobody_else_removes_anyone() -> None:
    state = joined(protected(), "Jan", "Ola")
    state = given(state, *t.pick(state, me("Jan"), "id-Jan", "PSG"))
    assert t.remove(state, HOST, "id-Jan") == [t.PlayerRemoved("id-Jan", t.HOST)]
    assert t.remove(state, me("Jan"), "id-Jan") == [t.PlayerRemoved("id-Jan", "id-Jan")]
    with pytest.raises(Forbidden):
        t.remove(state, me("Ola"), "id-Jan")
    after = given(state, *t.remove(state, HOST, "id-Jan"))
    assert [e.id for e in after.entries] == ["id-Ola"] and after.holder_of("PSG") is None
    assert t.actor_of(after, "token-Jan") == NOBODY


def test_seats_change_within_range_and_never_below_the_players_in() -> None:
    state = joined(protected(seats=4), "Jan", "Ola", "Ewa")
    assert t.update(state, HOST, seats=3) == [t.SeatsChanged(3)]
    assert t.update(state, HOST, seats=4) == []
    with pytest.raises(SeatsBelowPlayers):
        t.update(state, HOST, seats=2)
    with pytest.raises(ValueOutOfRange):
        t.update(state, HOST, seats=11)  # the original list has 10 clubs
    with pytest.raises(Forbidden):
        t.update(state, me("Jan"), seats=3)


def test_locking_stops_joins_and_unlocking_allows_them_again() -> None:
    state = given(protected(), *t.update(protected(), HOST, locked=True))
    with pytest.raises(TournamentLocked):
        t.join(state, "Jan", "Nowak", "id", None)
    state = given(state, *t.update(state, HOST, locked=False))
    assert t.join(state, "Jan", "Nowak", "id", None)


# --- the draw ---


def test_the_draw_needs_two_players_who_all_picked_and_releases_empty_seats() -> None:
    state = joined(protected(seats=4), "Jan")
    with pytest.raises(NotEnoughPlayers):
        t.start_draw(state, HOST, random.Random(1))
    state = joined(state, "Ola")
    state = given(state, *t.pick(state, me("Jan"), "id-Jan", "PSG"))
    with pytest.raises(NotAllPlayersSelectedTeam):
        t.start_draw(state, HOST, random.Random(1))
    state = given(state, *t.pick(state, me("Ola"), "id-Ola", "Bayern"))
    with pytest.raises(Forbidden):
        t.start_draw(state, me("Jan"), random.Random(1))
    events = t.start_draw(state, HOST, random.Random(1))
    assert events[0] == t.SeatsChanged(2)
    drawn = given(state, *events)
    assert sorted(p.team for p in drawn.draw) == ["Bayern", "PSG"] and drawn.limit == 2
    assert t.start_draw(drawn, HOST, random.Random(1)) == []
    with pytest.raises(AlreadyDrawn):
        t.pick(drawn, me("Jan"), "id-Jan", "Chelsea")


def test_the_draw_is_lct_draw_v1_and_its_proof_recomputes() -> None:
    state = joined(protected(seats=3), "Jan", "Ola", "Ewa")
    for name, club in (("Jan", "PSG"), ("Ola", "Bayern"), ("Ewa", "Chelsea")):
        state = given(state, *t.pick(state, me(name), f"id-{name}", club))
    assert t.draw_proof(state) is None  # no seed revealed before the draw
    drawn = given(state, *t.start_draw(state, HOST, random.Random(1)))
    proof = t.draw_proof(drawn)
    assert proof is not None and proof["serverSeed"] == drawn.setup.seed
    seats = t.proof_seats(drawn)
    assert draw.verify(
        TID, "pool", drawn.commitment or "", drawn.setup.seed, seats, drawn.catalogue, [p.team for p in drawn.draw]
    )


def test_mode_random_has_no_picking_and_deals_from_the_whole_list() -> None:
    state = joined(protected(seats=3, mode="random", catalogue="european-clubs"), "Jan", "Ola")
    with pytest.raises(NoPicking):
        t.pick(state, me("Jan"), "id-Jan", "Arsenal")
    drawn = given(state, *t.start_draw(state, HOST, random.Random(1)))
    clubs = [p.team for p in drawn.draw]
    assert len(set(clubs)) == 2 and set(clubs) <= set(drawn.catalogue)


def test_mode_keep_starts_with_everyone_on_their_pick_and_has_no_proof() -> None:
    state = joined(protected(seats=2, mode="keep"), "Jan", "Ola")
    for name, club in (("Jan", "PSG"), ("Ola", "Bayern")):
        state = given(state, *t.pick(state, me(name), f"id-{name}", club))
    drawn = given(state, *t.start_draw(state, HOST, random.Random(1)))
    assert [(p.player_id, p.team) for p in drawn.draw] == [("id-Jan", "PSG"), ("id-Ola", "Bayern")]
    assert t.draw_proof(drawn) is None


def test_a_bigger_catalogue_allows_more_seats_up_to_64() -> None:
    setup = Setup(catalogue="european-clubs")
    assert t.replay(t.create(TID, "Big", 40, setup)) is not None
    with pytest.raises(ValueOutOfRange):
        t.create(TID, "Too big", 65, setup)


# --- v1 on a protected tournament; the next round; room codes ---


def test_v1_writes_are_refused_on_a_protected_tournament() -> None:
    with pytest.raises(ProtectedTournament):
        t.require_open(protected())
    t.require_open(t.replay(t.create(TID, "Open", 2)) or protected())


def test_the_next_round_starts_once_after_the_draw_and_keeps_seats_for_the_players() -> None:
    state = joined(protected(seats=2), "Jan", "Ola")
    with pytest.raises(t.NotDrawnYet):
        t.start_next_round(state, HOST, "next")
    for name, club in (("Jan", "PSG"), ("Ola", "Bayern")):
        state = given(state, *t.pick(state, me(name), f"id-{name}", club))
    state = given(state, *t.start_draw(state, HOST, random.Random(1)))
    with pytest.raises(Forbidden):
        t.start_next_round(state, me("Jan"), "next")
    state = given(state, *t.start_next_round(state, HOST, "next"))
    assert state.next_id == "next"
    with pytest.raises(t.NextRoundExists):
        t.start_next_round(state, HOST, "again")
    assert t.next_round_name(state) == "Cup · round 2"
    with pytest.raises(PlayerNotFound):
        t.take_seat(state, "id-stranger", "hash")


def test_a_next_round_seat_takes_the_claiming_phones_client_seed_until_the_draw() -> None:
    state = joined(protected(seats=2, mode="random"), "Jan", "Ola")
    state = given(state, *t.take_seat(state, "id-Jan", "hash-1", "phone-1"))
    state = given(state, *t.take_seat(state, "id-Jan", "hash-2", "phone-2"))
    state = given(state, *t.take_seat(state, "id-Ola", "hash-3"))  # no seed sent: the seat keeps its own
    assert [(e.token_hash, e.client_seed) for e in state.entries] == [("hash-2", "phone-2"), ("hash-3", "seed")]
    state = given(state, *t.start_draw(state, HOST, random.Random(1)))
    [issued] = t.take_seat(state, "id-Jan", "hash-4", "too-late")
    assert issued.client_seed is None  # the draw's inputs are fixed
    assert given(state, issued).entry("id-Jan").client_seed == "phone-2"


def test_room_codes_are_claimed_and_parsed_in_any_case() -> None:
    events = t.create(TID, "Cup", 2, Setup(code="ABC234"))
    assert t.Claim(t.CODE_CLAIM, "ABC234") in t.claims(TID, events)
    assert t.parse_code(" abc234 ") == "ABC234"
    assert t.parse_code("ABC1O0") is None  # look-alikes are not in the alphabet
    assert t.parse_code("ABC23") is None
    code = t.new_code(random.Random(3))
    assert t.parse_code(code) == code


def test_players_stored_before_ids_existed_get_a_stable_derived_id() -> None:
    state = t.replay(t.create(TID, "Old", 2))
    assert state is not None
    state = given(state, t.PlayerAdded(t.Player("Jan", "Nowak")))
    assert state.entries[0].id == t.legacy_player_id(TID, t.Player("Jan", "Nowak"))
    state = given(state, t.TeamSelected(t.Player("Jan", "Nowak"), "PSG"))
    assert state.entries[0].club == "PSG"
