"""Stored event type names are a persisted contract: renaming a Python class must never change stored data, and
records written by earlier versions (without the fields added since) still load."""

from __future__ import annotations

import pytest

from lct import mapper
from lct.adapters.store import StoredRecord
from lct.domain import fixtures
from lct.domain import tournament as t

STORED_NAMES = {
    "TournamentCreated",
    "TournamentNamed",
    "PlayerAdded",
    "TeamSelected",
    "TeamsDrawn",
    "PlayerRemoved",
    "SeatsChanged",
    "JoiningLocked",
    "PlayerTokenIssued",
    "NextRoundStarted",
    "FixturesCreated",
    "ScoreEntered",
    "ScoreLocked",
}

JAN = t.Player("Jan", "Nowak")
EXAMPLES: list[t.Event] = [
    t.TournamentCreated("tid", 4, t.Setup("hash", "ABC234", "custom", ("A", "B"), "random", "00" * 32, "prev", 2)),
    t.TournamentNamed("Cup"),
    t.PlayerAdded(JAN, "pid", "hash", "seed"),
    t.TeamSelected(JAN, "PSG", "pid"),
    t.TeamsDrawn((t.Pick(JAN, "PSG", "pid"),)),
    t.PlayerRemoved("pid", t.HOST),
    t.SeatsChanged(3),
    t.JoiningLocked(True),
    t.PlayerTokenIssued("pid", "hash2"),
    t.PlayerTokenIssued("pid", "hash3", "seed2"),
    t.NextRoundStarted("next"),
    fixtures.FixturesCreated("knockout", 1, (fixtures.Match("m1", 1, 1, "a", None, (None, None)),)),
    fixtures.ScoreEntered("m1", fixtures.Score(1, 1, "home"), "host", "2026-12-01T10:00:00.000Z"),
    fixtures.ScoreLocked("m1", "host", "2026-12-01T10:01:00.000Z"),
]


def test_every_event_type_has_an_explicit_stored_name_and_they_are_pinned() -> None:
    assert set(mapper.TYPE_NAMES.values()) == STORED_NAMES
    assert {type(e) for e in EXAMPLES} == set(mapper.TYPE_NAMES)


@pytest.mark.parametrize("event", EXAMPLES, ids=lambda e: f"{type(e).__name__}-{EXAMPLES.index(e)}")
def test_every_event_survives_the_round_trip(event: t.Event) -> None:
    record = mapper.to_record(event)
    assert record.type == mapper.TYPE_NAMES[type(event)]
    assert mapper.from_record(StoredRecord(1, record.type, record.data)) == event


def test_the_stored_name_does_not_come_from_the_class_name() -> None:
    renamed = type("SomethingElse", (), {})
    assert renamed not in mapper.CODECS
    assert mapper.to_record(t.TournamentNamed("x")).type == "TournamentNamed"


@pytest.mark.parametrize(
    ("type_name", "data", "expected"),
    [
        ("TournamentCreated", '{"tournamentId": "tid", "limit": 2}', t.TournamentCreated("tid", 2, t.Setup())),
        ("PlayerAdded", '{"name": "Jan", "surname": "Nowak"}', t.PlayerAdded(JAN)),
        ("PlayerTokenIssued", '{"playerId": "pid", "tokenHash": "h"}', t.PlayerTokenIssued("pid", "h", None)),
        ("TeamSelected", '{"name": "Jan", "surname": "Nowak", "team": "PSG"}', t.TeamSelected(JAN, "PSG")),
        (
            "TeamsDrawn",
            '{"draws": [{"name": "Jan", "surname": "Nowak", "team": "PSG"}]}',
            t.TeamsDrawn((t.Pick(JAN, "PSG"),)),
        ),
    ],
)
def test_records_written_before_v2_still_load(type_name: str, data: str, expected: t.Event) -> None:
    assert mapper.from_record(StoredRecord(1, type_name, data)) == expected


def test_an_unknown_stored_type_is_an_error_not_a_guess() -> None:
    with pytest.raises(ValueError, match="unknown event type"):
        mapper.from_record(StoredRecord(1, "Mystery", "{}"))
