"""The broker contract (original tests 3-21, contract 4.3-4.4), run against the in-process broker and against
``RedisBroker`` on a real Redis server. Commands are counted where they land: the in-process broker's own
counters, and Redis's ``INFO commandstats`` for the Redis adapter."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis.asyncio as redis

from lct.adapters.broker import Broker, BrokerUnavailable, InProcessBroker, Rooms
from lct.adapters.broker_redis import RedisBroker
from tests.conftest import RedisServer

TIMEOUT = 5.0


class Inbox:
    """A handler that remembers what it got, and lets a test wait for it."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()

    def __call__(self, channel: str, message: str) -> None:
        self.queue.put_nowait((channel, message))

    async def next(self) -> tuple[str, str]:
        return await asyncio.wait_for(self.queue.get(), TIMEOUT)

    async def nothing_within(self, seconds: float) -> bool:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.queue.get(), seconds)
            return False
        return True


@dataclass
class Harness:
    broker: Broker
    other: Broker | None
    """A second instance sharing the transport, or None for the single-instance in-process broker."""
    count: Callable[[str], Awaitable[int]]
    """How many times the transport saw a command: "publish", "subscribe" or "unsubscribe"."""

    async def settled(self) -> None:
        """Wait until everything this broker published so far left its buffer."""
        for _ in range(500):
            if getattr(self.broker, "buffered", 0) == 0:
                return
            await asyncio.sleep(0.01)
        raise AssertionError("broker never flushed its buffer")


async def wait_until(condition: Callable[[], bool]) -> None:
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition never became true")


async def wait_connected(broker: Broker) -> None:
    await wait_until(lambda: broker.connected)


@contextlib.asynccontextmanager
async def inprocess_harness(**_: object) -> AsyncIterator[Harness]:
    broker = InProcessBroker()
    await broker.start()

    async def count(command: str) -> int:
        return {"publish": broker.published, "subscribe": broker.subscribe_calls}.get(command, broker.unsubscribe_calls)

    yield Harness(broker, None, count)
    await broker.close()


@contextlib.asynccontextmanager
async def redis_harness(redis_url: str) -> AsyncIterator[Harness]:
    broker, other = RedisBroker(redis_url), RedisBroker(redis_url)
    admin = redis.Redis.from_url(redis_url)
    await broker.start()
    await other.start()
    await wait_connected(broker)
    await wait_connected(other)

    async def count(command: str) -> int:
        stats = await admin.info("commandstats")
        return int(stats.get(f"cmdstat_{command}", {}).get("calls", 0))

    try:
        yield Harness(broker, other, count)
    finally:
        await broker.close()
        await other.close()
        await admin.aclose()


