"""Hub notification payloads (contract 3.5): the inner JSON strings sent as the single invocation argument.

State-changing messages carry the stream ``version`` after the change so clients can skip stale ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from lct.domain.tournament import Pick, Player


def _dump(payload: dict[str, Any]) -> str:
    return orjson.dumps(payload).decode()


def player_assigned(tournament_id: str, player: Player, version: int) -> str:
    return _dump(
        {
            "type": "PlayerAssigned",
            "tournamentId": tournament_id,
            "name": player.name,
            "surname": player.surname,
            "version": version,
        }
    )


def team_selected(tournament_id: str, player: Player, team: str, version: int) -> str:
    return _dump(
        {
            "type": "TeamSelected",
            "tournamentId": tournament_id,
            "playerName": player.name,
            "playerSurname": player.surname,
            "team": team,
            "version": version,
        }
    )


def teams_drawn(tournament_id: str, draws: Iterable[Pick], version: int) -> str:
    return _dump(
        {
            "type": "TeamsDrawn",
            "tournamentId": tournament_id,
            "drawnTeams": [{"name": d.player.name, "surname": d.player.surname, "teamName": d.team} for d in draws],
            "version": version,
        }
    )


def team_clicked(tournament_id: str, clicks: Iterable[tuple[Player, str]]) -> str:
    return _dump(
        {
            "type": "TeamClicked",
            "tournamentId": tournament_id,
            "clickedTeams": [{"team": team, "name": p.name, "surname": p.surname} for p, team in clicks],
        }
    )
