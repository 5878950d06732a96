"""Events <-> stored records.

The stored type name of every event is listed here explicitly (``CODECS``): it is a persisted contract, so renaming a
Python class never changes stored data, and ``tests/unit/test_mapper.py`` pins the names. Never rename a stored name
or change the meaning of a field; add a new name, or an optional field that older records simply lack (decoders
read every field added later with ``.get`` and the default that means "as before").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import orjson

from lct.adapters.store import NewRecord, StoredRecord
from lct.domain import fixtures
from lct.domain import tournament as t
from lct.domain.tournament import Event, Pick, Player, Setup

Data = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Codec:
    name: str
    encode: Callable[[Any], Data]
    decode: Callable[[Data], Event]


def _player(data: Data) -> Player:
    return Player(data["name"], data["surname"])


def _pick(pick: Pick) -> Data:
    return {"name": pick.player.name, "surname": pick.player.surname, "team": pick.team, "playerId": pick.player_id}


def _unpick(data: Data) -> Pick:
    return Pick(_player(data), data["team"], data.get("playerId", ""))


def _setup(setup: Setup) -> Data:
    return {
        "hostTokenHash": setup.host_token_hash,
        "code": setup.code,
        "catalogue": setup.catalogue,
        "custom": list(setup.custom),
        "drawMode": setup.draw_mode,
        "seed": setup.seed,
        "previousId": setup.previous_id,
        "round": setup.round,
    }


def _unsetup(data: Data) -> Setup:
    return Setup(
        data.get("hostTokenHash"),
        data.get("code", ""),
        data.get("catalogue", "original"),
        tuple(data.get("custom", ())),
        data.get("drawMode", "pool"),
        data.get("seed", ""),
        data.get("previousId"),
        data.get("round", 1),
    )


def _match(match: fixtures.Match) -> Data:
    return {
        "id": match.id,
        "order": match.order,
        "round": match.round,
        "home": match.home,
        "away": match.away,
        "sources": list(match.sources),
    }


def _unmatch(data: Data) -> fixtures.Match:
    home_source, away_source = data.get("sources") or (None, None)
    return fixtures.Match(
        data["id"], data["order"], data["round"], data["home"], data["away"], (home_source, away_source)
    )


def _score(score: fixtures.Score) -> Data:
    return {"home": score.home, "away": score.away, "penaltiesWinner": score.penalties_winner}


def _unscore(data: Data) -> fixtures.Score:
    return fixtures.Score(data["home"], data["away"], data.get("penaltiesWinner"))


CODECS: Final[dict[type, Codec]] = {
    t.TournamentCreated: Codec(
        "TournamentCreated",
        lambda e: {"tournamentId": e.tournament_id, "limit": e.limit, **_setup(e.setup)},
        lambda d: t.TournamentCreated(d["tournamentId"], d["limit"], _unsetup(d)),
    ),
    t.TournamentNamed: Codec("TournamentNamed", lambda e: {"name": e.name}, lambda d: t.TournamentNamed(d["name"])),
    t.PlayerAdded: Codec(
        "PlayerAdded",
        lambda e: {
            "name": e.player.name,
            "surname": e.player.surname,
            "playerId": e.player_id,
            "tokenHash": e.token_hash,
            "clientSeed": e.client_seed,
        },
        lambda d: t.PlayerAdded(_player(d), d.get("playerId", ""), d.get("tokenHash"), d.get("clientSeed", "")),
    ),
    t.TeamSelected: Codec(
        "TeamSelected",
        lambda e: {"name": e.player.name, "surname": e.player.surname, "team": e.team, "playerId": e.player_id},
        lambda d: t.TeamSelected(_player(d), d["team"], d.get("playerId", "")),
    ),
    t.TeamsDrawn: Codec(
        "TeamsDrawn",
        lambda e: {"draws": [_pick(p) for p in e.draws]},
        lambda d: t.TeamsDrawn(tuple(_unpick(x) for x in d["draws"])),
    ),
    t.PlayerRemoved: Codec(
        "PlayerRemoved",
        lambda e: {"playerId": e.player_id, "by": e.by},
        lambda d: t.PlayerRemoved(d["playerId"], d["by"]),
    ),
    t.SeatsChanged: Codec("SeatsChanged", lambda e: {"seats": e.seats}, lambda d: t.SeatsChanged(d["seats"])),
    t.JoiningLocked: Codec("JoiningLocked", lambda e: {"locked": e.locked}, lambda d: t.JoiningLocked(d["locked"])),
    t.PlayerTokenIssued: Codec(
        "PlayerTokenIssued",
        lambda e: (
            {"playerId": e.player_id, "tokenHash": e.token_hash}
            | ({} if e.client_seed is None else {"clientSeed": e.client_seed})
        ),
        lambda d: t.PlayerTokenIssued(d["playerId"], d["tokenHash"], d.get("clientSeed")),
    ),
    t.NextRoundStarted: Codec(
        "NextRoundStarted",
        lambda e: {"tournamentId": e.tournament_id},
        lambda d: t.NextRoundStarted(d["tournamentId"]),
    ),
    fixtures.FixturesCreated: Codec(
        "FixturesCreated",
        lambda e: {"format": e.format, "legs": e.legs, "matches": [_match(m) for m in e.matches]},
        lambda d: fixtures.FixturesCreated(d["format"], d["legs"], tuple(_unmatch(m) for m in d["matches"])),
    ),
    fixtures.ScoreEntered: Codec(
        "ScoreEntered",
        lambda e: {"matchId": e.match_id, "score": _score(e.score), "by": e.by, "at": e.at},
        lambda d: fixtures.ScoreEntered(d["matchId"], _unscore(d["score"]), d["by"], d["at"]),
    ),
    fixtures.ScoreLocked: Codec(
        "ScoreLocked",
        lambda e: {"matchId": e.match_id, "by": e.by, "at": e.at},
        lambda d: fixtures.ScoreLocked(d["matchId"], d["by"], d["at"]),
    ),
}
TYPE_NAMES: Final = {cls: codec.name for cls, codec in CODECS.items()}
_DECODERS: Final = {codec.name: codec.decode for codec in CODECS.values()}


def to_record(event: Event) -> NewRecord:
    codec = CODECS[type(event)]
    return NewRecord(codec.name, orjson.dumps(codec.encode(event)).decode())


def from_record(record: StoredRecord) -> Event:
    decode = _DECODERS.get(record.type)
    if decode is None:
        raise ValueError(f"unknown event type {record.type!r}")
    return decode(orjson.loads(record.data))
