"""Events <-> stored records. Type names are a persisted contract: never rename them, add an upcaster instead."""

from __future__ import annotations

from typing import Any

import orjson

from lct.adapters.store import NewRecord, StoredRecord
from lct.domain.tournament import (
    Event,
    Pick,
    Player,
    PlayerAdded,
    TeamsDrawn,
    TeamSelected,
    TournamentCreated,
    TournamentNamed,
)


def to_record(event: Event) -> NewRecord:
    data: dict[str, Any]
    match event:
        case TournamentCreated(tournament_id, limit):
            data = {"tournamentId": tournament_id, "limit": limit}
        case TournamentNamed(name):
            data = {"name": name}
        case PlayerAdded(player):
            data = {"name": player.name, "surname": player.surname}
        case TeamSelected(player, team):
            data = {"name": player.name, "surname": player.surname, "team": team}
        case TeamsDrawn(draws):
            data = {"draws": [{"name": d.player.name, "surname": d.player.surname, "team": d.team} for d in draws]}
    return NewRecord(type(event).__name__, orjson.dumps(data).decode())


def from_record(record: StoredRecord) -> Event:
    data = orjson.loads(record.data)
    match record.type:
        case "TournamentCreated":
            return TournamentCreated(data["tournamentId"], data["limit"])
        case "TournamentNamed":
            return TournamentNamed(data["name"])
        case "PlayerAdded":
            return PlayerAdded(Player(data["name"], data["surname"]))
        case "TeamSelected":
            return TeamSelected(Player(data["name"], data["surname"]), data["team"])
        case "TeamsDrawn":
            return TeamsDrawn(tuple(Pick(Player(d["name"], d["surname"]), d["team"]) for d in data["draws"]))
    raise ValueError(f"unknown event type {record.type!r}")
