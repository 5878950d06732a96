"""Club catalogues: the v1 list exactly, the built-in lists' names, and the host's own list (custom)."""

from __future__ import annotations

import unicodedata

import pytest

from lct.domain import catalogues
from lct.domain.catalogues import EUROPEAN_CLUBS, KEYS, NATIONAL_TEAMS, ORIGINAL, Team, by_key, custom
from lct.domain.text import clean, key
from lct.domain.tournament import InvalidField

CONFEDERATIONS = {"UEFA", "CONMEBOL", "CONCACAF", "CAF", "AFC", "OFC"}


def test_original_is_the_v1_contract_byte_for_byte() -> None:
    assert ORIGINAL == (
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
    assert by_key("original") == tuple(Team(name, "") for name in ORIGINAL)


def test_sizes() -> None:
    assert len(ORIGINAL) == 10
    assert len(EUROPEAN_CLUBS) >= 48
    assert len(NATIONAL_TEAMS) >= 32


def test_keys_name_every_built_in_catalogue() -> None:
    assert KEYS == ("original", "european-clubs", "national-teams")
    assert by_key("european-clubs") is EUROPEAN_CLUBS
    assert by_key("national-teams") is NATIONAL_TEAMS


@pytest.mark.parametrize("name", KEYS)
def test_names_are_unique_ignoring_case(name: str) -> None:
    teams = by_key(name)
    assert len({key(team.name) for team in teams}) == len(teams)


@pytest.mark.parametrize("name", KEYS)
def test_every_name_is_already_clean(name: str) -> None:
    for team in by_key(name):
        assert clean(team.name, max_length=catalogues.MAX_TEAM_NAME) == team.name
        assert unicodedata.is_normalized("NFC", team.name)


def test_groups() -> None:
    assert all(team.group for team in EUROPEAN_CLUBS)
    assert {team.group for team in NATIONAL_TEAMS} == CONFEDERATIONS
    assert len({team.group for team in EUROPEAN_CLUBS}) >= 10
    assert not CONFEDERATIONS & {team.group for team in EUROPEAN_CLUBS}


def test_clubs_keep_their_own_accents() -> None:
    names = {team.name for team in EUROPEAN_CLUBS}
    assert {"Atlético Madrid", "Bayern Munich", "Fenerbahçe", "Paris Saint-Germain"} <= names
    assert "Atletico Madrid" not in names  # the unaccented spelling belongs to ORIGINAL only
    assert not {"Manchaster City", "Machester United"} & names


@pytest.mark.parametrize("unknown", ["", "Original", "custom", "european_clubs", " original"])
def test_an_unknown_key_is_invalid_field(unknown: str) -> None:
    with pytest.raises(InvalidField, match="Unknown catalogue"):
        by_key(unknown)


# --- custom() ---------------------------------------------------------------------------------------------------


def test_custom_accepts_two_to_sixty_four_names() -> None:
    assert custom(["Red", "Blue"]) == (Team("Red", ""), Team("Blue", ""))
    sixty_four = [f"Team {k}" for k in range(64)]
    assert [team.name for team in custom(sixty_four)] == sixty_four


def test_custom_cleans_names() -> None:
    nfd = unicodedata.normalize("NFD", "Atlético")
    assert nfd != "Atlético"
    teams = custom(["  Red Stars  ", nfd])
    assert [team.name for team in teams] == ["Red Stars", "Atlético"]


def test_custom_allows_forty_characters_after_cleaning() -> None:
    forty = "x" * 40
    assert custom([forty, "  " + "y" * 40 + " "])[1].name == "y" * 40
    combining = unicodedata.normalize("NFD", "é" * 40)  # 80 code points in NFD, 40 after NFC
    assert custom([forty, combining])[1].name == "é" * 40


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["Only one"], "2 to 64 team names, not 1"),
        ([], "2 to 64 team names, not 0"),
        ([f"Team {k}" for k in range(65)], "2 to 64 team names, not 65"),
        (["Red", "x" * 41], "Custom team 2 is longer than 40 characters"),
        (["Red", "Blue", "RED"], "Custom team 3 .*repeats team 1"),
        (["Ajax", "ajax"], "Custom team 2 .*repeats team 1"),
        (["Atlético", unicodedata.normalize("NFD", "ATLÉTICO")], "Custom team 2 .*repeats team 1"),
        (["Red", "Blue", " blue "], "Custom team 3 .*repeats team 2"),
        (["Red", "Bl\x00ue"], "Custom team 2 contains an invisible or control character"),
        (["Red\u200b", "Blue"], "Custom team 1 contains an invisible or control character"),
        (["Red", "Blue\n"], "Custom team 2 contains an invisible or control character"),
        (["Red", "   "], "Custom team 2 cannot be empty"),
        (["Red", ""], "Custom team 2 cannot be empty"),
        (["Red", 7], "Custom team 2 must be a name in text, not int"),
        (["Red", None], "Custom team 2 must be a name in text, not NoneType"),
        ([True, "Red"], "Custom team 1 must be a name in text, not bool"),
        (["Red", ["Blue"]], "Custom team 2 must be a name in text, not list"),
        (["Red", {"name": "Blue"}], "Custom team 2 must be a name in text, not dict"),
        ("Red, Blue", "must be a list"),
        (("Red", "Blue"), "must be a list"),
        ({"Red": 1, "Blue": 2}, "must be a list"),
        (None, "must be a list"),
    ],
)
def test_custom_refuses(names: object, message: str) -> None:
    with pytest.raises(InvalidField, match=message):
        custom(names)
