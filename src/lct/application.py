"""Use cases. Every write loads the stream, decides, and appends with the expected version; on a concurrency
conflict it reloads and retries (bounded). Notifications are published only after the commit.

REST v1 use cases act on open tournaments without tokens; the v2 ones take the caller's token and let the domain
decide what it may do (``domain.actor_of``). Tokens are made here (256 random bits, URL-safe); only their hashes
reach the store, and they are returned once, to their owner.
"""

from __future__ import annotations

import asyncio
import logging
import random
import secrets
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from lct import mapper, messages
from lct.adapters.broker import Broker
from lct.adapters.clicks import ClickStore, MemoryClicks
from lct.adapters.store import ClaimTaken, ConcurrencyError, EventStore
from lct.domain import draw
from lct.domain import tournament as domain
from lct.domain.tournament import Actor, Entry, Event, Pick, Player, Setup, Tournament, TournamentNotFound

Decision = Callable[[Tournament], list[Event]]
log = logging.getLogger("lct.application")
_hub_log = logging.getLogger("lct.hub")
CODE_ATTEMPTS = 8


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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Context:
    store: EventStore
    broker: Broker
    rng: random.Random = field(default_factory=random.SystemRandom)
    cache: StateCache = field(default_factory=StateCache)
    locks: StreamLocks = field(default_factory=StreamLocks)
    clicks: ClickStore = field(default_factory=MemoryClicks)
    max_attempts: int = 25
    clock: Callable[[], str] = _now


def new_token() -> str:
    """A secret: 32 random bytes, URL-safe base64 (43 characters)."""
    return secrets.token_urlsafe(32)


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
            name = next((ev.name for ev in events if isinstance(ev, domain.TournamentNamed)), e.claim.value)
            raise domain.TournamentNameNotUnique(name) from e
        raise


def _notify(ctx: Context, state: Tournament, events: list[Event]) -> None:
    """Hand the notifications of committed events to the broker. A broker failure is logged, never raised, so it
    cannot fail the request (clients recover by re-reading state over HTTP)."""
    for message in messages.for_events(state, events):
        try:
            ctx.broker.publish(state.id, message)
        except Exception:
            log.exception("notification not published", extra={"event.action": "notification-failed"})


async def _write(ctx: Context, tournament_id: str, decide: Decision) -> tuple[Tournament, list[Event]]:
    state, events = await _change(ctx, tournament_id, decide)
    _notify(ctx, state, events)
    return state, events


async def _create(ctx: Context, name: object, limit: int, setup: Setup) -> Tournament:
    """Create with a fresh room code; a code someone else holds is drawn again (bounded)."""
    tournament_id = str(uuid.uuid4())
    for _ in range(CODE_ATTEMPTS):
        events = domain.create(tournament_id, name, limit, _with_code(setup, ctx.rng))
        try:
            await _append(ctx, tournament_id, 0, events)
        except ClaimTaken as e:
            if e.claim.namespace == domain.CODE_CLAIM:
                continue
            raise
        state = domain.replay(events)
        assert state is not None
        ctx.cache.put(state)
        return state
    raise Busy("could not find a free room code; try again")


def _with_code(setup: Setup, rng: random.Random) -> Setup:
    return replace(setup, code=domain.new_code(rng), seed=setup.seed or draw.new_server_seed().hex())


# --- REST v1 (open tournaments) -----------------------------------------------------------------------------------


async def create_tournament(ctx: Context, name: object, limit: int) -> str:
    return (await _create(ctx, name, limit, Setup())).id


async def rename_tournament(ctx: Context, tournament_id: str, name: object) -> None:
    await _write(ctx, tournament_id, lambda state: domain.rename(state, name))


def _open(decide: Decision) -> Decision:
    def decide_if_open(state: Tournament) -> list[Event]:
        domain.require_open(state)
        return decide(state)

    return decide_if_open


async def assign_player(ctx: Context, tournament_id: str, name: object, surname: object) -> None:
    await _write(ctx, tournament_id, _open(lambda s: domain.add_player(s, name, surname)))


