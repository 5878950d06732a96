"""Fixtures and standings: the matches friends play on one console after the draw, their scores and the table.

Pure like ``tournament``: decisions take the state and return events, ``apply`` folds them, queries read the state.
No I/O, no clock (timestamps come in), no randomness: the same players always give the same fixtures.

League (round robin). Rounds come from the cyclic method: with an odd number ``m`` of seeds, round ``r`` pairs
``r+i`` with ``r-i`` (mod ``m``) and rests ``r``; with an even number, the last seed plays the one resting. Home is
the seed less than half a turn ahead on the cycle, which gives everyone as many home as away games (one more at
most with an even count). A second leg repeats the rounds with home and away swapped.

One-console order. All matches form one sequence, and nobody should play two matches in a row.
- 6 players and more (3+ matches per round): the sequence goes round by round; within a round the next match is,
  among those sharing nobody with the match just played, the one whose players have waited longest (longest
  wait first, then the partner's wait). The previous match touches at most two matches of a round, so a round of
  three or more always offers one: no back-to-back ever, legs included.
- 2 to 5 players: every leg (at most 10 matches) is ordered by an exact search (dynamic programming over the
  subsets left) that minimises the back-to-back appearances of the whole sequence, legs played one after the
  other; ties between optimal choices again go to whoever waited longest. That gives none with 5 players (a
  Hamiltonian path of the Petersen graph per leg) and the true minimum with 3 or 4 (2 per leg with 4, since a
  match is disjoint only from its complement). Rounds are then the consecutive groups of ``n // 2`` matches.
A league has no bye matches: a player who rests in a round simply does not appear in it.

Knockout. The bracket has ``P`` slots, the next power of two; seed = position in the draw order. Slots follow the
standard seeding: start from ``1 2`` and replace every seed ``s`` by ``s, 2k+1-s`` (``k`` = seeds so far) until
there are ``P`` (1 4 2 3, then 1 8 4 5 2 7 3 6), so round 1 is 1-P, 2-(P-1)... and seeds 1 and 2 can meet only in
the final. The missing seeds ``n+1..P`` are the opponents of seeds 1, 2, ...: those get byes. The better seed is
home in round 1; later the winner of the upper feeding match is home. Byes are round-1 matches with one side
``None`` (never scored) and are numbered FIRST (orders 1..byes), then come the played round-1 matches in bracket
order, then each later round in bracket order, except that a round never opens with the winner of the match
just played (its first two matches swap): nobody plays twice in a row, the final apart. Later rounds keep ``None``
sides and name their feeding matches in ``sources`` (home = the upper half of the bracket); ``resolved`` fills in
the winners, and ``n`` players always give ``n - 1`` played matches.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Final, Literal

from lct.domain.errors import InvalidField, NotFound, RuleViolation

Format = Literal["league", "knockout"]
Side = Literal["home", "away"]
HOST: Final = "host"

MIN_PLAYERS: Final = 2
MAX_PLAYERS: Final = 64
MAX_GOALS: Final = 99
EXACT_UP_TO: Final = 5
"""Leagues of this many players or fewer are ordered by exact search, bigger ones round by round."""

Names = Mapping[str, tuple[str, str]]
Pair = tuple[int, int]
"""(home, away) as 0-based seeds."""
Slot = tuple[int, Pair]
"""(round, pair) in console order."""


# --- errors -------------------------------------------------------------------------------------------------


class MatchNotFound(NotFound):
    code = "MatchNotFound"

    def __init__(self, match_id: str) -> None:
        super().__init__(f"There is no match {match_id}.")


class WrongNumberOfPlayers(RuleViolation):
    code = "WrongNumberOfPlayers"

    def __init__(self, count: int) -> None:
        super().__init__(f"Fixtures need {MIN_PLAYERS} to {MAX_PLAYERS} players, not {count}.")


class FixturesInProgress(RuleViolation):
    code = "FixturesInProgress"

    def __init__(self) -> None:
        super().__init__("The fixtures cannot be replaced: some matches already have a score.")


class MatchIsBye(RuleViolation):
    code = "MatchIsBye"

    def __init__(self, match_id: str) -> None:
        super().__init__(f"Match {match_id} is a bye: it is not played.")


class MatchNotReady(RuleViolation):
    code = "MatchNotReady"

    def __init__(self, match_id: str) -> None:
        super().__init__(f"Match {match_id} cannot be played yet: its players are not known.")


class MatchLocked(RuleViolation):
    code = "MatchLocked"

    def __init__(self, match_id: str) -> None:
        super().__init__(f"The score of match {match_id} is locked.")


class ResultAlreadyUsed(RuleViolation):
    code = "ResultAlreadyUsed"

    def __init__(self, match_id: str, next_id: str) -> None:
        super().__init__(f"Match {match_id} cannot change its winner: match {next_id} has been played.")


class NoScoreToLock(RuleViolation):
    code = "NoScoreToLock"

    def __init__(self, match_id: str) -> None:
        super().__init__(f"Match {match_id} has no score to lock.")


# --- values and state -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Match:
    id: str
    order: int
    round: int
    home: str | None
    away: str | None
    sources: tuple[str | None, str | None] = (None, None)


@dataclass(frozen=True, slots=True)
class Score:
    home: int
    away: int
    penalties_winner: Side | None = None


@dataclass(frozen=True, slots=True)
class ScoreChange:
    action: Literal["entered", "corrected", "locked"]
    by: str
    at: str
    score: Score | None


@dataclass(frozen=True, slots=True)
class Fixtures:
    format: Format
    legs: int
    matches: tuple[Match, ...]
    scores: Mapping[str, Score] = field(default_factory=dict)
    locked: frozenset[str] = frozenset()
    history: Mapping[str, tuple[ScoreChange, ...]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Standing:
    player_id: str
    played: int
    won: int
    drawn: int
    lost: int
    goals_for: int
    goals_against: int
    goal_difference: int
    points: int
    position: int


# --- events ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FixturesCreated:
    format: Format
    legs: int
    matches: tuple[Match, ...]


@dataclass(frozen=True, slots=True)
class ScoreEntered:
    match_id: str
    score: Score
    by: str
    at: str


@dataclass(frozen=True, slots=True)
class ScoreLocked:
    match_id: str
    by: str
    at: str


FixturesEvent = FixturesCreated | ScoreEntered | ScoreLocked


# --- league generation ----------------------------------------------------------------------------------------


def _round_robin(n: int) -> list[list[Pair]]:
    """One leg: ``n-1`` rounds (even ``n``) or ``n`` rounds with one player resting (odd ``n``)."""
    cycle = n if n % 2 else n - 1
    half = cycle // 2
    rounds = []
    for r in range(cycle):
        pairs = [_oriented((r + i) % cycle, (r - i) % cycle, cycle) for i in range(1, half + 1)]
        if cycle < n:  # the extra player meets the one resting on the cycle
            pairs.insert(0, (r, n - 1) if r % 2 == 0 else (n - 1, r))
        rounds.append(pairs)
    return rounds


def _oriented(x: int, y: int, cycle: int) -> Pair:
    """Home is the seed less than half a turn ahead: everyone is home against exactly half of the others."""
    return (x, y) if (x - y) % cycle <= cycle // 2 else (y, x)


def _clash(previous: Pair | None, pair: Pair) -> int:
    """How many players of ``pair`` also played ``previous`` (back-to-back appearances)."""
    return 0 if previous is None else (pair[0] in previous) + (pair[1] in previous)


def _urgency(last_played: Sequence[int], pair: Pair) -> tuple[int, int]:
    """Bigger for players who have waited longer: the longest wait first, then the partner's."""
    earlier, later = sorted((last_played[pair[0]], last_played[pair[1]]))
    return (-earlier, -later)


