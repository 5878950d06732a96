"""The rate limits' arithmetic (token buckets, the REST client LRU, the hub's flood detector and connection cap), the click store's idle
expiry and the settings that configure them. The services' behaviour under abuse is in tests/integration."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from lct.adapters.clicks import MemoryClicks
from lct.config import Settings
from lct.domain.tournament import Player
from lct.entrypoints.limits import ClientLimiter, ConnectionCap, InvocationLimit, TokenBucket


def test_a_bucket_allows_a_burst_of_twice_the_rate_then_the_rate() -> None:
    bucket = TokenBucket(10, now=0.0)
    assert sum(bucket.take(0.0) for _ in range(50)) == 20
    assert not bucket.take(0.0)
    assert sum(bucket.take(1.0) for _ in range(50)) == 10  # one second refills ten tokens


def test_a_bucket_says_how_long_until_the_next_token() -> None:
    bucket = TokenBucket(2, now=0.0)
    while bucket.take(0.0):
        pass
    assert bucket.wait() == pytest.approx(0.5)


def test_a_client_over_its_rate_gets_whole_seconds_to_wait_and_others_are_not_affected() -> None:
    limiter = ClientLimiter(rate=0.5)  # one request every two seconds, burst 1
    assert limiter.check("10.0.0.1", 0.0) is None
    assert limiter.check("10.0.0.1", 0.1) == 2
    assert limiter.check("10.0.0.2", 0.1) is None
    assert limiter.check("10.0.0.1", 2.1) is None


def test_the_client_table_is_bounded_and_forgets_the_least_recently_seen() -> None:
    limiter = ClientLimiter(rate=1, max_clients=3)  # burst 2
    for client in ("a", "a", "b", "c"):
        limiter.check(client, 0.0)
    assert limiter.check("a", 0.0) == 1  # used up, and now the most recently seen
    limiter.check("d", 0.0)  # evicts "b", the least recently seen
    assert len(limiter) == 3
    assert limiter.check("a", 0.0) == 1  # still remembered
    for client in ("e", "f", "g"):  # evict "c", "d", then "a"
        limiter.check(client, 0.0)
    assert limiter.check("a", 0.0) is None  # forgotten: a fresh budget


def test_ipv6_clients_share_one_budget_per_64_network() -> None:
    limiter = ClientLimiter(rate=1)
    assert limiter.check("2001:db8:1:2::1", 0.0) is None
    assert limiter.check("2001:db8:1:2::ffff", 0.0) is None
    assert limiter.check("2001:db8:1:2:abcd::9", 0.0) is not None
    assert limiter.check("2001:db8:1:3::1", 0.0) is None


def test_invocations_over_the_rate_are_refused_and_a_flood_is_detected_after_five_seconds() -> None:
    limit = InvocationLimit(rate=20, now=0.0)
    assert sum(limit.admit(0.0) for _ in range(100)) == 40  # the burst
    now = 0.0
    flagged_at = None
    while now < 10 and flagged_at is None:  # 1,000 invocations a second: 50 times the rate
        now += 0.001
        limit.admit(now)
        if limit.flooding(now):
            flagged_at = now
    assert flagged_at is not None and 5.0 <= flagged_at <= 6.5


def test_a_client_at_five_times_the_rate_is_limited_but_never_called_a_flood() -> None:
    limit = InvocationLimit(rate=20, now=0.0)
    now = 0.0
    for _ in range(100 * 20):  # 100 a second for 20 s
        now += 0.01
        limit.admit(now)
        assert not limit.flooding(now)


def test_a_burst_then_silence_is_no_flood() -> None:
    limit = InvocationLimit(rate=20, now=0.0)
    for _ in range(5000):
        limit.admit(0.5)
    assert not limit.flooding(30.0) and not limit.flooding(0.5)


async def test_a_tournaments_clicks_are_forgotten_after_a_day_without_clicks() -> None:
    clock = [0.0]
    clicks = MemoryClicks(clock=lambda: clock[0])
    await clicks.record("a", Player("Jan", "Nowak"), "Bayern")
    await clicks.record("b", Player("Ola", "Kowal"), "PSG")
    clock[0] = 20 * 3600.0
    await clicks.record("b", Player("Ola", "Kowal"), "Ajax")
    clock[0] = 25 * 3600.0  # "a" idle 25 h, "b" idle 5 h
    assert await clicks.record("c", Player("Ala", "Nowak"), "Celtic") == [(Player("Ala", "Nowak"), "Celtic")]
    assert len(clicks) == 2  # "a" forgotten
    assert await clicks.record("b", Player("Jan", "Nowak"), "Benfica") == [
        (Player("Ola", "Kowal"), "Ajax"),
        (Player("Jan", "Nowak"), "Benfica"),
    ]
    clock[0] = 60 * 3600.0
    assert await clicks.record("a", Player("Jan", "Nowak"), "PSG") == [(Player("Jan", "Nowak"), "PSG")]
    assert len(clicks) == 1


def test_limit_settings_have_safe_defaults_and_accept_benchmark_values(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings()
    assert (settings.hub_send_buffer_bytes, settings.hub_clicks_per_second, settings.rate_limit) == (1 << 20, 20, 50)
    assert (settings.http_header_timeout_seconds, settings.metrics_port) == (10, None)
    monkeypatch.setenv("LCT_HUB_CLICKS_PER_SECOND", "100000")
    monkeypatch.setenv("LCT_RATE_LIMIT", "0")
    lifted = Settings()
    assert (lifted.hub_clicks_per_second, lifted.rate_limit) == (100_000, 0)


@pytest.mark.parametrize(
    ("environment", "origins", "expected"),
    [
        ("Development", None, ("*",)),
        ("Production", None, ()),
        ("Production", "", ()),
        (
            "Production",
            "https://LCT.example.org/, http://tv.local:8080",
            ("https://lct.example.org", "http://tv.local:8080"),
        ),
        ("Production", "*", ("*",)),
        ("Development", "https://a.example", ("https://a.example",)),
    ],
)
def test_cors_origins_default_by_environment(environment: str, origins: str | None, expected: tuple[str, ...]) -> None:
    assert Settings(environment=environment, cors_origins=origins).cors_origin_list == expected


@pytest.mark.parametrize(
    "bad",
    [
        {"cors_origins": "lct.example.org"},
        {"cors_origins": "https://a.example/path"},
        {"metrics_port": 8000},
        {"hub_clicks_per_second": 0},
        {"rate_limit": -1},
        {"hub_send_buffer_bytes": 10},
    ],
)
def test_invalid_limit_settings_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Settings(**bad)  # type: ignore[arg-type]


def test_the_connection_cap_counts_open_connections_per_address_and_forgets_closed_ones() -> None:
    cap = ConnectionCap(2)
    held = [cap.admit("192.0.2.1"), cap.admit("192.0.2.1")]
    assert None not in held
    assert cap.admit("192.0.2.1") is None
    assert cap.admit("192.0.2.2") is not None
    cap.release(held[0])
    key = cap.admit("192.0.2.1")
    assert key is not None
    for k in (held[1], key, "192.0.2.2"):
        cap.release(k)
    assert len(cap) == 0


def test_the_connection_cap_counts_an_ipv6_64_network_as_one_client() -> None:
    cap = ConnectionCap(1)
    assert cap.admit("2001:db8:1:2::1") is not None
    assert cap.admit("2001:db8:1:2:ffff::9") is None
    assert cap.admit("2001:db8:1:3::1") is not None


def test_a_connection_cap_of_zero_admits_everyone() -> None:
    cap = ConnectionCap(0)
    assert all(cap.admit("192.0.2.1") is not None for _ in range(10_000))
