"""Fixtures and standings after the draw: generation (league order on one console, seeded knockout bracket),
score decisions and their errors, the fold, and the table. Examples first, then hypothesis properties."""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lct.domain import fixtures as f
from lct.domain.fixtures import (
    HOST,
    FixturesCreated,
    FixturesInProgress,
    Match,
    MatchIsBye,
    MatchLocked,
    MatchNotFound,
    MatchNotReady,
    NoScoreToLock,
    ResultAlreadyUsed,
    Score,
    ScoreEntered,
    ScoreLocked,
    WrongNumberOfPlayers,
)
from lct.domain.tournament import DomainError, InvalidField, InvalidInput, RuleViolation

AT = "2025-01-01T20:00:00Z"
LATER = "2025-01-01T20:30:00Z"


def players(n: int) -> list[str]:
    return [f"p{i}" for i in range(1, n + 1)]


@functools.cache
def fixtures(fmt: str, n: int, legs: int | None = None) -> f.Fixtures:
    """Fresh fixtures (cached: states are immutable, decisions and the fold make new ones)."""
    fx = f.replay(f.create_fixtures(None, fmt, legs, players(n)))
    assert fx is not None
    return fx


def then(fx: f.Fixtures, events: Sequence[f.FixturesEvent]) -> f.Fixtures:
    result = f.replay(events, fx)
    assert result is not None
    return result


def scored(fx: f.Fixtures, match_id: str, home: int, away: int, pens: str | None = None) -> f.Fixtures:
    return then(fx, f.enter_score(fx, match_id, home, away, pens, HOST, AT))


def back_to_backs(matches: Sequence[Match]) -> int:
    return sum(len({a.home, a.away} & {b.home, b.away}) for a, b in itertools.pairwise(matches))


# --- creation -------------------------------------------------------------------------------------------------


def test_league_of_four_has_six_matches_numbered_in_console_order() -> None:
    fx = fixtures("league", 4)
    assert (fx.format, fx.legs, len(fx.matches)) == ("league", 1, 6)
    assert [m.id for m in fx.matches] == [f"m{i}" for i in range(1, 7)]
    assert [m.order for m in fx.matches] == list(range(1, 7))
    assert [m.round for m in fx.matches] == [1, 1, 2, 2, 3, 3]
    assert fx.scores == {} and fx.locked == frozenset() and fx.history == {}


@pytest.mark.parametrize("fmt", ["cup", "League", "", None, 1])
def test_format_must_be_league_or_knockout(fmt: object) -> None:
    with pytest.raises(InvalidField):
        f.create_fixtures(None, fmt, None, players(4))


@pytest.mark.parametrize("legs", [0, 3, -1, True, False, "1", 1.0])
def test_league_legs_must_be_the_int_one_or_two(legs: object) -> None:
    with pytest.raises(InvalidField):
        f.create_fixtures(None, "league", legs, players(4))


def test_league_legs_default_to_one() -> None:
    assert fixtures("league", 4, None).legs == 1
    assert fixtures("league", 4, 2).legs == 2


@pytest.mark.parametrize("legs", [2, 0, True])
def test_knockout_takes_a_single_leg(legs: object) -> None:
    with pytest.raises(InvalidField):
        f.create_fixtures(None, "knockout", legs, players(4))
    assert fixtures("knockout", 4, 1).legs == fixtures("knockout", 4, None).legs == 1


@pytest.mark.parametrize("count", [0, 1, 65])
def test_fixtures_need_two_to_sixty_four_players(count: int) -> None:
    with pytest.raises(WrongNumberOfPlayers) as caught:
        f.create_fixtures(None, "league", 1, [f"p{i}" for i in range(count)])
    assert isinstance(caught.value, RuleViolation) and caught.value.code == "WrongNumberOfPlayers"


def test_players_must_be_distinct_ids() -> None:
    with pytest.raises(InvalidField):
        f.create_fixtures(None, "league", 1, ["a", "b", "a"])


