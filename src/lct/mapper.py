"""Events <-> stored records.

The stored type name of every event is listed here explicitly (``TYPE_NAMES``): it is a persisted contract, so
renaming a Python class never changes stored data, and a test pins the names. Never rename a stored name or change
the meaning of a field; add a new name (or an optional field with a default) instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

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

Data = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Codec:
    encode: Callable[[Any], Data]
    decode: Callable[[Data], Event]


def _player(data: Data) -> Player:
    return Player(data["name"], data["surname"])


def _pick(pick: Pick) -> Data:
    return {"name": pick.player.name, "surname": pick.player.surname, "team": pick.team}


CODECS: Final[dict[type, tuple[str, Codec]]] = {
    TournamentCreated: (
        "TournamentCreated",
        Codec(
            lambda e: {"tournamentId": e.tournament_id, "limit": e.limit},
            lambda d: TournamentCreated(d["tournamentId"], d["limit"]),
        ),
    ),
    TournamentNamed: (
        "TournamentNamed",
        Codec(lambda e: {"name": e.name}, lambda d: TournamentNamed(d["name"])),
    ),
    PlayerAdded: (
        "PlayerAdded",
        Codec(
            lambda e: {"name": e.player.name, "surname": e.player.surname},
            lambda d: PlayerAdded(_player(d)),
        ),
    ),
    TeamSelected: (
        "TeamSelected",
        Codec(
            lambda e: {"name": e.player.name, "surname": e.player.surname, "team": e.team},
            lambda d: TeamSelected(_player(d), d["team"]),
        ),
    ),
    TeamsDrawn: (
        "TeamsDrawn",
        Codec(
            lambda e: {"draws": [_pick(p) for p in e.draws]},
            lambda d: TeamsDrawn(tuple(Pick(_player(x), x["team"]) for x in d["draws"])),
        ),
    ),
}
TYPE_NAMES: Final = {cls: name for cls, (name, _) in CODECS.items()}
_DECODERS: Final = {name: codec.decode for name, codec in CODECS.values()}


def to_record(event: Event) -> NewRecord:
    name, codec = CODECS[type(event)]
    return NewRecord(name, orjson.dumps(codec.encode(event)).decode())


def from_record(record: StoredRecord) -> Event:
    decode = _DECODERS.get(record.type)
    if decode is None:
        raise ValueError(f"unknown event type {record.type!r}")
    return decode(orjson.loads(record.data))
