"""Rate limits: token buckets for REST clients (``LCT_RATE_LIMIT``) and hub connections
(``LCT_HUB_CLICKS_PER_SECOND``), and a cap on the hub connections one client address holds open at once
(``LCT_HUB_CONNECTIONS_PER_CLIENT``).

A bucket holds up to ``burst`` tokens (twice the rate), refills at ``rate`` tokens per second and each request or
invocation takes one; without a token it is refused. State is per instance: behind a load balancer with N
instances a client may get up to N times the rate. No I/O, no asyncio: the callers pass the time.
"""

from __future__ import annotations

import ipaddress
import math
from collections import OrderedDict
from typing import Final

BURST_FACTOR: Final = 2.0
MAX_CLIENTS: Final = 16_384
"""REST clients remembered (least recently seen forgotten first): a bucket is ~0.3 KB, so at most ~5 MB."""
FLOOD_FACTOR: Final = 10.0
FLOOD_SECONDS: Final = 5.0


class TokenBucket:
    __slots__ = ("burst", "rate", "tokens", "updated")

    def __init__(self, rate: float, now: float, burst: float | None = None) -> None:
        self.rate = rate
        self.burst = burst if burst is not None else max(1.0, rate * BURST_FACTOR)
        self.tokens = self.burst
        self.updated = now

    def take(self, now: float) -> bool:
        """Take a token if there is one."""
        tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if tokens >= 1.0:
            self.tokens = tokens - 1.0
            return True
        self.tokens = tokens
        return False

    def wait(self) -> float:
        """Seconds until the next token (as of the last ``take``)."""
        return max(0.0, (1.0 - self.tokens) / self.rate)


class ClientLimiter:
    """Per-client buckets, for at most ``max_clients`` clients (an LRU: memory stays bounded whatever the number of
    addresses). IPv6 clients are counted per /64 network, which one household or phone usually holds whole."""

    def __init__(self, rate: float, max_clients: int = MAX_CLIENTS) -> None:
        self.rate = rate
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, TokenBucket] = OrderedDict()

    def check(self, client: str, now: float) -> int | None:
        """None if ``client`` may go on; else the whole seconds to wait (for ``Retry-After``)."""
        key = _key(client)
        buckets = self._buckets
        bucket = buckets.get(key)
        if bucket is None:
            bucket = buckets[key] = TokenBucket(self.rate, now)
            if len(buckets) > self.max_clients:
                buckets.popitem(last=False)
        else:
            buckets.move_to_end(key)
        if bucket.take(now):
            return None
        return max(1, math.ceil(bucket.wait()))

    def __len__(self) -> int:
        return len(self._buckets)


class ConnectionCap:
    """How many hub connections each client address holds open, at most ``limit`` each (0: no cap). An address is
    remembered only while it has a connection, so memory follows the open connections."""

    __slots__ = ("_open", "limit")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._open: dict[str, int] = {}

    def admit(self, client: str) -> str | None:
        """The key to ``release`` when the connection ends, or None when ``client`` is at its cap."""
        key = _key(client)
        held = self._open.get(key, 0)
        if self.limit and held >= self.limit:
            return None
        self._open[key] = held + 1
        return key

    def release(self, key: str) -> None:
        held = self._open.pop(key, 0) - 1
        if held > 0:
            self._open[key] = held

    def __len__(self) -> int:
        return len(self._open)


def _key(client: str) -> str:
    if ":" not in client:
        return client
    try:
        return str(ipaddress.IPv6Network((client, 64), strict=False))
    except ValueError:
        return client


class InvocationLimit:
    """One hub connection's invocations: a bucket (``rate`` per second, burst twice that), and a flood detector: a
    connection that keeps sending more than ``FLOOD_FACTOR`` times the rate for ``FLOOD_SECONDS`` is flooding."""

    __slots__ = ("bucket", "over_since", "reported", "window_count", "window_start")

    def __init__(self, rate: float, now: float) -> None:
        self.bucket = TokenBucket(rate, now)
        self.window_start = now
        self.window_count = 0
        self.over_since: float | None = None
        self.reported = False

    def admit(self, now: float) -> bool:
        """Count one invocation; True if it may run."""
        self.window_count += 1
        elapsed = now - self.window_start
        if elapsed >= 1.0:
            over = self.window_count / elapsed > FLOOD_FACTOR * self.bucket.rate
            self.over_since = (self.over_since if self.over_since is not None else self.window_start) if over else None
            self.window_start, self.window_count = now, 0
        return self.bucket.take(now)

    def flooding(self, now: float) -> bool:
        return self.over_since is not None and now - self.over_since >= FLOOD_SECONDS
