"""The click store contract, run against the in-memory store and the Redis store on a real Redis server."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from lct.adapters.clicks import ClickStore, MemoryClicks, RedisClicks
from lct.domain.tournament import Player
from tests.conftest import RedisServer


@pytest.fixture(params=["memory", "redis"])
async def clicks(request: pytest.FixtureRequest) -> AsyncIterator[ClickStore]:
    store: ClickStore
    if request.param == "redis":
        server: RedisServer = request.getfixturevalue("redis_server")
        store = RedisClicks(server.url, max_players=3)
    else:
        store = MemoryClicks(max_players=3)
    yield store
    await store.close()


JAN, OLA, EWA, ADAM = Player("Jan", "Nowak"), Player("Ola", "Kowal"), Player("Ewa", "Lis"), Player("Adam", "Wo:1")


async def test_the_latest_click_of_each_player_in_first_click_order(clicks: ClickStore) -> None:
    tid = str(uuid.uuid4())
    await clicks.record(tid, JAN, "Bayern")
    await clicks.record(tid, OLA, "PSG")
    assert await clicks.record(tid, JAN, "Chelsea") == [(JAN, "Chelsea"), (OLA, "PSG")]


async def test_tournaments_are_separate(clicks: ClickStore) -> None:
    one, two = str(uuid.uuid4()), str(uuid.uuid4())
    await clicks.record(one, JAN, "Bayern")
    assert await clicks.record(two, OLA, "PSG") == [(OLA, "PSG")]


async def test_players_are_bounded_per_tournament_dropping_the_earliest_first(clicks: ClickStore) -> None:
    tid = str(uuid.uuid4())
    for player in (JAN, OLA, EWA):
        await clicks.record(tid, player, "Juventus")
    assert await clicks.record(tid, ADAM, "PSG") == [(OLA, "Juventus"), (EWA, "Juventus"), (ADAM, "PSG")]


async def test_names_with_separators_and_non_ascii_round_trip(clicks: ClickStore) -> None:
    tid = str(uuid.uuid4())
    odd = Player("Łukasz 3:x", ':"Żak"')
    assert await clicks.record(tid, odd, "Real Madrid") == [(odd, "Real Madrid")]


async def test_the_redis_store_falls_back_to_local_clicks_when_redis_is_down() -> None:
    store = RedisClicks("redis://127.0.0.1:1/0")
    try:
        assert await store.record("t", JAN, "PSG") == [(JAN, "PSG")]
    finally:
        await store.close()
