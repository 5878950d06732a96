"""The tournament aggregate: given these events, when this is decided, expect these events or this error.
Ported from the original's domain tests (contract 8.2, tests 1-2 and 31-88) plus the rules we fixed."""

from __future__ import annotations

import random

import pytest

from lct.domain import tournament as t
from lct.domain.tournament import (
    CATALOGUE,
    FieldCannotBeEmpty,
    InvalidField,
    InvalidTeamName,
    NotAllPlayersRegistered,
    NotAllPlayersSelectedTeam,
    Pick,
    Player,
    PlayerAlreadyAssigned,
    PlayerNotInTournament,
    PlayerSelectedTeamBefore,
    TeamAlreadySelected,
    TeamsDrawn,
    TeamSelected,
    Tournament,
    TournamentCreated,
    TournamentLimitExceeded,
    TournamentNamed,
    ValueOutOfRange,
)

TID = "0b7f3a3e-5b0e-4c55-9d0e-2f4e7c1a9b10"


def created(limit: int = 4, name: str = "Friday FIFA") -> Tournament:
    state = t.replay(t.create(TID, name, limit))
    assert state is not None
    return state


def given(state: Tournament, *events: t.Event) -> Tournament:
    result = t.replay(events, state)
    assert result is not None
    return result


def with_players(limit: int, count: int) -> Tournament:
    state = created(limit)
    for i in range(count):
        state = given(state, *t.add_player(state, f"p{i}", "s"))
    return state


def with_picks(limit: int, picks: int) -> Tournament:
    state = with_players(limit, limit)
    for i in range(picks):
        state = given(state, *t.select_team(state, f"p{i}", "s", CATALOGUE[i]))
    return state


# --- creation and event numbering ---


def test_a_new_tournament_is_two_events_numbered_1_and_2() -> None:
    events = t.create(TID, "Cup", 4)
    assert events == [TournamentCreated(TID, 4), TournamentNamed("Cup")]
    state = created()
    assert state.version == 2
    assert state.name_version == 1


def test_create_rename_two_registrations_and_a_selection_number_six_events() -> None:
    state = created()
    state = given(state, *t.rename(state, "Cup 2"))
    state = given(state, *t.add_player(state, "Jan", "Nowak"))
    state = given(state, *t.add_player(state, "Ola", "Kowal"))
    state = given(state, *t.select_team(state, "Jan", "Nowak", "Bayern"))
    assert state.version == 6
    assert state.name_version == 2


def test_limit_is_checked_before_the_name() -> None:
    with pytest.raises(ValueOutOfRange):
        t.create(TID, "", 1)


@pytest.mark.parametrize("limit", [-2, 0, 1])
def test_a_limit_below_two_is_refused(limit: int) -> None:
    with pytest.raises(ValueOutOfRange):
        t.create(TID, "Cup", limit)


def test_a_limit_above_the_catalogue_is_refused_because_it_could_never_be_drawn() -> None:
    with pytest.raises(ValueOutOfRange):
        t.create(TID, "Cup", len(CATALOGUE) + 1)
    assert created(len(CATALOGUE)).limit == 10


