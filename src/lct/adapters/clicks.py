"""The click store: each player's latest clicked (not yet confirmed) club per tournament (contract 3.4, 5.8).

Clicks are ephemeral UI state, so only the latest click per player is kept, in the order players first
clicked, at most ``max_players`` players per tournament (the one who first clicked longest ago goes first).
Recording a click returns the whole list, read in O(players) — never a scan of every click ever made.

- ``MemoryClicks``: per instance, also bounded in the number of tournaments (least recently clicked go first), and
  a tournament's clicks are forgotten once nobody clicked in it for a day (as Redis expires its keys). Enough for a
  single instance.
- ``RedisClicks`` (when ``LCT_REDIS_URL`` is set): one hash + one order list per tournament, updated and read
  by one Lua script, so every instance sees the same list; keys expire a day after the last click. If Redis
  fails, it falls back to its local ``MemoryClicks`` for that click (logged), so a click is never lost
  locally — the list is then only as complete as this instance knows it.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Protocol

import redis.asyncio as redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from lct.domain.tournament import Player

log = logging.getLogger("lct.clicks")
MAX_PLAYERS = 64
MAX_TOURNAMENTS = 10_000
TTL_SECONDS = 24 * 3600

Clicks = list[tuple[Player, str]]


class ClickStore(Protocol):
    async def record(self, tournament_id: str, player: Player, team: str) -> Clicks:
        """Store ``player``'s latest click and return every player's latest click, in first-click order."""

    async def close(self) -> None: ...


class MemoryClicks:
    """Tournaments in least-recently-clicked order, each with the time of its last click: the idle ones (over
    ``ttl`` seconds) are forgotten at the next click anywhere, the oldest also when there are too many."""

    def __init__(
        self,
        max_players: int = MAX_PLAYERS,
        max_tournaments: int = MAX_TOURNAMENTS,
        ttl: float = TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._tournaments: OrderedDict[str, tuple[dict[Player, str], float]] = OrderedDict()
        self._max_players = max_players
        self._max_tournaments = max_tournaments
        self._ttl = ttl
        self._clock = clock

    async def record(self, tournament_id: str, player: Player, team: str) -> Clicks:
        now = self._clock()
        tournaments = self._tournaments
        self._forget_idle(now)
        entry = tournaments.get(tournament_id)
        clicks = entry[0] if entry is not None else {}
        tournaments[tournament_id] = (clicks, now)
        tournaments.move_to_end(tournament_id)
        if len(tournaments) > self._max_tournaments:
            tournaments.popitem(last=False)
        clicks[player] = team
        if len(clicks) > self._max_players:
            del clicks[next(iter(clicks))]
        return list(clicks.items())

    def _forget_idle(self, now: float) -> None:
        tournaments = self._tournaments
        while tournaments:
            oldest = next(iter(tournaments.values()))
            if now - oldest[1] <= self._ttl:
                return
            tournaments.popitem(last=False)

    def __len__(self) -> int:
        return len(self._tournaments)

    async def close(self) -> None:
        return None


# KEYS[1] = hash player-key -> team, KEYS[2] = list of player keys in first-click order.
# ARGV = player key, team, max players, ttl. Returns the flat list [key, team, key, team, ...].
_RECORD = """
if redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('RPUSH', KEYS[2], ARGV[1])
  if redis.call('LLEN', KEYS[2]) > tonumber(ARGV[3]) then
    redis.call('HDEL', KEYS[1], redis.call('LPOP', KEYS[2]))
  end
end
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[4])
local order = redis.call('LRANGE', KEYS[2], 0, -1)
local teams = redis.call('HMGET', KEYS[1], unpack(order))
local out = {}
for i, key in ipairs(order) do
  out[#out + 1] = key
  out[#out + 1] = teams[i]
end
return out
"""


def _key(player: Player) -> str:
    return f"{len(player.name)}:{player.name}{player.surname}"


def _player(key: str) -> Player:
    length, _, rest = key.partition(":")
    n = int(length)
    return Player(rest[:n], rest[n:])


class RedisClicks:
    def __init__(self, url: str, max_players: int = MAX_PLAYERS, timeout: float = 1.0) -> None:
        self._client = redis.Redis.from_url(
            url,
            decode_responses=True,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 0),
        )
        self._script = self._client.register_script(_RECORD)
        self._max_players = max_players
        self._fallback = MemoryClicks(max_players)

    async def record(self, tournament_id: str, player: Player, team: str) -> Clicks:
        keys = [f"lct:clicks:{tournament_id}", f"lct:clicks:{tournament_id}:order"]
        try:
            flat = await self._script(keys=keys, args=[_key(player), team, self._max_players, TTL_SECONDS])
        except (RedisError, OSError) as e:
            log.warning("click store unavailable (%s); using this instance's clicks", e)
            return await self._fallback.record(tournament_id, player, team)
        return [(_player(flat[i]), flat[i + 1]) for i in range(0, len(flat), 2)]

    async def close(self) -> None:
        await self._client.aclose()