@functools.lru_cache(maxsize=32)
def _league_plan(n: int, legs: int) -> tuple[Slot, ...]:
    """The console order of a league of ``n`` seeds: depends on the counts only, so it is computed once."""
    first = _round_robin(n)
    rounds = first + [[(away, home) for home, away in pairs] for pairs in first] if legs == 2 else first
    if n <= EXACT_UP_TO:
        per_leg = len(first)
        return _exact_plan(n, [rounds[i : i + per_leg] for i in range(0, len(rounds), per_leg)])
    return _greedy_plan(n, rounds)


def _greedy_plan(n: int, rounds: Sequence[Sequence[Pair]]) -> tuple[Slot, ...]:
    last_played = [0] * n
    plan: list[Slot] = []
    for number, pairs in enumerate(rounds, 1):
        pending = list(pairs)
        while pending:
            previous = plan[-1][1] if plan else None
            allowed = [pair for pair in pending if not _clash(previous, pair)] or pending  # never empty from 6 up
            pair = max(allowed, key=functools.partial(_urgency, last_played))
            pending.remove(pair)
            plan.append((number, pair))
            last_played[pair[0]] = last_played[pair[1]] = len(plan)
    return tuple(plan)


def _exact_plan(n: int, legs: Sequence[Sequence[Sequence[Pair]]]) -> tuple[Slot, ...]:
    flat = [[pair for pairs in leg for pair in pairs] for leg in legs]
    best = _min_clashes(flat)
    last_played = [0] * n
    order: list[Pair] = []
    for leg_index, leg in enumerate(flat):
        remaining = (1 << len(leg)) - 1
        while remaining:
            chosen = _optimal_next(best, leg_index, leg, remaining, order[-1] if order else None, last_played)
            remaining ^= 1 << chosen
            order.append(leg[chosen])
            last_played[leg[chosen][0]] = last_played[leg[chosen][1]] = len(order)
    per_round = n // 2
    return tuple((index // per_round + 1, pair) for index, pair in enumerate(order))


def _optimal_next(
    best: Callable[[int, int, Pair | None], int],
    leg_index: int,
    leg: Sequence[Pair],
    remaining: int,
    previous: Pair | None,
    last_played: Sequence[int],
) -> int:
    """Among the matches of ``leg`` that keep the whole sequence optimal, the one whose players waited longest."""
    target = best(leg_index, remaining, previous)
    allowed = [
        i for i in _bits(remaining) if _clash(previous, leg[i]) + best(leg_index, remaining ^ 1 << i, leg[i]) == target
    ]
    return max(allowed, key=lambda i: _urgency(last_played, leg[i]))


def _min_clashes(legs: Sequence[Sequence[Pair]]) -> Callable[[int, int, Pair | None], int]:
    """``best(leg, remaining, previous)``: the fewest back-to-backs to play the ``remaining`` matches of ``leg``
    (a bit set) and every later leg, right after ``previous``."""

    @functools.cache
    def best(leg: int, remaining: int, previous: Pair | None) -> int:
        if not remaining:
            return 0 if leg + 1 == len(legs) else best(leg + 1, (1 << len(legs[leg + 1])) - 1, previous)
        pairs = legs[leg]
        return min(_clash(previous, pairs[i]) + best(leg, remaining ^ 1 << i, pairs[i]) for i in _bits(remaining))

    return best


def _bits(mask: int) -> Iterator[int]:
    return (i for i in range(mask.bit_length()) if mask >> i & 1)


def _league_matches(players: Sequence[str], legs: int) -> tuple[Match, ...]:
    return tuple(
        Match(f"m{order}", order, number, players[home], players[away])
        for order, (number, (home, away)) in enumerate(_league_plan(len(players), legs), 1)
    )


# --- knockout generation --------------------------------------------------------------------------------------


def _bracket(size: int) -> list[int]:
    """Seeds in slot order: 1 2 -> 1 4 2 3 -> 1 8 4 5 2 7 3 6; seeds 1 and 2 meet only in the final."""
    seeds = [1]
    while len(seeds) < size:
        total = 2 * len(seeds) + 1
        seeds = [s for seed in seeds for s in (seed, total - seed)]
    return seeds


def _knockout_matches(players: Sequence[str]) -> tuple[Match, ...]:
    first = _first_round(players)
    matches = sorted(first.values(), key=lambda match: match.order)
    feeders = [first[slot].id for slot in sorted(first)]  # bracket order
    for number in itertools.count(2):
        if len(feeders) < 2:
            break
        pairs = [(feeders[i], feeders[i + 1]) for i in range(0, len(feeders), 2)]
        ids: dict[tuple[str, str], str] = {}
        for sources in _not_straight_after(pairs, matches[-1].id):
            ids[sources] = f"m{len(matches) + 1}"
            matches.append(Match(ids[sources], len(matches) + 1, number, None, None, sources))
        feeders = [ids[pair] for pair in pairs]
    return tuple(matches)


def _not_straight_after(pairs: list[tuple[str, str]], previous: str) -> list[tuple[str, str]]:
    """Bracket order, but a round does not open with the winner of the match just played (bar the final)."""
    if len(pairs) > 1 and previous in pairs[0]:
        return [pairs[1], pairs[0], *pairs[2:]]
    return pairs


def _first_round(players: Sequence[str]) -> dict[int, Match]:
    """Round 1 by bracket slot; console order: byes first, then the played matches, each in bracket order."""
    n = len(players)
    seeds = _bracket(1 << (n - 1).bit_length())
    slots = [(seeds[i], seeds[i + 1]) for i in range(0, len(seeds), 2)]
    console = sorted(range(len(slots)), key=lambda i: (slots[i][1] <= n, i))
    first = {}
    for order, slot in enumerate(console, 1):
        better, worse = slots[slot]
        first[slot] = Match(f"m{order}", order, 1, players[better - 1], players[worse - 1] if worse <= n else None)
    return first


# --- input values ---------------------------------------------------------------------------------------------


def _format(value: object) -> Format:
    if value == "league":
        return "league"
    if value == "knockout":
        return "knockout"
    raise InvalidField("Format must be 'league' or 'knockout'.")


def _legs(fmt: Format, value: object) -> int:
    if value is None:
        return 1
    allowed = (1, 2) if fmt == "league" else (1,)
    if isinstance(value, bool) or not isinstance(value, int) or value not in allowed:
        raise InvalidField("Legs must be 1 or 2 for a league and 1 for a knockout.")
    return value


def _roster(players: Sequence[str]) -> tuple[str, ...]:
    roster = tuple(players)
    if not all(isinstance(player, str) for player in roster) or len(set(roster)) != len(roster):
        raise InvalidField("Players must be distinct ids.")
    if not MIN_PLAYERS <= len(roster) <= MAX_PLAYERS:
        raise WrongNumberOfPlayers(len(roster))
    return roster


def _goals(value: object, side: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_GOALS:
        raise InvalidField(f"{side} goals must be a whole number from 0 to {MAX_GOALS}.")
    return value


def _penalties(fmt: Format, level: bool, value: object) -> Side | None:
    if value is not None and value not in ("home", "away"):
        raise InvalidField("The penalties winner must be 'home', 'away' or empty.")
    if fmt == "league" and value is not None:
        raise InvalidField("League matches have no penalties.")
    if fmt == "knockout" and level and value is None:
        raise InvalidField("A level knockout match needs a penalties winner.")
    if fmt == "knockout" and not level and value is not None:
        raise InvalidField("Only a level knockout match has a penalties winner.")
    return "home" if value == "home" else "away" if value == "away" else None


def _score(fmt: Format, home: object, away: object, penalties_winner: object) -> Score:
    goals_home, goals_away = _goals(home, "Home"), _goals(away, "Away")
    return Score(goals_home, goals_away, _penalties(fmt, goals_home == goals_away, penalties_winner))


# --- decisions ------------------------------------------------------------------------------------------------


def create_fixtures(
    current: Fixtures | None, format: object, legs: object, players: Sequence[str]
) -> list[FixturesCreated]:
    """Checks: format, legs, players (distinct ids, then their count), then no score yet. The same fixtures
    again decide nothing."""
    fmt = _format(format)
    count = _legs(fmt, legs)
    roster = _roster(players)
    matches = _league_matches(roster, count) if fmt == "league" else _knockout_matches(roster)
    if current is not None and current.scores:
        raise FixturesInProgress()
    if current is not None and (current.format, current.legs, current.matches) == (fmt, count, matches):
        return []
    return [FixturesCreated(fmt, count, matches)]


def enter_score(
    fx: Fixtures, match_id: str, home: object, away: object, penalties_winner: object, by: str, at: str
) -> list[ScoreEntered]:
    """Checks: the match exists, can be played (not a bye, both players known), is not locked; then the values;
    then a knockout correction may not change a winner already used by the next match."""
    match = _playable(fx, match_id)
    if match_id in fx.locked:
        raise MatchLocked(match_id)
    score = _score(fx.format, home, away, penalties_winner)
    current = fx.scores.get(match_id)
    if score == current:
        return []
    if current is not None and winner(match, current) != winner(match, score):
        _check_winner_unused(fx, match_id)
    return [ScoreEntered(match_id, score, by, at)]


def lock_score(fx: Fixtures, match_id: str, by: str, at: str) -> list[ScoreLocked]:
    match = _match(fx, match_id)
    if _is_bye(match):
        raise MatchIsBye(match_id)
    if match_id in fx.locked:
        return []
    if match_id not in fx.scores:
        raise NoScoreToLock(match_id)
    return [ScoreLocked(match_id, by, at)]


def may_score(fx: Fixtures, match_id: str, actor: str) -> bool:
    """The host, or one of the two players of the (resolved) match."""
    if actor == HOST:
        return True
    match = _resolved_by_id(fx).get(match_id)
    return match is not None and actor in (match.home, match.away)


def may_lock(actor: str) -> bool:
    return actor == HOST


def _match(fx: Fixtures, match_id: str) -> Match:
    found = next((match for match in fx.matches if match.id == match_id), None)
    if found is None:
        raise MatchNotFound(match_id)
    return found


def _playable(fx: Fixtures, match_id: str) -> Match:
    match = _resolved_by_id(fx).get(match_id)
    if match is None:
        raise MatchNotFound(match_id)
    if _is_bye(match):
        raise MatchIsBye(match_id)
    if match.home is None or match.away is None:
        raise MatchNotReady(match_id)
    return match


def _check_winner_unused(fx: Fixtures, match_id: str) -> None:
    following = next((match for match in fx.matches if match_id in match.sources), None)
    if following is not None and following.id in fx.scores:
        raise ResultAlreadyUsed(match_id, following.id)


# --- fold -----------------------------------------------------------------------------------------------------


def apply(fx: Fixtures | None, event: FixturesEvent) -> Fixtures:
    """Fold one event into the state. Events are facts: no validation here."""
    if isinstance(event, FixturesCreated):
        return Fixtures(event.format, event.legs, event.matches)
    if fx is None:
        raise ValueError(f"{type(event).__name__} cannot start a stream")
    if isinstance(event, ScoreEntered):
        action: Literal["entered", "corrected"] = "corrected" if event.match_id in fx.scores else "entered"
        change = ScoreChange(action, event.by, event.at, event.score)
        scores = {**fx.scores, event.match_id: event.score}
        return replace(fx, scores=scores, history=_logged(fx.history, event.match_id, change))
    change = ScoreChange("locked", event.by, event.at, None)
    return replace(fx, locked=fx.locked | {event.match_id}, history=_logged(fx.history, event.match_id, change))


def _logged(
    history: Mapping[str, tuple[ScoreChange, ...]], match_id: str, change: ScoreChange
) -> dict[str, tuple[ScoreChange, ...]]:
    return {**history, match_id: (*history.get(match_id, ()), change)}


def replay(events: Iterable[FixturesEvent], fx: Fixtures | None = None) -> Fixtures | None:
    for event in events:
        fx = apply(fx, event)
    return fx


# --- queries --------------------------------------------------------------------------------------------------


def _is_bye(match: Match) -> bool:
    return match.sources == (None, None) and (match.home is None) != (match.away is None)


def winner(match: Match, score: Score | None) -> str | None:
    """The winner of a resolved match: a bye's only player, else from the score (None for a draw or no score)."""
    if _is_bye(match):
        return match.home if match.home is not None else match.away
    if score is None or match.home is None or match.away is None:
        return None
    if score.home != score.away:
        return match.home if score.home > score.away else match.away
    if score.penalties_winner is None:
        return None
    return match.home if score.penalties_winner == "home" else match.away


def resolved(fx: Fixtures) -> tuple[Match, ...]:
    """The matches with knockout sides filled from the winners of their sources (sources come first)."""
    winners: dict[str, str | None] = {}
    result = []
    for match in fx.matches:
        if match.sources != (None, None):
            home, away = (winners.get(source) if source else None for source in match.sources)
            match = replace(match, home=home, away=away)
        winners[match.id] = winner(match, fx.scores.get(match.id))
        result.append(match)
    return tuple(result)


def _resolved_by_id(fx: Fixtures) -> dict[str, Match]:
    return {match.id: match for match in resolved(fx)}


def next_match(fx: Fixtures) -> str | None:
    """The first match in console order with both players known and no score."""
    ready = (m for m in resolved(fx) if m.home is not None and m.away is not None and m.id not in fx.scores)
    first = min(ready, key=lambda match: match.order, default=None)
    return None if first is None else first.id


def champion(fx: Fixtures, names: Names | None = None) -> str | None:
    """Knockout: the final's winner. League: the leader once every match has a score (``names`` breaks full
    ties as in ``standings``; without them the player id does)."""
    if fx.format == "knockout":
        final = resolved(fx)[-1]
        return winner(final, fx.scores.get(final.id))
    if any(match.id not in fx.scores for match in fx.matches):
        return None
    table = standings(fx, names or {})
    return table[0].player_id if table else None


def standings(fx: Fixtures, names: Names) -> tuple[Standing, ...] | None:
    """League table (None for a knockout): points (3/1/0), goal difference, goals for, then head-to-head points
    among exactly the players level on those three, then name, surname (casefolded) and player id."""
    if fx.format != "league":
        return None
    rows = sorted(_tally(fx).values(), key=_primary)
    ordered = [row for _, tied in itertools.groupby(rows, key=_primary) for row in _break_tie(fx, list(tied), names)]
    return tuple(replace(row, position=position) for position, row in enumerate(ordered, 1))


def _primary(row: Standing) -> tuple[int, int, int]:
    return (-row.points, -row.goal_difference, -row.goals_for)


def _played(fx: Fixtures) -> Iterator[tuple[str, str, Score]]:
    """(home, away, score) of every match with both players and a score."""
    for match in fx.matches:
        score = fx.scores.get(match.id)
        if score is not None and match.home is not None and match.away is not None:
            yield match.home, match.away, score


def _tally(fx: Fixtures) -> dict[str, Standing]:
    players = dict.fromkeys(p for match in fx.matches for p in (match.home, match.away) if p is not None)
    counts = {player: [0, 0, 0, 0, 0] for player in players}  # won, drawn, lost, goals for, goals against
    for home, away, score in _played(fx):
        _count(counts[home], score.home, score.away)
        _count(counts[away], score.away, score.home)
    return {player: _standing(player, *row) for player, row in counts.items()}


def _count(row: list[int], scored: int, conceded: int) -> None:
    row[0 if scored > conceded else 1 if scored == conceded else 2] += 1
    row[3] += scored
    row[4] += conceded


def _standing(player: str, won: int, drawn: int, lost: int, scored: int, conceded: int) -> Standing:
    return Standing(
        player, won + drawn + lost, won, drawn, lost, scored, conceded, scored - conceded, 3 * won + drawn, 0
    )


def _break_tie(fx: Fixtures, tied: list[Standing], names: Names) -> list[Standing]:
    if len(tied) == 1:
        return tied
    group = {row.player_id for row in tied}
    mini = {player: 0 for player in group}
    for home, away, score in _played(fx):
        if home in group and away in group:
            mini[home] += 3 if score.home > score.away else 1 if score.home == score.away else 0
            mini[away] += 3 if score.away > score.home else 1 if score.home == score.away else 0
    return sorted(tied, key=lambda row: (-mini[row.player_id], *_name_key(names, row.player_id)))


def _name_key(names: Names, player: str) -> tuple[str, str, str]:
    name, surname = names.get(player, ("", ""))
    return (name.casefold(), surname.casefold(), player)