async def select_team(ctx: Context, tournament_id: str, name: object, surname: object, team: object) -> None:
    await _write(ctx, tournament_id, _open(lambda s: domain.select_team(s, name, surname, team)))


async def draw_teams(ctx: Context, tournament_id: str) -> tuple[Pick, ...]:
    """The first call draws; later calls return the same result."""
    state, _ = await _write(ctx, tournament_id, _open(lambda s: domain.draw_teams(s, ctx.rng)))
    return state.draw


async def get_tournament(ctx: Context, tournament_id: str) -> Tournament:
    return await load(ctx, tournament_id)


async def get_teams(ctx: Context, tournament_id: str) -> list[tuple[str, bool]]:
    state = await load(ctx, tournament_id)
    taken = {e.club for e in state.entries}
    return [(team, team in taken) for team in state.catalogue]


# --- REST v2 (tokens) ---------------------------------------------------------------------------------------------


async def create_protected(
    ctx: Context, name: object, seats: int, catalogue: str, custom: tuple[str, ...], draw_mode: domain.DrawMode
) -> tuple[Tournament, str]:
    """A protected tournament and its host token (returned once; only its hash is stored)."""
    token = new_token()
    setup = Setup(domain.hash_token(token), catalogue=catalogue, custom=custom, draw_mode=draw_mode)
    return await _create(ctx, name, seats, setup), token


async def join(
    ctx: Context, tournament_id: str, name: object, surname: object, client_seed: str
) -> tuple[Tournament, Entry, str]:
    token, player_id = new_token(), str(uuid.uuid4())
    decide: Decision = lambda s: domain.join(s, name, surname, player_id, domain.hash_token(token), client_seed)  # noqa: E731
    state, _ = await _write(ctx, tournament_id, decide)
    return state, state.entry(player_id), token


def _as(token: str | None, act: Callable[[Tournament, Actor], list[Event]]) -> Decision:
    """Decide as the actor ``token`` stands for, read again on every attempt (a token may be revoked meanwhile)."""
    return lambda state: act(state, domain.actor_of(state, token))


async def pick(ctx: Context, tournament_id: str, token: str | None, player_id: str, club: object) -> Tournament:
    state, _ = await _write(ctx, tournament_id, _as(token, lambda s, a: domain.pick(s, a, player_id, club)))
    return state


async def remove_player(ctx: Context, tournament_id: str, token: str | None, player_id: str) -> Tournament:
    state, _ = await _write(ctx, tournament_id, _as(token, lambda s, a: domain.remove(s, a, player_id)))
    return state


async def update(
    ctx: Context, tournament_id: str, token: str | None, *, name: object, seats: object, locked: object
) -> Tournament:
    decide = _as(token, lambda s, a: domain.update(s, a, name=name, seats=seats, locked=locked))
    state, _ = await _write(ctx, tournament_id, decide)
    return state


async def start_draw(ctx: Context, tournament_id: str, token: str | None) -> Tournament:
    state, _ = await _write(ctx, tournament_id, _as(token, lambda s, a: domain.start_draw(s, a, ctx.rng)))
    return state


async def reissue_token(ctx: Context, tournament_id: str, token: str | None, player_id: str) -> tuple[Tournament, str]:
    fresh = new_token()
    decide = _as(token, lambda s, a: domain.reissue_token(s, a, player_id, domain.hash_token(fresh)))
    state, _ = await _write(ctx, tournament_id, decide)
    return state, fresh


async def authenticate(ctx: Context, tournament_id: str, token: str | None) -> tuple[Tournament, Actor]:
    state = await load(ctx, tournament_id)
    return state, domain.actor_of(state, token)


# --- the next round -----------------------------------------------------------------------------------------------


