"""Use cases. Every write loads the stream, decides, and appends with the expected version; on a concurrency
conflict it reloads and retries (bounded). Notifications are published only after the commit.
"""

from __future__ import annotations

import asyncio
import logging
import random
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from lct import mapper, messages
from lct.adapters.broker import Broker
from lct.adapters.clicks import ClickStore, MemoryClicks
from lct.adapters.store import ClaimTaken, ConcurrencyError, EventStore
from lct.domain import tournament as domain
from lct.domain.tournament import (
    CATALOGUE,
    Event,
    Pick,
    Player,
    Tournament,
    TournamentNotFound,
)

Decision = Callable[[Tournament], list[Event]]
_log = logging.getLogger("lct.hub")
log = logging.getLogger("lct.application")


class Busy(Exception):
    """Too many concurrent writers on one tournament; nothing was written. Safe to retry."""


class StateCache:
    """Latest known state per tournament (bounded LRU). A load reads only the events after the cached version,
    so it costs one indexed query however long the stream's history, and stays fresh across instances."""

    def __init__(self, max_size: int = 20_000) -> None:
        self._items: OrderedDict[str, Tournament] = OrderedDict()
        self._max_size = max_size

    def get(self, tournament_id: str) -> Tournament | None:
        state = self._items.get(tournament_id)
        if state is not None:
            self._items.move_to_end(tournament_id)
        return state

    def put(self, state: Tournament) -> None:
        self._items[state.id] = state
        self._items.move_to_end(state.id)
        if len(self._items) > self._max_size:
            self._items.popitem(last=False)

    def drop(self, tournament_id: str) -> None:
        self._items.pop(tournament_id, None)