@pytest.mark.parametrize(
    ("name", "error"),
    [(None, FieldCannotBeEmpty), ("", InvalidField), ("   ", InvalidField), ("x" * 101, InvalidField)],
)
def test_invalid_tournament_names_are_refused(name: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        t.create(TID, name, 4)


def test_a_name_of_exactly_100_characters_with_inner_spaces_is_fine() -> None:
    assert created(name="a b" + "c" * 97).name == "a b" + "c" * 97


# --- rename ---


def test_renaming_to_the_same_name_is_refused() -> None:
    state = created(name="Cup")
    with pytest.raises(InvalidField):
        t.rename(state, "Cup")


def test_renaming_changes_the_name_and_bumps_the_naming_version() -> None:
    state = created(name="Cup")
    state = given(state, *t.rename(state, "Big Cup"))
    assert (state.name, state.name_version) == ("Big Cup", 2)


# --- players ---


def test_a_player_can_be_added() -> None:
    state = created()
    state = given(state, *t.add_player(state, "Jan", "Nowak"))
    assert state.players == (Player("Jan", "Nowak"),)


def test_the_same_name_and_surname_cannot_join_twice() -> None:
    state = with_players(4, 0)
    state = given(state, *t.add_player(state, "Jan", "Nowak"))
    with pytest.raises(PlayerAlreadyAssigned):
        t.add_player(state, "Jan", "Nowak")


def test_names_that_differ_only_in_case_or_unicode_form_are_the_same_player() -> None:
    """Issue 12 replaces the original's case-sensitive identity: "jan" and "Jan" (or "Jan" in NFD) are one name."""
    state = created()
    state = given(state, *t.add_player(state, "Jan", "Nowak"))
    for name, surname in (("jan", "Nowak"), ("JAN", "NOWAK"), (" Jan ", "Nowak")):
        with pytest.raises(PlayerAlreadyAssigned):
            t.add_player(state, name, surname)
    zofia = given(state, *t.add_player(state, "Zofia", "Wiśniewska"))
    with pytest.raises(PlayerAlreadyAssigned):
        t.add_player(zofia, "Zofia", "Wis\u0301niewska")


def test_a_third_player_in_a_two_seat_tournament_is_refused() -> None:
    with pytest.raises(TournamentLimitExceeded):
        t.add_player(with_players(2, 2), "p9", "s")


def test_duplicate_check_comes_before_the_limit_check() -> None:
    with pytest.raises(PlayerAlreadyAssigned):
        t.add_player(with_players(2, 2), "p0", "s")


@pytest.mark.parametrize(
    ("name", "surname", "error"),
    [
        (None, None, FieldCannotBeEmpty),
        (None, "x", FieldCannotBeEmpty),
        ("x", None, FieldCannotBeEmpty),
        ("", "x", InvalidField),
        ("x", "", InvalidField),
        (" ", "x", InvalidField),
        ("x", "y" * 101, InvalidField),
    ],
)
def test_invalid_player_names_are_refused(name: object, surname: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        Player.of(name, surname)


def test_names_with_spaces_are_fine() -> None:
    assert Player.of("hehe", "fiu fiu") == Player("hehe", "fiu fiu")


def test_players_compare_by_value() -> None:
    assert Player("a", "b") == Player("a", "b")
    assert Player("a", "b") != Player("a", "c")
    assert Player("a", "b") != None  # noqa: E711


# --- team selection ---


def test_an_unregistered_player_cannot_select_even_with_an_invalid_team() -> None:
    with pytest.raises(PlayerNotInTournament):
        t.select_team(with_players(2, 1), "ghost", "s", "hehe")


@pytest.mark.parametrize("team", [None, "", "hehe", "bayern", "Manchester City"])
def test_only_catalogue_clubs_spelled_exactly_can_be_selected(team: object) -> None:
    with pytest.raises(InvalidTeamName):
        t.select_team(with_players(2, 1), "p0", "s", team)


def test_a_registered_player_can_select_before_every_seat_is_taken() -> None:
    state = with_players(2, 1)
    state = given(state, *t.select_team(state, "p0", "s", "Bayern"))
    assert state.selections == (Pick(Player("p0", "s"), "Bayern"),)


def test_a_player_cannot_select_a_second_team() -> None:
    state = with_picks(2, 1)
    with pytest.raises(PlayerSelectedTeamBefore):
        t.select_team(state, "p0", "s", "PSG")


def test_reselecting_the_held_team_reports_selected_before_not_taken() -> None:
    with pytest.raises(PlayerSelectedTeamBefore):
        t.select_team(with_picks(2, 1), "p0", "s", "Bayern")


def test_a_taken_team_cannot_be_selected_by_another_player() -> None:
    with pytest.raises(TeamAlreadySelected):
        t.select_team(with_picks(2, 1), "p1", "s", "Bayern")


def test_the_same_team_in_two_tournaments_is_fine() -> None:
    one, two = with_players(2, 1), with_players(2, 1)
    assert t.select_team(one, "p0", "s", "Bayern") == t.select_team(two, "p0", "s", "Bayern")


def test_catalogue_is_the_originals_ten_clubs_in_order() -> None:
    assert CATALOGUE[0] == "Bayern"
    assert CATALOGUE[-1] == "Barcelona"
    assert "Manchaster City" in CATALOGUE
    assert "Machester United" in CATALOGUE
    assert len(set(CATALOGUE)) == 10


# --- draw ---


@pytest.mark.parametrize(("limit", "players"), [(2, 0), (2, 1), (3, 2)])
def test_a_draw_needs_every_seat_taken(limit: int, players: int) -> None:
    with pytest.raises(NotAllPlayersRegistered):
        t.draw_teams(with_players(limit, players), random.Random(1))


@pytest.mark.parametrize(("limit", "picks"), [(2, 0), (2, 1), (3, 2)])
def test_a_draw_needs_every_player_to_have_picked(limit: int, picks: int) -> None:
    with pytest.raises(NotAllPlayersSelectedTeam):
        t.draw_teams(with_picks(limit, picks), random.Random(1))


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("limit", [2, 10])
def test_the_draw_shares_out_exactly_the_picked_clubs_one_per_player(seed: int, limit: int) -> None:
    state = with_picks(limit, limit)
    [event] = t.draw_teams(state, random.Random(seed))
    assert isinstance(event, TeamsDrawn)
    assert len(event.draws) == limit
    assert sorted(d.team for d in event.draws) == sorted(s.team for s in state.selections)
    assert sorted(d.player.name for d in event.draws) == sorted(p.name for p in state.players)


def test_the_draw_is_deterministic_for_a_given_random_source() -> None:
    state = with_picks(6, 6)
    assert t.draw_teams(state, random.Random(7)) == t.draw_teams(state, random.Random(7))


def test_a_repeated_draw_decides_nothing_and_the_first_result_stands() -> None:
    state = with_picks(4, 4)
    state = given(state, *t.draw_teams(state, random.Random(3)))
    assert t.draw_teams(state, random.Random(99)) == []
    assert state.drawn_team(Player("p0", "s")) is not None


# --- claims ---


def test_naming_claims_the_compared_form_of_the_name_exclusively_and_selections_claim_nothing() -> None:
    """Names are unique ignoring case and Unicode form (issue 12); clubs are unique within one stream, which the
    expected-version check of every append already guarantees, so they need no store claim (and a pick can change)."""
    events = [TournamentNamed("Cup Ą"), TeamSelected(Player("a", "b"), "PSG")]
    assert t.claims(TID, events) == [t.Claim(t.NAME_CLAIM, "cup ą", exclusive=True)]


def test_the_fold_rebuilds_the_same_state_from_the_events() -> None:
    state = with_picks(3, 3)
    events: list[t.Event] = [TournamentCreated(TID, 3), TournamentNamed("Friday FIFA")]
    events += [t.PlayerAdded(Player(f"p{i}", "s")) for i in range(3)]
    events += [TeamSelected(Player(f"p{i}", "s"), CATALOGUE[i]) for i in range(3)]
    assert t.replay(events) == state
