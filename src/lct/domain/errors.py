"""Every rule the domain enforces has an error here, with a stable machine-readable ``code``.

The HTTP layer maps the branches to statuses in one function: ``InvalidInput`` 400, ``Unauthorized`` 401,
``Forbidden`` 403, ``NotFound`` 404, any other ``RuleViolation`` 409.
"""

from __future__ import annotations

from typing import Protocol


class Named(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def surname(self) -> str: ...


def _full(player: Named) -> str:
    return f"{player.name} {player.surname}"


class DomainError(Exception):
    """Root of every rule the tournament enforces. ``code`` is a stable, machine-readable name."""

    code = "DomainError"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- 400: values that can never be valid ---------------------------------------------------------------------


class InvalidInput(DomainError):
    code = "InvalidInput"


class FieldCannotBeEmpty(InvalidInput):
    code = "FieldCannotBeEmpty"


class InvalidField(InvalidInput):
    code = "InvalidField"


class ValueOutOfRange(InvalidInput):
    code = "ValueOutOfRange"


class InvalidTeamName(InvalidInput):
    code = "InvalidTeamName"


# --- 401 / 403: who may do what ----------------------------------------------------------------------------------


class Unauthorized(DomainError):
    """A protected tournament and no valid token (missing, unknown or revoked)."""

    code = "Unauthorized"

    def __init__(self, message: str = "This tournament needs a token (Authorization: Bearer <token>).") -> None:
        super().__init__(message)


class Forbidden(DomainError):
    """A valid token that may not do this."""

    code = "Forbidden"


class ProtectedTournament(Forbidden):
    code = "ProtectedTournament"

    def __init__(self) -> None:
        super().__init__(
            "This tournament was created with API v2 and is protected: change it through /api/v2 with a token."
        )


# --- 404 ---------------------------------------------------------------------------------------------------------


class NotFound(DomainError):
    """Something the request names does not exist (HTTP 404)."""

    code = "NotFound"


class TournamentNotFound(NotFound):
    code = "TournamentNotFound"

    def __init__(self, tournament_id: str) -> None:
        super().__init__(f"Tournament {tournament_id} does not exist.")


class PlayerNotFound(NotFound):
    code = "PlayerNotFound"

    def __init__(self, player_id: str) -> None:
        super().__init__(f"There is no player {player_id} in this tournament.")


class RoomCodeNotFound(NotFound):
    code = "RoomCodeNotFound"

    def __init__(self, code: str) -> None:
        super().__init__(f"No open tournament has the code {code}.")


# --- 409: valid requests the tournament's state refuses ----------------------------------------------------------


class RuleViolation(DomainError):
    code = "RuleViolation"


class TournamentNameNotUnique(RuleViolation):
    code = "TournamentNameNotUnique"

    def __init__(self, name: str) -> None:
        super().__init__(f"A tournament named '{name}' already exists. Choose another name.")


class PlayerAlreadyAssigned(RuleViolation):
    code = "PlayerAlreadyAssigned"

    def __init__(self, player: Named) -> None:
        super().__init__(f"A player named {_full(player)} is already in this tournament.")


class TournamentLimitExceeded(RuleViolation):
    code = "TournamentLimitExceeded"

    def __init__(self, limit: int) -> None:
        super().__init__(f"This tournament is full: all {limit} seats are taken.")


class PlayerNotInTournament(RuleViolation):
    code = "PlayerNotInTournament"

    def __init__(self, player: Named) -> None:
        super().__init__(f"{_full(player)} is not registered in this tournament.")


class PlayerSelectedTeamBefore(RuleViolation):
    code = "PlayerSelectedTeamBefore"

    def __init__(self, player: Named, team: str) -> None:
        super().__init__(f"{_full(player)} has already selected {team}.")


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


class NotEnoughPlayers(RuleViolation):
    code = "NotEnoughPlayers"

    def __init__(self, players: int) -> None:
        super().__init__(f"The draw needs at least 2 players; {players} joined.")


class TournamentLocked(RuleViolation):
    code = "TournamentLocked"

    def __init__(self) -> None:
        super().__init__("The host has locked joining: nobody can join this tournament now.")


class AlreadyDrawn(RuleViolation):
    code = "AlreadyDrawn"

    def __init__(self) -> None:
        super().__init__("The draw has already happened: players and picks can no longer change.")


class NotDrawnYet(RuleViolation):
    code = "NotDrawnYet"

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} only after the draw.")


class SeatsBelowPlayers(RuleViolation):
    code = "SeatsBelowPlayers"

    def __init__(self, seats: int, players: int) -> None:
        super().__init__(f"Cannot shrink to {seats} seats: {players} players are already in.")


class NoPicking(RuleViolation):
    code = "NoPicking"

    def __init__(self) -> None:
        super().__init__("In this tournament clubs are drawn from the whole list: players do not pick.")


class NextRoundExists(RuleViolation):
    code = "NextRoundExists"

    def __init__(self) -> None:
        super().__init__("The next round of this tournament has already been started.")


class RoomCodeTaken(RuleViolation):
    code = "RoomCodeTaken"

    def __init__(self) -> None:
        super().__init__("That room code is in use; try again.")
