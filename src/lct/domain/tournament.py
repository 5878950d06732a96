"""The Tournament aggregate: value rules, events, errors, decisions and the fold.

Decisions are plain functions that take the current state and return the new events; the state is a pure fold
over the events (``replay``). Nothing here does I/O. Check order follows the original (contract 1.2-1.8).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Final

CATALOGUE: Final = (
    "Bayern",
    "PSG",
    "Manchaster City",
    "Liverpool",
    "Machester United",
    "Real Madrid",
    "Chelsea",
    "Atletico Madrid",
    "Juventus",
    "Barcelona",
)
MIN_PLAYERS: Final = 2
MAX_PLAYERS: Final = len(CATALOGUE)
MAX_NAME_LENGTH: Final = 100

NAME_CLAIM: Final = "tournament-name"
TEAM_CLAIM: Final = "team"


# --- errors -------------------------------------------------------------------------------------------------


class DomainError(Exception):
    """Root of every rule the tournament enforces. ``code`` is a stable, machine-readable name."""

    code = "DomainError"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    """A value that can never be valid (HTTP 400)."""

    code = "InvalidInput"


class FieldCannotBeEmpty(InvalidInput):
    code = "FieldCannotBeEmpty"


class InvalidField(InvalidInput):
    code = "InvalidField"


class ValueOutOfRange(InvalidInput):
    code = "ValueOutOfRange"


class InvalidTeamName(InvalidInput):
    code = "InvalidTeamName"


class RuleViolation(DomainError):
    """A valid request the tournament's current state refuses (HTTP 409)."""

    code = "RuleViolation"


class NotFound(DomainError):
    """Something the request names does not exist (HTTP 404)."""

    code = "NotFound"


class TournamentNotFound(NotFound):
    code = "TournamentNotFound"

    def __init__(self, tournament_id: str) -> None:
        super().__init__(f"Tournament {tournament_id} does not exist.")


class TournamentNameNotUnique(RuleViolation):
    code = "TournamentNameNotUnique"

    def __init__(self, name: str) -> None:
        super().__init__(f"A tournament named '{name}' already exists. Choose another name.")


class PlayerAlreadyAssigned(RuleViolation):
    code = "PlayerAlreadyAssigned"

    def __init__(self, player: Player) -> None:
        super().__init__(f"A player named {player} is already in this tournament.")


class TournamentLimitExceeded(RuleViolation):
    code = "TournamentLimitExceeded"

    def __init__(self, limit: int) -> None:
        super().__init__(f"This tournament is full: all {limit} seats are taken.")


class PlayerNotInTournament(RuleViolation):
    code = "PlayerNotInTournament"

    def __init__(self, player: Player) -> None:
        super().__init__(f"{player} is not registered in this tournament.")


class PlayerSelectedTeamBefore(RuleViolation):
    code = "PlayerSelectedTeamBefore"

    def __init__(self, player: Player, team: str) -> None:
        super().__init__(f"{player} has already selected {team}.")


class TeamAlreadySelected(RuleViolation):
    code = "TeamAlreadySelected"

    def __init__(self, team: str) -> None:
        super().__init__(f"{team} has already been selected by another player.")


class NotAllPlayersRegistered(RuleViolation):
    code = "NotAllPlayersRegistered"

    def __init__(self, registered: int, limit: int) -> None:
        super().__init__(f"The draw needs every seat taken: {registered} of {limit} players registered.")


class NotAllPlayersSelectedTeam(RuleViolation):
    code = "NotAllPlayersSelectedTeam"

    def __init__(self, selected: int, limit: int) -> None:
        super().__init__(f"The draw needs every player to pick a club: {selected} of {limit} have picked.")


# --- values ---------------------------------------------------------------------------------------------------

_ID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def parse_id(value: object) -> str | None:
    """The canonical form (lower case, hyphenated, as ids are stored and published) of a tournament id written
    as a 36-character UUID in either case, or None for anything else (including glob characters and braces)."""
    if isinstance(value, str) and _ID.fullmatch(value):
        return value.lower()
    return None



def validate_name(value: object, field: str = "Name") -> str:
    """Contract 1.2 (null -> FieldCannotBeEmpty, empty -> InvalidField), plus our fixes: whitespace-only and
    names longer than MAX_NAME_LENGTH are refused too. No trimming: identity stays exact."""
    if value is None:
        raise FieldCannotBeEmpty(f"{field} cannot be empty.")
    if not isinstance(value, str):
        raise InvalidField(f"{field} must be a string.")
    if value == "" or value.isspace():
        raise InvalidField(f"{field} cannot be empty or only whitespace.")
    if len(value) > MAX_NAME_LENGTH:
        raise InvalidField(f"{field} is longer than {MAX_NAME_LENGTH} characters.")
    return value


def validate_limit(value: int) -> int:
    if value < MIN_PLAYERS:
        raise ValueOutOfRange(f"A tournament needs at least {MIN_PLAYERS} players.")
    if value > MAX_PLAYERS:
        raise ValueOutOfRange(
            f"A tournament can have at most {MAX_PLAYERS} players (the catalogue has {MAX_PLAYERS} clubs)."
        )
    return value


def validate_team(value: object) -> str:
    if value is None or value == "":
        raise InvalidTeamName("Team name cannot be empty.")
    if value not in CATALOGUE:
        raise InvalidTeamName(f"'{value}' is not a club of the catalogue.")
    assert isinstance(value, str)
    return value