class StreamLocks:
    """One asyncio lock per stream: writers of one instance queue up instead of conflicting.
    Locks live only while someone holds or waits for them."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @contextmanager
    def held(self, key: str) -> Iterator[asyncio.Lock]:
        lock, users = self._locks.get(key) or (asyncio.Lock(), 0)
        self._locks[key] = (lock, users + 1)
        try:
            yield lock
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


@dataclass
class Context:
    store: EventStore
    broker: Broker
    rng: random.Random = field(default_factory=random.SystemRandom)
    cache: StateCache = field(default_factory=StateCache)
    locks: StreamLocks = field(default_factory=StreamLocks)
    clicks: ClickStore = field(default_factory=MemoryClicks)
    max_attempts: int = 25


# --- loading and writing --------------------------------------------------------------------------------------


async def load(ctx: Context, tournament_id: str) -> Tournament:
    cached = ctx.cache.get(tournament_id)
    records = await ctx.store.read(tournament_id, cached.version if cached else 0)
    if not records:
        if cached is None:
            raise TournamentNotFound(tournament_id)
        return cached
    state = domain.replay((mapper.from_record(r) for r in records), cached)
    assert state is not None
    ctx.cache.put(state)
    return state


async def _change(ctx: Context, tournament_id: str, decide: Decision) -> tuple[Tournament, list[Event]]:
    with ctx.locks.held(tournament_id) as lock:
        async with lock:
            for attempt in range(ctx.max_attempts):
                state = await load(ctx, tournament_id)
                events = decide(state)
                if not events:
                    return state, events
                try:
                    await _append(ctx, tournament_id, state.version, events)
                except ConcurrencyError:
                    ctx.cache.drop(tournament_id)
                    await asyncio.sleep(ctx.rng.uniform(0, 0.002 * (attempt + 1)))
                    continue
                new_state = domain.replay(events, state)
                assert new_state is not None
                ctx.cache.put(new_state)
                return new_state, events
    raise Busy(f"tournament {tournament_id} is changing too fast; try again")


async def _append(ctx: Context, tournament_id: str, expected: int, events: list[Event]) -> None:
    try:
        await ctx.store.append(
            tournament_id,
            expected,
            [mapper.to_record(e) for e in events],
            domain.claims(tournament_id, events),
        )
    except ClaimTaken as e:
        if e.claim.namespace == domain.NAME_CLAIM:
            raise domain.TournamentNameNotUnique(e.claim.value) from e
        # Another instance took the club between our read and our write: re-decide on fresh state.
        raise ConcurrencyError(tournament_id, expected) from e


def _notify(ctx: Context, tournament_id: str, message: str) -> None:
    """Hand a notification to the broker. The change is already committed: a broker failure is logged, never
    raised, so it cannot fail the request (clients recover by re-reading state over HTTP)."""
    try:
        ctx.broker.publish(tournament_id, message)
    except Exception:
        log.exception("notification not published", extra={"event.action": "notification-failed"})


# --- commands -------------------------------------------------------------------------------------------------


async def create_tournament(ctx: Context, name: object, limit: int) -> str:
    tournament_id = str(uuid.uuid4())
    events = domain.create(tournament_id, name, limit)
    await _append(ctx, tournament_id, 0, events)
    state = domain.replay(events)
    assert state is not None
    ctx.cache.put(state)
    return tournament_id


async def rename_tournament(ctx: Context, tournament_id: str, name: object) -> None:
    await _change(ctx, tournament_id, lambda state: domain.rename(state, name))


async def assign_player(ctx: Context, tournament_id: str, name: object, surname: object) -> None:
    state, events = await _change(ctx, tournament_id, lambda s: domain.add_player(s, name, surname))
    for event in events:
        if isinstance(event, domain.PlayerAdded):
            _notify(ctx, tournament_id, messages.player_assigned(tournament_id, event.player, state.version))


async def select_team(ctx: Context, tournament_id: str, name: object, surname: object, team: object) -> None:
    state, events = await _change(ctx, tournament_id, lambda s: domain.select_team(s, name, surname, team))
    for event in events:
        if isinstance(event, domain.TeamSelected):
            _notify(ctx, tournament_id, messages.team_selected(tournament_id, event.player, event.team, state.version))


async def draw_teams(ctx: Context, tournament_id: str) -> tuple[Pick, ...]:
    """The first call draws; later calls return the same result."""
    state, events = await _change(ctx, tournament_id, lambda s: domain.draw_teams(s, ctx.rng))
    if events:
        _notify(ctx, tournament_id, messages.teams_drawn(tournament_id, state.draw, state.version))
    return state.draw


# --- queries --------------------------------------------------------------------------------------------------


async def get_tournament(ctx: Context, tournament_id: str) -> Tournament:
    return await load(ctx, tournament_id)


async def get_teams(ctx: Context, tournament_id: str) -> list[tuple[str, bool]]:
    state = await load(ctx, tournament_id)
    taken = {s.team for s in state.selections}
    return [(team, team in taken) for team in CATALOGUE]


__all__ = [
    "Busy",
    "Context",
    "Player",
    "assign_player",
    "create_tournament",
    "draw_teams",
    "get_teams",
    "get_tournament",
    "load",
    "rename_tournament",
    "select_team",
    "team_clicked",
]


# --- hub commands ---------------------------------------------------------------------------------------------


async def team_clicked(ctx: Context, tournament_id: str, team: object, name: object, surname: object) -> bool:
    """Contract 3.4: store the player's click and publish every player's latest click to the tournament.
    An unknown club or an invalid name is logged and ignored (returns False). The tournament must exist."""
    try:
        club = domain.validate_team(team)
        player = Player.of(name, surname)
    except domain.InvalidInput as e:
        _log.error("Clicked %s does not exist. (%s)", team, e.message, extra={"event.action": "team-click-ignored"})
        return False
    await load(ctx, tournament_id)
    clicks = await ctx.clicks.record(tournament_id, player, club)
    ctx.broker.publish(tournament_id, messages.team_clicked(tournament_id, clicks))
    return True
