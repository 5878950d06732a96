"""Hub notification payloads (contract 3.5 and ``docs/hub.md``): the inner JSON strings sent as the single
invocation argument.

The contract's types keep their exact fields on open (v1) tournaments, plus the stream ``version`` of state
changes; on protected (v2) tournaments they also name the player by ``playerId``. Every state-changing message
carries the stream ``version`` after the change so clients can skip stale ones; v2 changes have their own types.
No message ever holds a token or an undrawn seed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from lct.domain import fixtures
from lct.domain import tournament as domain
from lct.domain.tournament import Event, Pick, Player, Tournament


def _dump(payload: dict[str, Any]) -> str:
    return orjson.dumps(payload).decode()


def for_events(state: Tournament, events: Iterable[Event]) -> Iterator[str]:
    """The messages of committed ``events``; ``state`` is the state after all of them."""
    base = {"tournamentId": state.id, "version": state.version}
    for event in events:
        payload = _payload(state, event)
        if payload is not None:
            if not state.protected and payload["type"] in _V1_TYPES:
                payload.pop("playerId", None)
            yield _dump({**payload, **base})


_V1_TYPES = frozenset({"PlayerAssigned", "TeamSelected", "TeamsDrawn"})


def _payload(state: Tournament, event: Event) -> dict[str, Any] | None:
    match event:
        case domain.PlayerAdded(player, player_id):
            return {"type": "PlayerAssigned", "name": player.name, "surname": player.surname, "playerId": player_id}
        case domain.TeamSelected(player, team, player_id):
            return _team_selected(player, team, player_id)
        case domain.TeamsDrawn(draws):
            return {"type": "TeamsDrawn", "drawnTeams": drawn_teams(draws)}
        case domain.PlayerRemoved(player_id, by):
            return {"type": "PlayerLeft", "playerId": player_id, "by": "host" if by == domain.HOST else "self"}
        case domain.TournamentNamed() | domain.SeatsChanged() | domain.JoiningLocked():
            return {"type": "TournamentChanged", "name": state.name, "seats": state.limit, "locked": state.locked}
        case domain.PlayerTokenIssued(player_id):
            return {"type": "PlayerTokenReissued", "playerId": player_id}
        case domain.NextRoundStarted(next_id):
            return {"type": "NextRoundStarted", "nextTournamentId": next_id}
        case fixtures.FixturesCreated(fmt, legs):
            return {"type": "FixturesCreated", "format": fmt, "legs": legs}
        case fixtures.ScoreEntered(match_id) | fixtures.ScoreLocked(match_id):
            return {"type": "ScoreChanged", "matchId": match_id}
    return None


def _team_selected(player: Player, team: str, player_id: str) -> dict[str, Any]:
    return {
        "type": "TeamSelected",
        "playerName": player.name,
        "playerSurname": player.surname,
        "team": team,
        "playerId": player_id,
    }


def drawn_teams(draws: Iterable[Pick]) -> list[dict[str, str]]:
    return [{"name": d.player.name, "surname": d.player.surname, "teamName": d.team} for d in draws]


def team_clicked(state: Tournament, clicks: Iterable[tuple[Player, str]]) -> str:
    ids = {e.player.key: e.id for e in state.entries} if state.protected else {}
    clicked: list[dict[str, Any]] = []
    for player, team in clicks:
        item: dict[str, Any] = {"team": team, "name": player.name, "surname": player.surname}
        if player.key in ids:
            item["playerId"] = ids[player.key]
        clicked.append(item)
    return _dump({"type": "TeamClicked", "tournamentId": state.id, "clickedTeams": clicked})