@dataclass(frozen=True, slots=True)
class Player:
    name: str
    surname: str

    @classmethod
    def of(cls, name: object, surname: object) -> Player:
        return cls(validate_name(name, "Name"), validate_name(surname, "Surname"))

    def __str__(self) -> str:
        return f"{self.name} {self.surname}"


@dataclass(frozen=True, slots=True)
class Pick:
    """A (player, club) pair: a selection or a drawn result."""

    player: Player
    team: str


# --- events ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TournamentCreated:
    tournament_id: str
    limit: int


@dataclass(frozen=True, slots=True)
class TournamentNamed:
    name: str


@dataclass(frozen=True, slots=True)
class PlayerAdded:
    player: Player


@dataclass(frozen=True, slots=True)
class TeamSelected:
    player: Player
    team: str


@dataclass(frozen=True, slots=True)
class TeamsDrawn:
    draws: tuple[Pick, ...]


Event = TournamentCreated | TournamentNamed | PlayerAdded | TeamSelected | TeamsDrawn


@dataclass(frozen=True, slots=True)
class Claim:
    """A value that must be unique in its namespace, written atomically with the events that need it.

    ``exclusive``: the stream holds at most one claim in this namespace, so a new one releases the old one
    (renaming frees the previous tournament name)."""

    namespace: str
    value: str
    exclusive: bool = False


# --- state ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tournament:
    id: str
    name: str
    limit: int
    players: tuple[Player, ...] = ()
    selections: tuple[Pick, ...] = ()
    draw: tuple[Pick, ...] = ()
    name_version: int = 0
    """Number of naming events: 1 after create, +1 per rename (the original's ``version``)."""
    version: int = 0
    """Stream version: the number of events applied."""

    def selected_team(self, player: Player) -> str | None:
        return next((s.team for s in self.selections if s.player == player), None)

    def drawn_team(self, player: Player) -> str | None:
        return next((d.team for d in self.draw if d.player == player), None)

    def is_taken(self, team: str) -> bool:
        return any(s.team == team for s in self.selections)


def apply(state: Tournament | None, event: Event) -> Tournament:
    """Fold one event into the state. Events are facts: no validation here."""
    if isinstance(event, TournamentCreated):
        return Tournament(id=event.tournament_id, name="", limit=event.limit, version=1)
    if state is None:
        raise ValueError(f"{type(event).__name__} cannot start a stream")
    version = state.version + 1
    if isinstance(event, TournamentNamed):
        return replace(state, name=event.name, name_version=state.name_version + 1, version=version)
    if isinstance(event, PlayerAdded):
        return replace(state, players=(*state.players, event.player), version=version)
    if isinstance(event, TeamSelected):
        pick = Pick(event.player, event.team)
        return replace(state, selections=(*state.selections, pick), version=version)
    return replace(state, draw=event.draws, version=version)


def replay(events: Iterable[Event], state: Tournament | None = None) -> Tournament | None:
    for event in events:
        state = apply(state, event)
    return state


# --- decisions ------------------------------------------------------------------------------------------------


def create(tournament_id: str, name: object, limit: int) -> list[Event]:
    """Limit is checked before the name (contract 1.4)."""
    validate_limit(limit)
    return [TournamentCreated(tournament_id, limit), TournamentNamed(validate_name(name, "Tournament name"))]


def rename(state: Tournament, new_name: object) -> list[Event]:
    name = validate_name(new_name, "Tournament name")
    if name == state.name:
        raise InvalidField("The new tournament name is the same as the current one.")
    return [TournamentNamed(name)]


def add_player(state: Tournament, name: object, surname: object) -> list[Event]:
    player = Player.of(name, surname)
    if player in state.players:
        raise PlayerAlreadyAssigned(player)
    if len(state.players) + 1 > state.limit:
        raise TournamentLimitExceeded(state.limit)
    return [PlayerAdded(player)]


def select_team(state: Tournament, name: object, surname: object, team: object) -> list[Event]:
    player = Player.of(name, surname)
    if player not in state.players:
        raise PlayerNotInTournament(player)
    club = validate_team(team)
    held = state.selected_team(player)
    if held is not None:
        raise PlayerSelectedTeamBefore(player, held)
    if state.is_taken(club):
        raise TeamAlreadySelected(club)
    return [TeamSelected(player, club)]


def draw_teams(state: Tournament, rng: random.Random) -> list[Event]:
    """Share the picked clubs out at random. A repeated draw decides nothing (the first result stands)."""
    if len(state.players) != state.limit:
        raise NotAllPlayersRegistered(len(state.players), state.limit)
    if not state.selections or len(state.selections) != state.limit:
        raise NotAllPlayersSelectedTeam(len(state.selections), state.limit)
    if state.draw:
        return []
    players = [s.player for s in state.selections]
    teams = [s.team for s in state.selections]
    rng.shuffle(players)
    rng.shuffle(teams)
    return [TeamsDrawn(tuple(Pick(p, t) for p, t in zip(players, teams, strict=True)))]


def claims(tournament_id: str, events: Sequence[Event]) -> list[Claim]:
    """Uniqueness the store must enforce in the same atomic write as ``events``."""
    found: list[Claim] = []
    for event in events:
        if isinstance(event, TournamentNamed):
            found.append(Claim(NAME_CLAIM, event.name, exclusive=True))
        elif isinstance(event, TeamSelected):
            found.append(Claim(TEAM_CLAIM, f"{tournament_id}/{event.team}"))
    return found