@pytest.fixture(params=["inprocess", "redis"])
async def harness(request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    if request.param == "redis":
        server: RedisServer = request.getfixturevalue("redis_server")
        async with redis_harness(server.url) as h:
            yield h
    else:
        async with inprocess_harness() as h:
            yield h


def channel() -> str:
    return str(uuid.uuid4())


class Counter:
    """Counts one command across a block: ``async with Counter(h, "subscribe") as c: ...; c.delta``."""

    def __init__(self, harness: Harness, command: str) -> None:
        self.harness, self.command, self.delta = harness, command, 0

    async def __aenter__(self) -> Counter:
        self.start = await self.harness.count(self.command)
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.harness.settled()
        self.delta = await self.harness.count(self.command) - self.start


# --- publish (tests 3-5) ----------------------------------------------------------------------------------------


async def test_publish_without_any_subscription_issues_exactly_one_publish(harness: Harness) -> None:
    async with Counter(harness, "publish") as publishes:
        harness.broker.publish(channel(), "hello")
    assert publishes.delta == 1


async def test_publish_after_a_subscribe_issues_one_publish_and_reaches_the_handler(harness: Harness) -> None:
    ch, inbox = channel(), Inbox()
    await harness.broker.subscribe(ch, inbox)
    async with Counter(harness, "publish") as publishes:
        harness.broker.publish(ch, "hello")
        assert await inbox.next() == (ch, "hello")
    assert publishes.delta == 1
    assert harness.broker.delivered >= 1


@pytest.fixture
async def redis_harness_only(redis_server: RedisServer) -> AsyncIterator[Harness]:
    """Cross-instance delivery exists only for Redis: the in-process broker is one instance by definition."""
    async with redis_harness(redis_server.url) as h:
        yield h


async def test_another_instance_receives_what_this_one_publishes(redis_harness_only: Harness) -> None:
    harness = redis_harness_only
    assert harness.other is not None
    ch, inbox = channel(), Inbox()
    await harness.other.subscribe(ch, inbox)
    for n in range(20):
        harness.broker.publish(ch, f"m{n}")
    assert [(await inbox.next())[1] for _ in range(20)] == [f"m{n}" for n in range(20)]


async def test_messages_reach_only_the_subscribed_channel(harness: Harness) -> None:
    watched, other, inbox = channel(), channel(), Inbox()
    await harness.broker.subscribe(watched, inbox)
    harness.broker.publish(other, "not for you")
    harness.broker.publish(watched, "for you")
    assert await inbox.next() == (watched, "for you")
    assert await inbox.nothing_within(0.2)


async def test_nothing_is_delivered_after_unsubscribe(harness: Harness) -> None:
    ch, inbox = channel(), Inbox()
    await harness.broker.subscribe(ch, inbox)
    await harness.broker.unsubscribe(ch)
    harness.broker.publish(ch, "late")
    await harness.settled()
    assert await inbox.nothing_within(0.2)


# --- subscribe through Rooms (tests 6-13) -----------------------------------------------------------------------


@pytest.mark.parametrize(("group", "user"), [("", "u1"), ("g", ""), ("g", None)])
async def test_joining_with_an_empty_group_or_member_touches_nothing(
    harness: Harness, group: str, user: str | None
) -> None:
    rooms: Rooms[str | None] = Rooms(harness.broker, Inbox())
    async with Counter(harness, "subscribe") as subscribes:
        await rooms.join(group, user)
    assert subscribes.delta == 0
    assert rooms.channels() == []


async def test_first_join_subscribes_once(harness: Harness) -> None:
    rooms: Rooms[str] = Rooms(harness.broker, Inbox())
    async with Counter(harness, "subscribe") as subscribes:
        await rooms.join(channel(), "u1")
    assert subscribes.delta == 1


async def test_four_joins_including_a_repeated_member_subscribe_once(harness: Harness) -> None:
    rooms: Rooms[str] = Rooms(harness.broker, Inbox())
    ch = channel()
    async with Counter(harness, "subscribe") as subscribes:
        for user in ("u1", "u2", "u1", "u3"):
            await rooms.join(ch, user)
    assert subscribes.delta == 1
    assert rooms.members(ch) == ["u1", "u2", "u3"]


async def test_join_leave_join_subscribes_twice(harness: Harness) -> None:
    rooms: Rooms[str] = Rooms(harness.broker, Inbox())
    ch = channel()
    async with Counter(harness, "subscribe") as subscribes:
        await rooms.join(ch, "u1")
        await rooms.leave(ch, "u1")
        await rooms.join(ch, "u1")
    assert subscribes.delta == 2


async def test_a_member_leaving_while_another_stays_does_not_resubscribe(harness: Harness) -> None:
    rooms: Rooms[str] = Rooms(harness.broker, Inbox())
    ch = channel()
    async with Counter(harness, "subscribe") as subscribes:
        await rooms.join(ch, "u1")
        await rooms.join(ch, "u2")
        await rooms.leave(ch, "u1")
        await rooms.join(ch, "u3")
    assert subscribes.delta == 1


async def test_concurrent_joins_of_one_channel_subscribe_once(harness: Harness) -> None:
    rooms: Rooms[int] = Rooms(harness.broker, Inbox())
    ch = channel()
    async with Counter(harness, "subscribe") as subscribes:
        await asyncio.gather(*(rooms.join(ch, n) for n in range(50)))
    assert subscribes.delta == 1
    assert len(rooms) == 50


# --- unsubscribe through Rooms (tests 14-21) --------------------------------------------------------------------


@pytest.mark.parametrize(("group", "user"), [("", "u1"), ("g", ""), ("g", None)])
async def test_leaving_with_an_empty_group_or_member_touches_nothing(
    harness: Harness, group: str, user: str | None
) -> None:
    rooms: Rooms[str | None] = Rooms(harness.broker, Inbox())
    async with Counter(harness, "unsubscribe") as unsubscribes:
        await rooms.leave(group, user)
    assert unsubscribes.delta == 0


async def test_leaving_a_group_never_joined_touches_nothing(harness: Harness) -> None:
    rooms: Rooms[str] = Rooms(harness.broker, Inbox())
    async with Counter(harness, "unsubscribe") as unsubscribes:
        await rooms.leave(channel(), "u1")
    assert unsubscribes.delta == 0


async def test_the_only_member_leaving_unsubscribes_once(harness: Harness) -> None:
    rooms: Rooms[str] = Rooms(harness.broker, Inbox())
    ch = channel()
    await rooms.join(ch, "u1")
    async with Counter(harness, "unsubscribe") as unsubscribes:
        await rooms.leave(ch, "u1")
        await rooms.leave(ch, "u1")
    assert unsubscribes.delta == 1


async def test_one_of_two_members_leaving_does_not_unsubscribe(harness: Harness) -> None:
    rooms: Rooms[str] = Rooms(harness.broker, Inbox())
    ch = channel()
    await rooms.join(ch, "u1")
    await rooms.join(ch, "u2")
    async with Counter(harness, "unsubscribe") as unsubscribes:
        await rooms.leave(ch, "u1")
    assert unsubscribes.delta == 0


async def test_both_members_leaving_unsubscribes_exactly_once(harness: Harness) -> None:
    rooms: Rooms[str] = Rooms(harness.broker, Inbox())
    ch = channel()
    await rooms.join(ch, "u1")
    await rooms.join(ch, "u2")
    async with Counter(harness, "unsubscribe") as unsubscribes:
        await rooms.leave(ch, "u1")
        await rooms.leave(ch, "u2")
    assert unsubscribes.delta == 1


async def test_rooms_hand_messages_to_their_handler(harness: Harness) -> None:
    inbox = Inbox()
    rooms: Rooms[str] = Rooms(harness.broker, inbox)
    ch = channel()
    await rooms.join(ch, "u1")
    harness.broker.publish(ch, "hi")
    assert await inbox.next() == (ch, "hi")


# --- Redis only: outages, buffer bound, duplicates ---------------------------------------------------------------


async def test_publish_never_blocks_or_raises_while_redis_is_down(tmp_path: Path) -> None:
    server = RedisServer(tmp_path)  # not started: nothing listens on its port
    broker = RedisBroker(server.url, buffer_size=3)
    await broker.start()
    try:
        loop = asyncio.get_running_loop()
        started = loop.time()
        for n in range(5):
            broker.publish("ch", f"m{n}")
        assert loop.time() - started < 0.01
        assert (broker.published, broker.buffered, broker.dropped) == (0, 3, 2)
        assert not broker.connected
        with pytest.raises(BrokerUnavailable):
            await broker.ping()
    finally:
        await broker.close()


async def test_messages_published_during_an_outage_arrive_once_in_order_after_it(tmp_path: Path) -> None:
    server = RedisServer(tmp_path)  # comes up in the middle of the test
    publisher = RedisBroker(server.url, max_backoff=0.1)
    subscriber = RedisBroker(server.url, max_backoff=0.1)
    inbox = Inbox()
    await publisher.start()
    await subscriber.start()
    try:
        await subscriber.subscribe("ch", inbox)
        for n in range(3):
            publisher.publish("ch", f'{{"version":{n}}}')
        assert publisher.published == 0
        await asyncio.to_thread(server.start)
        got = [(await inbox.next())[1] for _ in range(3)]
        assert got == ['{"version":0}', '{"version":1}', '{"version":2}']
        assert await inbox.nothing_within(0.3)
        assert publisher.published == 3
    finally:
        await publisher.close()
        await subscriber.close()
        server.stop()


async def test_subscriptions_come_back_after_redis_restarts(redis_server: RedisServer) -> None:
    publisher, subscriber = (
        RedisBroker(redis_server.url, max_backoff=0.1),
        RedisBroker(redis_server.url, max_backoff=0.1),
    )
    inbox = Inbox()
    await publisher.start()
    await subscriber.start()
    try:
        await wait_connected(subscriber)
        await subscriber.subscribe("room", inbox)
        await asyncio.to_thread(redis_server.stop)
        await wait_until(lambda: not publisher.connected and not subscriber.connected)
        publisher.publish("room", "during")
        await asyncio.to_thread(redis_server.start)
        assert await inbox.next() == ("room", "during")
        publisher.publish("room", "after")
        assert await inbox.next() == ("room", "after")
    finally:
        redis_server.start()
        await publisher.close()
        await subscriber.close()


async def test_a_repeated_versioned_message_is_delivered_once(redis_server: RedisServer) -> None:
    publisher, subscriber = RedisBroker(redis_server.url), RedisBroker(redis_server.url)
    inbox = Inbox()
    await publisher.start()
    await subscriber.start()
    try:
        await wait_connected(subscriber)
        await subscriber.subscribe("ch", inbox)
        for message in ('{"version":7}', '{"version":7}', "click", "click"):
            publisher.publish("ch", message)
        assert [(await inbox.next())[1] for _ in range(3)] == ['{"version":7}', "click", "click"]
        assert subscriber.duplicates == 1
    finally:
        await publisher.close()
        await subscriber.close()