async def start_next_round(ctx: Context, tournament_id: str, token: str | None) -> Tournament:
    """A new tournament with the same players (no tokens yet: each phone trades its own), linked from this one."""
    state, actor = await authenticate(ctx, tournament_id, token)
    domain.start_next_round(state, actor, "")  # the rules, before anything is created
    setup = Setup(
        state.setup.host_token_hash,
        catalogue=state.setup.catalogue,
        custom=state.setup.custom,
        draw_mode=state.setup.draw_mode,
        previous_id=state.id,
        round=state.setup.round + 1,
    )
    created = await _create(ctx, domain.next_round_name(state), len(state.entries), setup)
    seats = [domain.PlayerAdded(e.player, e.id, None, "") for e in state.entries]
    await _write(ctx, created.id, lambda s: list(seats) if not s.entries else [])
    await _write(ctx, tournament_id, _as(token, lambda s, a: domain.start_next_round(s, a, created.id)))
    return await load(ctx, created.id)


async def claim_next_round(
    ctx: Context, tournament_id: str, token: str | None, client_seed: str = ""
) -> tuple[Tournament, str, str]:
    """A player of this tournament trades their token for one of the next round, where they have the same id (and,
    before its draw, the client seed of the phone that asks)."""
    state, actor = await authenticate(ctx, tournament_id, token)
    if actor.kind != "player" or actor.player_id is None:
        raise domain.Unauthorized("Only a player of this tournament, with their token, can move to the next round.")
    if state.next_id is None:
        raise domain.NotDrawnYet("The next round can be joined once the host started it, that is,")
    fresh, player_id = new_token(), actor.player_id
    decide: Decision = lambda s: domain.take_seat(s, player_id, domain.hash_token(fresh), client_seed)  # noqa: E731
    nxt, _ = await _write(ctx, state.next_id, decide)
    return nxt, player_id, fresh


# --- fixtures -----------------------------------------------------------------------------------------------------


async def create_fixtures(ctx: Context, tournament_id: str, token: str | None, fmt: object, legs: object) -> Tournament:
    state, _ = await _write(ctx, tournament_id, _as(token, lambda s, a: domain.create_fixtures(s, a, fmt, legs)))
    return state


async def enter_score(
    ctx: Context, tournament_id: str, token: str | None, match_id: str, home: object, away: object, penalties: object
) -> Tournament:
    at = ctx.clock()
    act = _as(token, lambda s, a: domain.enter_score(s, a, match_id, home, away, penalties, at))
    state, _ = await _write(ctx, tournament_id, act)
    return state


async def lock_score(ctx: Context, tournament_id: str, token: str | None, match_id: str) -> Tournament:
    at = ctx.clock()
    state, _ = await _write(ctx, tournament_id, _as(token, lambda s, a: domain.lock_score(s, a, match_id, at)))
    return state


# --- room codes ---------------------------------------------------------------------------------------------------


async def find_by_code(ctx: Context, code: object) -> Tournament:
    parsed = domain.parse_code(code)
    owner = await ctx.store.claim_owner(domain.CODE_CLAIM, parsed) if parsed else None
    if parsed is None or owner is None:
        raise domain.RoomCodeNotFound(str(code)[:12])
    return await load(ctx, owner)


# --- hub commands ---------------------------------------------------------------------------------------------


async def team_clicked(
    ctx: Context, tournament_id: str, token: str | None, team: object, name: object, surname: object
) -> bool:
    """Contract 3.4: store the player's click and publish every player's latest click to the tournament.

    Who clicked: on a protected tournament, the player of the connection's token (whatever names the payload
    carries; no player token: the click is refused); on an open one, the registered player the payload names.
    A refused click, an unknown club or player returns False and publishes nothing."""
    state = await load(ctx, tournament_id)
    entry = _clicker(state, token, name, surname)
    if entry is None or not isinstance(team, str) or team not in state.catalogue:
        _hub_log.warning(
            "click refused (%s)",
            "unknown club" if entry else "unknown player or no player token",
            extra={"event.action": "team-click-refused"},
        )
        return False
    clicks = await ctx.clicks.record(tournament_id, entry.player, team)
    ctx.broker.publish(tournament_id, messages.team_clicked(state, clicks))
    return True


def _clicker(state: Tournament, token: str | None, name: object, surname: object) -> Entry | None:
    if state.protected:
        actor = domain.actor_of(state, token)
        return state.entry(actor.player_id) if actor.kind == "player" and actor.player_id else None
    try:
        return state.entry_named(Player.of(name, surname))
    except domain.InvalidInput:
        return None