def test_fixtures_can_be_replaced_while_no_match_has_a_score() -> None:
    fx = fixtures("league", 4)
    [event] = f.create_fixtures(fx, "knockout", None, players(4))
    assert then(fx, [event]).format == "knockout"


def test_fixtures_cannot_be_replaced_once_a_match_has_a_score() -> None:
    fx = scored(fixtures("league", 4), "m1", 1, 0)
    with pytest.raises(FixturesInProgress) as caught:
        f.create_fixtures(fx, "knockout", None, players(4))
    assert caught.value.code == "FixturesInProgress"


def test_creating_the_same_fixtures_again_decides_nothing() -> None:
    fx = fixtures("league", 5, 2)
    assert f.create_fixtures(fx, "league", 2, players(5)) == []
    assert len(f.create_fixtures(fx, "league", 1, players(5))) == 1


def test_the_same_players_always_give_the_same_fixtures() -> None:
    assert f.create_fixtures(None, "league", 2, players(9)) == f.create_fixtures(None, "league", 2, players(9))


# --- league generation ----------------------------------------------------------------------------------------


def test_second_leg_swaps_home_and_away_and_follows_the_first() -> None:
    fx = fixtures("league", 6, 2)
    half = len(fx.matches) // 2
    first = {(m.home, m.away) for m in fx.matches[:half]}
    second = {(m.away, m.home) for m in fx.matches[half:]}
    assert first == second and len(first) == 15
    assert fx.matches[half].round == fx.matches[half - 1].round + 1 == 6


@pytest.mark.parametrize("n", range(2, 65))
def test_home_and_away_are_balanced(n: int) -> None:
    one = fixtures("league", n, 1)
    home = Counter(m.home for m in one.matches)
    away = Counter(m.away for m in one.matches)
    assert all(abs(home[p] - away[p]) <= (n + 1) % 2 for p in players(n))  # odd n: exactly equal
    two = fixtures("league", n, 2)
    assert Counter(m.home for m in two.matches) == Counter(m.away for m in two.matches)


