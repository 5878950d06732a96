"""The clubs a tournament can be played with: the v1 list, European clubs, national teams, or the host's own list.

Names are English common names, as people type them, with the accents the clubs use themselves
("Atlético Madrid", "Fenerbahçe"). ``group`` is the country of a club, the confederation of a national team,
and "" for the original list and custom lists. Order matters: mode ``random`` deals in catalogue order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from lct.domain.errors import InvalidField
from lct.domain.text import InvalidText, clean, key

MIN_CUSTOM: Final = 2
MAX_CUSTOM: Final = 64
MAX_TEAM_NAME: Final = 40


@dataclass(frozen=True, slots=True)
class Team:
    name: str
    group: str


# The v1 contract, byte for byte: two names are misspelled on purpose ("Manchaster", "Machester") and stay so.
ORIGINAL: Final = (
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


def _teams(group: str, *names: str) -> tuple[Team, ...]:
    return tuple(Team(name, group) for name in names)


EUROPEAN_CLUBS: Final = (
    *_teams(
        "England",
        "Arsenal",
        "Aston Villa",
        "Chelsea",
        "Liverpool",
        "Manchester City",
        "Manchester United",
        "Newcastle United",
        "Tottenham Hotspur",
    ),
    *_teams(
        "Spain",
        "Real Madrid",
        "Barcelona",
        "Atlético Madrid",
        "Athletic Bilbao",
        "Real Sociedad",
        "Sevilla",
        "Valencia",
        "Villarreal",
        "Real Betis",
    ),
    *_teams(
        "Germany",
        "Bayern Munich",
        "Borussia Dortmund",
        "Bayer Leverkusen",
        "RB Leipzig",
        "Eintracht Frankfurt",
        "VfB Stuttgart",
        "Borussia Mönchengladbach",
    ),
    *_teams("Italy", "Juventus", "Inter Milan", "AC Milan", "Napoli", "Roma", "Lazio", "Atalanta", "Fiorentina"),
    *_teams("France", "Paris Saint-Germain", "Marseille", "Lyon", "Monaco", "Lille"),
    *_teams("Portugal", "Benfica", "Porto", "Sporting CP"),
    *_teams("Netherlands", "Ajax", "PSV Eindhoven", "Feyenoord"),
    *_teams("Scotland", "Celtic", "Rangers"),
    *_teams("Turkey", "Galatasaray", "Fenerbahçe", "Beşiktaş"),
    *_teams("Belgium", "Club Brugge", "Anderlecht"),
    *_teams("Austria", "Red Bull Salzburg"),
    *_teams("Ukraine", "Shakhtar Donetsk", "Dynamo Kyiv"),
    *_teams("Greece", "Olympiacos"),
    *_teams("Serbia", "Red Star Belgrade"),
    *_teams("Croatia", "Dinamo Zagreb"),
    *_teams("Denmark", "Copenhagen"),
    *_teams("Switzerland", "Young Boys"),
)

NATIONAL_TEAMS: Final = (
    *_teams(
        "UEFA",
        "France",
        "England",
        "Spain",
        "Germany",
        "Italy",
        "Portugal",
        "Netherlands",
        "Belgium",
        "Croatia",
        "Denmark",
        "Switzerland",
        "Poland",
        "Austria",
        "Scotland",
        "Wales",
        "Serbia",
        "Ukraine",
        "Turkey",
        "Norway",
        "Sweden",
        "Czech Republic",
    ),
    *_teams("CONMEBOL", "Brazil", "Argentina", "Uruguay", "Colombia", "Ecuador", "Chile", "Paraguay", "Peru"),
    *_teams("CONCACAF", "Mexico", "United States", "Canada", "Costa Rica"),
    *_teams("CAF", "Morocco", "Senegal", "Nigeria", "Egypt", "Cameroon", "Ghana", "Ivory Coast", "Algeria", "Tunisia"),
    *_teams("AFC", "Japan", "South Korea", "Australia", "Iran", "Saudi Arabia", "Qatar"),
    *_teams("OFC", "New Zealand"),
)

KEYS: Final = ("original", "european-clubs", "national-teams")

_BY_KEY: Final[dict[str, tuple[Team, ...]]] = {
    "original": _teams("", *ORIGINAL),
    "european-clubs": EUROPEAN_CLUBS,
    "national-teams": NATIONAL_TEAMS,
}


def by_key(catalogue_key: str) -> tuple[Team, ...]:
    """The built-in catalogue named ``catalogue_key`` (one of ``KEYS``); ``InvalidField`` for any other value."""
    teams = _BY_KEY.get(catalogue_key) if isinstance(catalogue_key, str) else None
    if teams is None:
        raise InvalidField(f"Unknown catalogue {catalogue_key!r}; expected one of: {', '.join(KEYS)}.")
    return teams


def custom(names: object) -> tuple[Team, ...]:
    """The host's own list: 2-64 distinct names (ignoring case), each 1-40 characters after cleaning.

    ``names`` is the parsed JSON value; anything else than a list of strings is refused with ``InvalidField``,
    whose message names the position (counted from 1) of the first bad entry.
    """
    if not isinstance(names, list):
        raise InvalidField("A custom catalogue must be a list of team names.")
    if not MIN_CUSTOM <= len(names) <= MAX_CUSTOM:
        raise InvalidField(f"A custom catalogue needs {MIN_CUSTOM} to {MAX_CUSTOM} team names, not {len(names)}.")
    teams: list[Team] = []
    seen: dict[str, int] = {}
    for position, raw in enumerate(names, start=1):
        name = _custom_name(position, raw)
        first = seen.setdefault(key(name), position)
        if first != position:
            raise InvalidField(
                f"Custom team {position} ({name!r}) repeats team {first} ({teams[first - 1].name!r}); "
                "names are compared ignoring case."
            )
        teams.append(Team(name, ""))
    return tuple(teams)


def _custom_name(position: int, raw: object) -> str:
    if not isinstance(raw, str):
        raise InvalidField(f"Custom team {position} must be a name in text, not {type(raw).__name__}.")
    try:
        return clean(raw, max_length=MAX_TEAM_NAME)
    except InvalidText as e:
        raise InvalidField(f"Custom team {position} {e}.") from e