@pytest.mark.parametrize("legs", [1, 2])
@pytest.mark.parametrize("n", range(2, 65))
def test_rounds_are_round_robin_rounds(n: int, legs: int) -> None:
    fx = fixtures("league", n, legs)
    rounds = [list(group) for _, group in itertools.groupby(fx.matches, key=lambda m: m.round)]
    assert [group[0].round for group in rounds] == list(range(1, legs * (n - 1 + n % 2) + 1))
    for group in rounds:
        seen = [p for m in group for p in (m.home, m.away)]
        assert len(seen) == len(set(seen)) == 2 * (n // 2)


@pytest.mark.parametrize("legs", [1, 2])
@pytest.mark.parametrize("n", range(5, 65))
def test_nobody_plays_twice_in_a_row_from_five_players_every_size(n: int, legs: int) -> None:
    assert back_to_backs(fixtures("league", n, legs).matches) == 0


def _brute_force_minimum(n: int, legs: int) -> int:
    """Every order of each leg, legs one after the other (leg 2 starts when leg 1 is over)."""
    pairs = [frozenset(p) for p in itertools.combinations(range(n), 2)]

    def cost(order: Sequence[frozenset[int]], before: frozenset[int] = frozenset()) -> int:
        return sum(len(a & b) for a, b in itertools.pairwise([before, *order]))

    orders = list(itertools.permutations(pairs))
    if legs == 1:
        return min(cost(order) for order in orders)
    second = {last: min(cost(order, last) for order in orders) for last in pairs}
    return min(cost(order) + second[order[-1]] for order in orders)


@pytest.mark.parametrize(("n", "legs", "expected"), [(3, 1, 2), (3, 2, 5), (4, 1, 2), (4, 2, 4), (2, 2, 2)])
def test_three_and_four_players_reach_the_brute_forced_minimum_of_back_to_backs(
    n: int, legs: int, expected: int
) -> None:
    assert _brute_force_minimum(n, legs) == expected
    assert back_to_backs(fixtures("league", n, legs).matches) == expected


@pytest.mark.parametrize("legs", [1, 2])
@pytest.mark.parametrize("n", range(2, 65))
def test_rests_are_spread_nobody_waits_a_full_two_rounds(n: int, legs: int) -> None:
    fx = fixtures("league", n, legs)
    last: dict[str | None, int] = {}
    for match in fx.matches:
        for player in (match.home, match.away):
            assert match.order - last.get(player, 0) <= max(n, 3)
            last[player] = match.order


def test_sixty_four_players_with_two_legs_get_all_4032_matches_and_nobody_plays_twice_in_a_row() -> None:
    """The largest league (its generation time is measured by python -m benchmarks.fixtures, in docs/benchmarks.md)."""
    f._league_plan.cache_clear()
    [event] = f.create_fixtures(None, "league", 2, [f"id-{i}" for i in range(64)])
    assert len(event.matches) == 4032
    for before, after in itertools.pairwise(sorted(event.matches, key=lambda m: m.order)):
        assert not {before.home, before.away} & {after.home, after.away}


# --- knockout generation --------------------------------------------------------------------------------------


def test_knockout_of_eight_uses_the_standard_seeded_bracket() -> None:
    fx = fixtures("knockout", 8)
    first = [(m.home, m.away) for m in fx.matches if m.round == 1]
    assert first == [("p1", "p8"), ("p4", "p5"), ("p2", "p7"), ("p3", "p6")]
    later = [(m.id, m.round, m.sources) for m in fx.matches if m.round > 1]
    assert later == [("m5", 2, ("m1", "m2")), ("m6", 2, ("m3", "m4")), ("m7", 3, ("m5", "m6"))]
    assert all(m.home is None and m.away is None for m in fx.matches if m.round > 1)


def test_byes_go_to_the_first_seeds_and_come_first() -> None:
    fx = fixtures("knockout", 5)
    first = [(m.id, m.home, m.away) for m in fx.matches if m.round == 1]
    assert first == [("m1", "p1", None), ("m2", "p2", None), ("m3", "p3", None), ("m4", "p4", "p5")]
    # m4 is the only match played in round 1, so round 2 opens with the other half of the bracket
    assert [(m.id, m.sources) for m in fx.matches if m.round == 2] == [("m5", ("m2", "m3")), ("m6", ("m1", "m4"))]
    assert fx.matches[-1].sources == ("m6", "m5")  # the upper half stays home


@pytest.mark.parametrize("n", range(2, 65))
def test_no_knockout_winner_plays_straight_again_before_the_final(n: int) -> None:
    fx = fixtures("knockout", n)
    played = [m for m in fx.matches if m.round > 1 or m.away is not None]
    assert len(played) == n - 1
    for previous, match in itertools.pairwise(played):
        assert previous.id not in match.sources or match is fx.matches[-1]


@pytest.mark.parametrize("size", [2, 4, 8, 16, 32, 64])
def test_seeds_one_and_two_can_meet_only_in_the_final(size: int) -> None:
    fx = fixtures("knockout", size)
    slots = [p for m in fx.matches if m.round == 1 for p in (m.home, m.away)]
    assert ("p1" in slots[: size // 2]) != ("p2" in slots[: size // 2])
    assert sorted(slots, key=lambda p: int(str(p)[1:])) == players(size)


def test_bye_winner_is_its_only_player_without_a_score() -> None:
    fx = fixtures("knockout", 3)
    bye = fx.matches[0]
    assert (bye.home, bye.away) == ("p1", None)
    assert f.winner(bye, None) == "p1"
    final = f.resolved(fx)[-1]
    assert (final.home, final.away) == ("p1", None)


# --- entering scores ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("goals", [-1, 100, True, 1.5, "2", None])
def test_goals_are_whole_numbers_from_zero_to_ninety_nine(goals: object) -> None:
    fx = fixtures("league", 4)
    with pytest.raises(InvalidField):
        f.enter_score(fx, "m1", goals, 0, None, HOST, AT)
    with pytest.raises(InvalidField):
        f.enter_score(fx, "m1", 0, goals, None, HOST, AT)


def test_ninety_nine_goals_are_accepted() -> None:
    assert scored(fixtures("league", 4), "m1", 99, 0).scores["m1"] == Score(99, 0)


def test_level_knockout_score_needs_a_penalties_winner() -> None:
    fx = fixtures("knockout", 4)
    with pytest.raises(InvalidField):
        f.enter_score(fx, "m1", 1, 1, None, HOST, AT)
    assert scored(fx, "m1", 1, 1, "away").scores["m1"] == Score(1, 1, "away")


def test_decisive_knockout_score_takes_no_penalties_winner() -> None:
    with pytest.raises(InvalidField):
        f.enter_score(fixtures("knockout", 4), "m1", 2, 1, "home", HOST, AT)


@pytest.mark.parametrize("pens", ["home", "away"])
def test_league_score_never_takes_a_penalties_winner(pens: str) -> None:
    with pytest.raises(InvalidField):
        f.enter_score(fixtures("league", 4), "m1", 1, 1, pens, HOST, AT)


@pytest.mark.parametrize("pens", ["both", "", 1, True])
def test_penalties_winner_is_home_or_away(pens: object) -> None:
    with pytest.raises(InvalidField):
        f.enter_score(fixtures("knockout", 4), "m1", 0, 0, pens, HOST, AT)


def test_unknown_match_is_not_found_and_not_a_rule_violation() -> None:
    with pytest.raises(MatchNotFound) as caught:
        f.enter_score(fixtures("league", 4), "m99", 1, 0, None, HOST, AT)
    assert caught.value.code == "MatchNotFound"
    assert isinstance(caught.value, DomainError)
    assert not isinstance(caught.value, RuleViolation | InvalidInput)
    with pytest.raises(MatchNotFound):
        f.lock_score(fixtures("league", 4), "m99", HOST, AT)


def test_a_bye_takes_no_score_and_cannot_be_locked() -> None:
    fx = fixtures("knockout", 3)
    with pytest.raises(MatchIsBye):
        f.enter_score(fx, "m1", 1, 0, None, HOST, AT)
    with pytest.raises(MatchIsBye):
        f.lock_score(fx, "m1", HOST, AT)


def test_later_round_waits_until_both_players_are_known() -> None:
    fx = fixtures("knockout", 4)
    with pytest.raises(MatchNotReady):
        f.enter_score(fx, "m3", 1, 0, None, HOST, AT)
    fx = scored(fx, "m1", 1, 0)
    with pytest.raises(MatchNotReady):
        f.enter_score(fx, "m3", 1, 0, None, HOST, AT)
    fx = scored(fx, "m2", 0, 3)
    final = f.resolved(fx)[2]
    assert (final.home, final.away) == ("p1", "p3")
    assert scored(fx, "m3", 2, 0).scores["m3"] == Score(2, 0)


def test_a_bye_player_meets_the_winner_in_round_two() -> None:
    fx = scored(fixtures("knockout", 3), "m2", 0, 1)  # p2 - p3
    final = f.resolved(fx)[-1]
    assert (final.home, final.away, final.sources) == ("p1", "p3", ("m1", "m2"))


def test_locked_match_refuses_scores() -> None:
    fx = scored(fixtures("league", 4), "m1", 1, 0)
    fx = then(fx, f.lock_score(fx, "m1", HOST, LATER))
    with pytest.raises(MatchLocked) as caught:
        f.enter_score(fx, "m1", 2, 0, None, HOST, LATER)
    assert caught.value.code == "MatchLocked"
    with pytest.raises(MatchLocked):
        f.enter_score(fx, "m1", 1, 0, None, HOST, LATER)


def test_correction_that_changes_a_used_winner_is_refused() -> None:
    fx = fixtures("knockout", 4)
    fx = scored(scored(scored(fx, "m1", 1, 0), "m2", 1, 0), "m3", 0, 0, "home")
    with pytest.raises(ResultAlreadyUsed) as caught:
        f.enter_score(fx, "m1", 0, 1, None, HOST, LATER)
    assert caught.value.code == "ResultAlreadyUsed"
    with pytest.raises(ResultAlreadyUsed):
        f.enter_score(fx, "m1", 2, 2, "away", HOST, LATER)


def test_correction_that_keeps_the_winner_is_allowed_after_the_next_match() -> None:
    fx = fixtures("knockout", 4)
    fx = scored(scored(scored(fx, "m1", 1, 0), "m2", 1, 0), "m3", 3, 1)
    assert scored(fx, "m1", 4, 2).scores["m1"] == Score(4, 2)
    assert scored(fx, "m1", 1, 1, "home").scores["m1"] == Score(1, 1, "home")


def test_correction_before_the_next_match_moves_the_new_winner_on() -> None:
    fx = scored(scored(fixtures("knockout", 4), "m1", 1, 0), "m2", 1, 0)
    fx = scored(fx, "m1", 0, 1)
    assert (f.resolved(fx)[2].home, f.resolved(fx)[2].away) == ("p4", "p2")


def test_league_corrections_are_free_until_locked() -> None:
    fx = scored(scored(fixtures("league", 4), "m1", 1, 0), "m2", 1, 0)
    assert scored(fx, "m1", 0, 3).scores["m1"] == Score(0, 3)


def test_entering_the_current_score_again_decides_nothing() -> None:
    fx = scored(fixtures("league", 4), "m1", 2, 2)
    assert f.enter_score(fx, "m1", 2, 2, None, "p1", LATER) == []


def test_lock_needs_a_score() -> None:
    with pytest.raises(NoScoreToLock) as caught:
        f.lock_score(fixtures("league", 4), "m1", HOST, AT)
    assert caught.value.code == "NoScoreToLock"


def test_locking_twice_decides_nothing() -> None:
    fx = scored(fixtures("league", 4), "m1", 1, 0)
    fx = then(fx, f.lock_score(fx, "m1", HOST, AT))
    assert f.lock_score(fx, "m1", HOST, LATER) == []


def test_only_the_host_and_the_two_players_may_score() -> None:
    fx = fixtures("knockout", 4)
    assert [f.may_score(fx, "m1", actor) for actor in (HOST, "p1", "p4", "p2")] == [True, True, True, False]
    assert not f.may_score(fx, "m3", "p1")  # not known yet
    fx = scored(fx, "m1", 1, 0)
    fx = scored(fx, "m2", 1, 0)
    assert [f.may_score(fx, "m3", actor) for actor in ("p1", "p2", "p4")] == [True, True, False]
    assert not f.may_score(fx, "m42", "p1")


def test_only_the_host_may_lock() -> None:
    assert f.may_lock(HOST) and not f.may_lock("p1")


# --- the fold -------------------------------------------------------------------------------------------------


def test_history_records_entered_then_corrected_then_locked() -> None:
    fx = fixtures("league", 4)
    fx = then(fx, f.enter_score(fx, "m1", 1, 0, None, "p1", AT))
    fx = then(fx, f.enter_score(fx, "m1", 2, 0, None, HOST, LATER))
    fx = then(fx, f.lock_score(fx, "m1", HOST, LATER))
    assert fx.history["m1"] == (
        f.ScoreChange("entered", "p1", AT, Score(1, 0)),
        f.ScoreChange("corrected", HOST, LATER, Score(2, 0)),
        f.ScoreChange("locked", HOST, LATER, None),
    )
    assert fx.scores == {"m1": Score(2, 0)} and fx.locked == {"m1"}


def test_events_need_fixtures_first() -> None:
    with pytest.raises(ValueError, match="cannot start"):
        f.apply(None, ScoreEntered("m1", Score(1, 0), HOST, AT))
    with pytest.raises(ValueError, match="cannot start"):
        f.apply(None, ScoreLocked("m1", HOST, AT))


def test_creating_replaces_everything() -> None:
    fx = scored(fixtures("league", 4), "m1", 1, 0)
    fresh = f.apply(fx, FixturesCreated("knockout", 1, fixtures("knockout", 2).matches))
    assert (fresh.format, len(fresh.matches), fresh.scores, fresh.history) == ("knockout", 1, {}, {})


# --- queries --------------------------------------------------------------------------------------------------


def test_next_match_is_the_first_ready_match_without_a_score() -> None:
    fx = fixtures("knockout", 3)
    assert f.next_match(fx) == "m2"  # m1 is a bye
    fx = scored(fx, "m2", 1, 0)
    assert f.next_match(fx) == "m3"
    assert f.next_match(scored(fx, "m3", 1, 0)) is None
    league = scored(fixtures("league", 4), "m1", 1, 0)
    assert f.next_match(league) == "m2"


def test_knockout_champion_is_the_final_winner() -> None:
    fx = scored(scored(fixtures("knockout", 4), "m1", 1, 0), "m2", 1, 0)
    assert f.champion(fx) is None
    assert f.champion(scored(fx, "m3", 0, 0, "away")) == "p2"
    assert f.standings(fx, {}) is None


def test_league_champion_is_the_leader_once_every_match_has_a_score() -> None:
    fx = fixtures("league", 3)
    for match in fx.matches[:-1]:
        fx = scored(fx, match.id, 1, 0)
    assert f.champion(fx) is None
    fx = scored(fx, fx.matches[-1].id, 1, 0)
    table = f.standings(fx, {})
    assert table is not None and f.champion(fx) == table[0].player_id


def test_standings_count_three_points_a_win_and_one_a_draw() -> None:
    table = f.standings(_league_with({("p1", "p2"): (0, 0), ("p1", "p3"): (3, 1)}, 3), {})
    assert table is not None
    rows = {row.player_id: row for row in table}
    assert (rows["p1"].points, rows["p1"].played, rows["p1"].won, rows["p1"].drawn) == (4, 2, 1, 1)
    assert (rows["p1"].goals_for, rows["p1"].goals_against, rows["p1"].goal_difference) == (3, 1, 2)
    assert (rows["p2"].points, rows["p3"].points, rows["p3"].lost) == (1, 0, 1)
    assert [row.player_id for row in table] == ["p1", "p2", "p3"]
    assert [row.position for row in table] == [1, 2, 3]


def _between(fx: f.Fixtures, a: str, b: str) -> str:
    return next(m.id for m in fx.matches if {m.home, m.away} == {a, b})


def _goals_for(fx: f.Fixtures, a: str, b: str, goals_a: int, goals_b: int) -> tuple[int, int]:
    """(home, away) goals of the match between a and b so that a scores goals_a."""
    match = next(m for m in fx.matches if {m.home, m.away} == {a, b})
    return (goals_a, goals_b) if match.home == a else (goals_b, goals_a)


def _league_with(results: dict[tuple[str, str], tuple[int, int]], n: int) -> f.Fixtures:
    fx = fixtures("league", n)
    for (a, b), (goals_a, goals_b) in results.items():
        fx = scored(fx, _between(fx, a, b), *_goals_for(fx, a, b, goals_a, goals_b))
    return fx


def test_head_to_head_decides_between_exactly_tied_players() -> None:
    # p1, p2 and p3 have 6 points; p1 and p2 also share goal difference (+1) and goals for (3); p3 is ahead on
    # goal difference. Among all three on points alone head-to-head would be level (3 each) and the names would
    # put p2 ("Aaron") first; among exactly p1 and p2, p1 beat p2.
    fx = _league_with(
        {
            ("p1", "p2"): (1, 0),
            ("p1", "p3"): (0, 2),
            ("p1", "p4"): (2, 0),
            ("p2", "p3"): (1, 0),
            ("p2", "p4"): (2, 1),
            ("p3", "p4"): (1, 0),
        },
        4,
    )
    names = {"p1": ("Zed", "Z"), "p2": ("Aaron", "A"), "p3": ("Mia", "M"), "p4": ("Bo", "B")}
    table = f.standings(fx, names)
    assert table is not None
    assert [(row.player_id, row.points, row.goal_difference, row.goals_for) for row in table] == [
        ("p3", 6, 2, 3),
        ("p1", 6, 1, 3),
        ("p2", 6, 1, 3),
        ("p4", 0, -4, 1),
    ]


def test_names_break_remaining_ties_case_insensitively_then_the_player_id() -> None:
    fx = _league_with({("p1", "p2"): (0, 0), ("p1", "p3"): (0, 0), ("p2", "p3"): (0, 0)}, 3)
    names = {"p1": ("bob", "A"), "p2": ("Bob", "a"), "p3": ("alice", "Z")}
    table = f.standings(fx, names)
    assert table is not None and [row.player_id for row in table] == ["p3", "p1", "p2"]
    assert [row.position for row in table] == [1, 2, 3]


def test_unscored_matches_do_not_count() -> None:
    table = f.standings(fixtures("league", 4), {})
    assert table is not None
    assert all(row.played == row.points == 0 for row in table)
    assert [row.player_id for row in table] == players(4)  # no names: the id decides


# --- properties -----------------------------------------------------------------------------------------------

ids = st.lists(st.uuids().map(str), min_size=2, max_size=64, unique=True)
fast = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(roster=ids, legs=st.sampled_from([1, 2]))
def test_every_pair_meets_exactly_legs_times(roster: list[str], legs: int) -> None:
    [event] = f.create_fixtures(None, "league", legs, roster)
    meetings = Counter(frozenset((m.home, m.away)) for m in event.matches)
    assert len(meetings) == len(roster) * (len(roster) - 1) // 2
    assert set(meetings.values()) == {legs}
    assert all(m.home is not None and m.away is not None and m.home != m.away for m in event.matches)
    assert [m.order for m in event.matches] == list(range(1, len(event.matches) + 1))


@fast
@given(roster=ids.filter(lambda r: len(r) >= 5), legs=st.sampled_from([1, 2]))
def test_nobody_plays_twice_in_a_row_from_five_players(roster: list[str], legs: int) -> None:
    [event] = f.create_fixtures(None, "league", legs, roster)
    assert back_to_backs(event.matches) == 0


@settings(max_examples=40, deadline=None)
@given(roster=ids, data=st.data())
def test_knockout_played_round_by_round_has_n_minus_one_matches_and_one_champion(
    roster: list[str], data: st.DataObject
) -> None:
    fx = f.replay(f.create_fixtures(None, "knockout", None, roster))
    assert fx is not None
    while (match_id := f.next_match(fx)) is not None:
        home, away = data.draw(st.integers(0, 5)), data.draw(st.integers(0, 5))
        pens = data.draw(st.sampled_from(["home", "away"])) if home == away else None
        fx = then(fx, f.enter_score(fx, match_id, home, away, pens, HOST, AT))
    assert len(fx.scores) == len(roster) - 1
    assert sum(1 for m in f.resolved(fx) if m.home is not None and m.away is not None) == len(roster) - 1
    winners = {f.winner(m, fx.scores.get(m.id)) for m in f.resolved(fx) if m.round == fx.matches[-1].round}
    assert winners == {f.champion(fx)} and f.champion(fx) in roster


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 10), legs=st.sampled_from([1, 2]), data=st.data())
def test_standings_add_up(n: int, legs: int, data: st.DataObject) -> None:
    fx = fixtures("league", n, legs)
    for match in fx.matches:
        if data.draw(st.booleans()):
            fx = scored(fx, match.id, data.draw(st.integers(0, 4)), data.draw(st.integers(0, 4)))
    table = f.standings(fx, {})
    assert table is not None
    played = [fx.scores[m.id] for m in fx.matches if m.id in fx.scores]
    drawn = sum(1 for s in played if s.home == s.away)
    assert sum(row.points for row in table) == 3 * (len(played) - drawn) + 2 * drawn
    assert sum(row.goals_for for row in table) == sum(row.goals_against for row in table)
    assert sum(row.played for row in table) == 2 * len(played)
    assert [row.position for row in table] == list(range(1, n + 1))
    assert sorted(row.player_id for row in table) == sorted(players(n))
    assert all(row.played == row.won + row.drawn + row.lost for row in table)
    points = [(row.points, row.goal_difference, row.goals_for) for row in table]
    assert points == sorted(points, reverse=True)


operation = st.tuples(
    st.sampled_from(["enter", "enter", "enter", "lock"]),
    st.integers(0, 15),
    st.integers(0, 3),
    st.integers(0, 3),
    st.sampled_from([None, None, "home", "away"]),
    st.sampled_from([HOST, "p1", "p2"]),
)


@settings(max_examples=60, deadline=None)
@given(fmt=st.sampled_from(["league", "knockout"]), n=st.integers(2, 6), ops=st.lists(operation, max_size=30))
def test_fold_of_the_decisions_gives_the_state_the_queries_expect(
    fmt: str, n: int, ops: list[tuple[str, int, int, int, f.Side | None, str]]
) -> None:
    log: list[f.FixturesEvent] = list(f.create_fixtures(None, fmt, None, players(n)))
    fx = f.replay(log)
    assert fx is not None
    for kind, index, home, away, pens, by in ops:
        match_id = f"m{index % len(fx.matches) + 1}"
        before = fx
        try:
            if kind == "lock":
                events: list[f.FixturesEvent] = list(f.lock_score(fx, match_id, HOST, AT))
            else:
                events = list(f.enter_score(fx, match_id, home, away, pens, by, AT))
        except DomainError:
            continue
        fx = then(fx, events)
        log.extend(events)
        _check_step(before, fx, kind, match_id, Score(home, away, pens), events)
    assert f.replay(log) == fx
    _check_queries(fx)


def _check_step(
    before: f.Fixtures, after: f.Fixtures, kind: str, match_id: str, score: Score, events: list[f.FixturesEvent]
) -> None:
    if not events:
        assert after == before
        assert match_id in before.locked if kind == "lock" else before.scores[match_id] == score
        return
    history = after.history[match_id]
    assert len(history) == len(before.history.get(match_id, ())) + 1
    if kind == "lock":
        assert match_id in after.locked and history[-1].action == "locked"
    else:
        assert after.scores[match_id] == score
        assert history[-1].action == ("corrected" if match_id in before.scores else "entered")


def _check_queries(fx: f.Fixtures) -> None:
    assert fx.locked <= set(fx.scores)
    assert set(fx.history) == set(fx.scores)
    upcoming = f.next_match(fx)
    ready = [m for m in f.resolved(fx) if m.home and m.away and m.id not in fx.scores]
    assert upcoming == (min(ready, key=lambda m: m.order).id if ready else None)
    for match in f.resolved(fx):
        if match.id in fx.scores and fx.format == "knockout":
            assert f.winner(match, fx.scores[match.id]) in (match.home, match.away)
