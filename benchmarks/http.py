"""REST benchmark: ``python -m benchmarks.http`` (see docs/benchmarks.md).

Starts ``lct serve`` pinned to one core (``taskset -c 0``) on a fresh SQLite file in a temporary directory,
drives it with wrk pinned to the other core (``taskset -c 1``), runs each scenario for a fixed time at each
connection count, runs a bare FastAPI hello app under the same conditions as the ceiling, and writes
``report.json`` + ``report.md`` into ``benchmarks/results/<timestamp>/``. Loopback only; every wait is bounded.

Scenarios: ``hello`` (ceiling), ``create`` (POST /api/Tournament/create, unique names, limit 2), ``get``
(GET /api/Tournament round-robin over 1,000 tournaments with 2 players each), ``assign`` (POST
/api/Tournament/assignPlayer, unique names round-robin over a pool of limit-10 tournaments sized so none fills).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LUA = HERE / "wrk"
DEFAULT_SCENARIOS = ("hello", "create", "get", "assign")
DEFAULT_CONNECTIONS = (8, 64, 120)
GET_POOL = 1000
GET_PLAYERS = 2
ASSIGN_LIMIT = 10
FIRST_ASSIGN_RATE = 5_000  # requests/s assumed to size the first assign pool, before anything is measured
START_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0

# Targets from issue 4 (server on one core).
THROUGHPUT_TARGETS = {"create": 1500.0, "get": 3000.0, "assign": 1500.0}
CEILING_TARGETS = {"create": 0.40, "get": 0.60}
P95_AT_120_MS = 100.0
P95_AT_8_MS = 10.0


# --- helpers ----------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process, from /proc (0 when unavailable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk_version(wrk: str) -> str:
    out = subprocess.run([wrk, "--version"], capture_output=True, text=True, timeout=10, check=False)
    return (out.stdout or out.stderr).splitlines()[0].strip() if (out.stdout or out.stderr) else "unknown"


def pinning_available() -> bool:
    return shutil.which("taskset") is not None and (os.cpu_count() or 1) >= 2


def pinned(cpu: int | None, argv: Sequence[str]) -> list[str]:
    return ["taskset", "-c", str(cpu), *argv] if cpu is not None else list(argv)


def wait_live(url_host: str, port: int, path: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    request = f"GET {path} HTTP/1.1\r\nHost: {url_host}\r\nConnection: close\r\n\r\n".encode()
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before becoming live")
        try:
            with socket.create_connection((url_host, port), timeout=1.0) as s:
                s.sendall(request)
                if s.recv(64).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.05)  # poll interval while the server starts
    raise TimeoutError(f"server on port {port} not live after {timeout:.0f} s")


# --- a minimal keep-alive HTTP/1.1 client for setting up pools (not the load generator) -----------------------


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, raw: bytes) -> tuple[int, bytes]:
    writer.write(raw)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        if line.lower().startswith("content-length:"):
            length = int(line.split(":", 1)[1])
    body = await reader.readexactly(length) if length else b""
    return status, body


async def _post_all(port: int, path: str, bodies: Sequence[bytes], concurrency: int = 16) -> list[bytes]:
    results: list[bytes] = [b""] * len(bodies)
    queue = iter(range(len(bodies)))

    async def worker() -> None:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 10)
        try:
            for i in queue:
                raw = (
                    f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(bodies[i])}\r\n\r\n"
                ).encode() + bodies[i]
                status, body = await asyncio.wait_for(_exchange(reader, writer, raw), 30)
                if status != 200:
                    raise RuntimeError(f"setup request {path} failed with {status}: {body[:200]!r}")
                results[i] = body
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(min(concurrency, len(bodies)) or 1)))
    return results


def create_pool(port: int, count: int, limit: int, players: int, prefix: str) -> list[str]:
    """Create ``count`` tournaments (and ``players`` players in each) through the API; return their ids."""

    async def run() -> list[str]:
        bodies = [json.dumps({"name": f"{prefix}-{i}", "playerLimit": limit}).encode() for i in range(count)]
        ids = [b.decode().strip('"') for b in await _post_all(port, "/api/Tournament/create", bodies)]
        if players:
            assigns = [
                json.dumps({"name": f"{prefix}-p{k}", "surname": "setup", "tournamentId": tid}).encode()
                for k in range(players)
                for tid in ids
            ]
            await _post_all(port, "/api/Tournament/assignPlayer", assigns)
        return ids

    return asyncio.run(run())


# --- servers ----------------------------------------------------------------------------------------------------


@dataclass
class ServerProcess:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    @property
    def pid(self) -> int:
        return self.process.pid


@contextlib.contextmanager
def run_server(
    kind: str, workdir: Path, cpu: int | None, env_overrides: dict[str, str], database_url: str | None
) -> Iterator[ServerProcess]:
    port = free_port()
    log_path = workdir / f"{kind}-{port}.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    if kind == "hello":
        argv = [sys.executable, "-m", "benchmarks.hello_app", "--port", str(port)]
        ready = "/hello"
    else:
        db = database_url or f"sqlite:///{workdir / f'lct-{port}.db'}"
        env.update({"LCT_DATABASE_URL": db, "LCT_HOST": "127.0.0.1", "LCT_PORT": str(port)})
        env.update(env_overrides)
        argv = [sys.executable, "-m", "lct.entrypoints.cli", "serve"]
        ready = "/liveness"
    with log_path.open("wb") as log:
        process = subprocess.Popen(pinned(cpu, argv), env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        server = ServerProcess(kind, port, process, log_path)
        try:
            wait_live("127.0.0.1", port, ready, process, START_TIMEOUT)
            yield server
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(STOP_TIMEOUT)


# --- wrk --------------------------------------------------------------------------------------------------------


@dataclass
class WrkResult:
    requests: int
    seconds: float
    errors: dict[str, int]
    non2xx: int
    latency_us: dict[str, float]
    client_cpu: float
    server_cpu: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def failed(self) -> int:
        e = self.errors
        return e["connect"] + e["read"] + e["write"] + e["timeout"] + self.non2xx


def lua_script(scenario: str, workdir: Path) -> Path:
    path = workdir / f"{scenario}.lua"
    path.write_text((LUA / "common.lua").read_text() + "\n" + (LUA / f"{scenario}.lua").read_text())
    return path


def run_wrk(
    wrk: str,
    cpu: int | None,
    server: ServerProcess,
    script: Path,
    script_args: Sequence[str],
    connections: int,
    duration: float,
    threads: int,
    timeout_s: float,
) -> WrkResult:
    argv = [
        wrk,
        f"-t{threads}",
        f"-c{max(connections, threads)}",
        f"-d{max(1, round(duration))}s",
        f"--timeout={timeout_s:g}s",
        "-s",
        str(script),
        f"http://127.0.0.1:{server.port}",
        "--",
        *script_args,
    ]
    server_before = cpu_seconds(server.pid)
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(pinned(cpu, argv), stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + duration + timeout_s + 30
        usage = None
        try:
            while time.monotonic() < deadline:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    proc.returncode = os.waitstatus_to_exitcode(status)
                    break
                time.sleep(0.05)  # poll for wrk's exit; bounded by the deadline
            else:
                raise TimeoutError("wrk did not finish in time")
        finally:
            if proc.returncode is None:
                proc.kill()
                proc.wait(10)
        out.seek(0)
        text = out.read().decode(errors="replace")
    server_cpu = cpu_seconds(server.pid) - server_before
    match = re.search(r"^BENCH_JSON (\{.*\})$", text, re.MULTILINE)
    if proc.returncode != 0 or match is None:
        raise RuntimeError(f"wrk failed (exit {proc.returncode}):\n{text}")
    data = json.loads(match.group(1))
    seconds = data["duration_us"] / 1e6
    return WrkResult(
        requests=data["requests"],
        seconds=seconds,
        errors=data["errors"],
        non2xx=data["non2xx"],
        latency_us=data["latency_us"],
        client_cpu=(usage.ru_utime + usage.ru_stime) / seconds if usage and seconds else 0.0,
        server_cpu=server_cpu / seconds if seconds else 0.0,
    )


# --- profiling (py-spy on the client core, sampling the server) ------------------------------------------------


def start_profiler(opts: Options, pid: int, stem: Path) -> tuple[subprocess.Popen[bytes], Path]:
    assert opts.profile is not None
    stem.parent.mkdir(parents=True, exist_ok=True)
    raw = stem.with_suffix(".collapsed.txt")
    argv = [opts.profile, "record", "--pid", str(pid), "--rate", "200", "--nonblocking", "--format", "raw"]
    argv += ["--output", str(raw), "--duration", str(max(1, round(opts.duration)))]
    if opts.profile_gil:
        argv.append("--gil")
    proc = subprocess.Popen(pinned(opts.client_cpu, argv), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.3)  # let py-spy attach before the load starts
    return proc, raw


def finish_profiler(proc: subprocess.Popen[bytes], raw: Path) -> str:
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)
    if not raw.exists():
        return ""
    top = raw.with_name(raw.name.replace(".collapsed.txt", ".top.txt"))
    top.write_text(top_frames(raw.read_text()))
    return str(top)


def _frame_name(frame: str) -> str:
    """``func (/path/to/file.py:123)`` -> ``func (file.py)``: functions, not lines."""
    name, sep, where = frame.partition(" (")
    if not sep:
        return frame
    return f"{name} ({where.rsplit('/', 1)[-1].split(':', 1)[0].rstrip(')')})"


def top_frames(collapsed: str, limit: int = 25) -> str:
    """Self and inclusive sample shares per frame from py-spy's collapsed stacks ("a;b;c count" lines)."""
    self_count: dict[str, int] = {}
    incl: dict[str, int] = {}
    total = 0
    for line in collapsed.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        frames = [_frame_name(f) for f in stack.split(";")]
        frames = [f for f in frames if not f.startswith("process ") and not f.startswith("thread ")]
        if frames:
            self_count[frames[-1]] = self_count.get(frames[-1], 0) + count
        for f in set(frames):
            incl[f] = incl.get(f, 0) + count
    if not total:
        return "no samples\n"
    out = [f"{total} samples", "", "self %  frame"]
    out += [f"{100 * c / total:6.1f}  {f}" for f, c in sorted(self_count.items(), key=lambda x: -x[1])[:limit]]
    out += ["", "incl %  frame"]
    out += [f"{100 * c / total:6.1f}  {f}" for f, c in sorted(incl.items(), key=lambda x: -x[1])[: limit * 2]]
    return "\n".join(out) + "\n"


# --- scenarios --------------------------------------------------------------------------------------------------


@dataclass
class Options:
    duration: float
    connections: list[int]
    scenarios: list[str]
    repeat: int
    database_url: str | None
    redis_url: str | None
    log_level: str
    log_format: str
    warmup: float
    threads: int
    timeout: float
    wrk: str
    server_cpu: int | None
    client_cpu: int | None
    output: Path
    profile: str | None = None
    profile_gil: bool = False


@dataclass
class Measurement:
    scenario: str
    connections: int
    round: int
    result: WrkResult
    notes: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        r = self.result
        lat = r.latency_us
        return {
            "scenario": self.scenario,
            "connections": self.connections,
            "round": self.round,
            "requests": r.requests,
            "seconds": round(r.seconds, 3),
            "rps": round(r.rps, 1),
            "latency_ms": {k: round(lat[k] / 1000, 3) for k in ("p50", "p90", "p95", "p99", "p999", "max", "mean")},
            "errors": {**r.errors, "non2xx": r.non2xx},
            "failed": r.failed,
            "server_cpu": round(r.server_cpu, 3),
            "client_cpu": round(r.client_cpu, 3),
            "rps_per_server_cpu": round(r.rps / r.server_cpu, 1) if r.server_cpu else None,
            **self.notes,
        }


def run_scenario(opts: Options, scenario: str, workdir: Path, round_no: int) -> list[Measurement]:
    # wrk is one client hammering one instance on purpose: lift the per-client rate limit (LCT_RATE_LIMIT).
    env = {"LCT_LOG_LEVEL": opts.log_level, "LCT_LOG_FORMAT": opts.log_format, "LCT_RATE_LIMIT": "0"}
    if opts.redis_url:
        env["LCT_REDIS_URL"] = opts.redis_url
    script = lua_script(scenario, workdir)
    tag = f"bench{uuid.uuid4().hex[:8]}"
    out: list[Measurement] = []
    with run_server("hello" if scenario == "hello" else "lct", workdir, opts.server_cpu, env, opts.database_url) as srv:

        def wrk(args: Sequence[str], connections: int, duration: float) -> WrkResult:
            return run_wrk(
                opts.wrk, opts.client_cpu, srv, script, args, connections, duration, opts.threads, opts.timeout
            )

        def pool_file(name: str, ids: list[str]) -> Path:
            path = workdir / f"{tag}-{name}.ids"
            path.write_text("\n".join(ids) + "\n")
            return path

        get_ids: Path | None = None
        if scenario == "get":
            get_ids = pool_file("get", create_pool(srv.port, GET_POOL, ASSIGN_LIMIT, GET_PLAYERS, f"{tag}-get"))
        rate = float(FIRST_ASSIGN_RATE)
        levels = [(0, 0)] if opts.warmup > 0 else []
        levels += [(c, i + 1) for i, c in enumerate(opts.connections)]
        for connections, level in levels:
            warmup = level == 0
            duration = opts.warmup if warmup else opts.duration
            conns = max(opts.connections) if warmup else connections
            notes: dict[str, Any] = {}
            if scenario == "hello":
                args: list[str] = []
            elif scenario == "create":
                args = [f"{tag}-{level}", "2"]
            elif scenario == "get":
                assert get_ids is not None
                args = [str(get_ids)]
            else:
                # Enough limit-10 tournaments that round-robin never fills one: twice the best rate seen so far
                # (at least FIRST_ASSIGN_RATE), since the rate can jump between runs on a shared machine.
                size = max(opts.threads, math.ceil(max(rate, FIRST_ASSIGN_RATE) * 2 * (duration + 1) / ASSIGN_LIMIT))
                ids = create_pool(srv.port, size, ASSIGN_LIMIT, 0, f"{tag}-pool{level}")
                args = [str(pool_file(f"assign{level}", ids)), f"{tag}-{level}", str(opts.threads)]
                notes["pool_tournaments"] = size
            profiler = None
            if opts.profile and not warmup:
                profiler = start_profiler(
                    opts, srv.pid, opts.output / "profiles" / f"{scenario}-c{connections}-r{round_no}"
                )
            result = wrk(args, conns, duration)
            if profiler is not None:
                notes["profile"] = finish_profiler(*profiler)
            if scenario == "assign":
                rate = result.rps if warmup else max(rate, result.rps)
            if not warmup:
                out.append(Measurement(scenario, connections, round_no, result, notes))
                print(
                    f"  {scenario:>7} c={connections:<4} {result.rps:9.1f} req/s  p50 {result.latency_us['p50'] / 1000:7.2f}"
                    f" ms  p95 {result.latency_us['p95'] / 1000:7.2f} ms  p99 {result.latency_us['p99'] / 1000:7.2f} ms"
                    f"  failed {result.failed}  server cpu {result.server_cpu:.2f}  wrk cpu {result.client_cpu:.2f}",
                    file=sys.stderr,
                    flush=True,
                )
    return out


# --- report -----------------------------------------------------------------------------------------------------


def summarise(measurements: list[Measurement]) -> list[dict[str, Any]]:
    """Median of each metric over the rounds, per (scenario, connections); ratio to hello at equal connections."""
    groups: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for m in measurements:
        groups.setdefault((m.scenario, m.connections), []).append(m.as_dict())
    rows = []
    for (scenario, connections), items in groups.items():
        med = statistics.median
        rows.append(
            {
                "scenario": scenario,
                "connections": connections,
                "runs": len(items),
                "rps": round(med(i["rps"] for i in items), 1),
                "rps_runs": [i["rps"] for i in items],
                "latency_ms": {
                    k: round(med(i["latency_ms"][k] for i in items), 3) for k in ("p50", "p90", "p95", "p99", "max")
                },
                "requests": sum(i["requests"] for i in items),
                "failed": sum(i["failed"] for i in items),
                "errors": {k: sum(i["errors"][k] for i in items) for k in items[0]["errors"]},
                "server_cpu": round(med(i["server_cpu"] for i in items), 3),
                "client_cpu": round(med(i["client_cpu"] for i in items), 3),
                "rps_per_server_cpu": round(med(i["rps_per_server_cpu"] or 0.0 for i in items), 1),
            }
        )
    hello = {r["connections"]: r for r in rows if r["scenario"] == "hello"}
    for r in rows:
        ceiling = hello.get(r["connections"])
        r["ratio_to_hello"] = round(r["rps"] / ceiling["rps"], 3) if ceiling and ceiling["rps"] else None
        # The same ratio per server CPU-second: robust when other processes steal the server's core.
        per_cpu = ceiling["rps_per_server_cpu"] if ceiling else 0
        r["cpu_ratio_to_hello"] = round(r["rps_per_server_cpu"] / per_cpu, 3) if per_cpu else None
    order = {s: i for i, s in enumerate(DEFAULT_SCENARIOS)}
    rows.sort(key=lambda r: (order.get(r["scenario"], 99), r["connections"]))
    return rows


def check_targets(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by = {(r["scenario"], r["connections"]): r for r in rows}
    checks: list[dict[str, Any]] = []

    def add(name: str, value: float | None, target: str, met: bool | None) -> None:
        checks.append({"target": name, "goal": target, "value": value, "met": met})

    for scenario, goal in THROUGHPUT_TARGETS.items():
        row = by.get((scenario, 64))
        if row:
            add(f"{scenario} req/s at 64 connections", row["rps"], f">= {goal:g}", row["rps"] >= goal)
    for scenario, goal in CEILING_TARGETS.items():
        row = by.get((scenario, 64))
        if row and row["ratio_to_hello"] is not None:
            add(f"{scenario} / hello at 64", row["ratio_to_hello"], f">= {goal:.0%}", row["ratio_to_hello"] >= goal)
    for r in rows:
        if r["scenario"] == "hello":
            continue
        if r["connections"] == 120:
            p95 = r["latency_ms"]["p95"]
            add(f"{r['scenario']} p95 at 120 connections (ms)", p95, f"<= {P95_AT_120_MS:g}", p95 <= P95_AT_120_MS)
        if r["connections"] == 8:
            p95 = r["latency_ms"]["p95"]
            add(f"{r['scenario']} p95 at 8 connections (ms)", p95, f"<= {P95_AT_8_MS:g}", p95 <= P95_AT_8_MS)
    failed = sum(r["failed"] for r in rows if r["scenario"] != "hello")
    if any(r["scenario"] != "hello" for r in rows):
        add("failed requests (all scenarios)", failed, "0", failed == 0)
    return checks


def markdown(report: dict[str, Any]) -> str:
    s = report["settings"]
    m = report["machine"]
    lines = [
        f"# REST benchmark {report['started_at']}",
        "",
        f"Machine: {m['cpu_model']}, {m['cpus']} CPUs, Python {m['python']}, {m['wrk']}. "
        f"Server pinned to CPU {s['server_cpu']}, wrk ({s['wrk_threads']} thread) to CPU {s['client_cpu']}. "
        f"Store: {s['database_url'] or 'fresh SQLite file per scenario'}; broker: {s['redis_url'] or 'in-process'}; "
        f"log level {s['log_level']} ({s['log_format']}). {s['duration']:g} s per run, {s['repeat']} round(s), "
        f"medians shown.",
        "",
        "| scenario | conns | req/s | p50 ms | p95 ms | p99 ms | max ms | failed | vs hello | server CPU | wrk CPU "
        "| req per server CPU-s | vs hello per CPU-s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in report["results"]:
        lat = r["latency_ms"]
        ratio = f"{r['ratio_to_hello']:.0%}" if r["ratio_to_hello"] is not None else "-"
        cpu_ratio = f"{r['cpu_ratio_to_hello']:.0%}" if r["cpu_ratio_to_hello"] is not None else "-"
        lines.append(
            f"| {r['scenario']} | {r['connections']} | {r['rps']:,.0f} | {lat['p50']:.2f} | {lat['p95']:.2f} | "
            f"{lat['p99']:.2f} | {lat['max']:.1f} | {r['failed']} | {ratio} | {r['server_cpu']:.0%} | "
            f"{r['client_cpu']:.0%} | {r['rps_per_server_cpu']:,.0f} | {cpu_ratio} |"
        )
    if report["targets"]:
        lines += ["", "| target | goal | value | met |", "|---|---|---:|---|"]
        for t in report["targets"]:
            met = "yes" if t["met"] else "**no**"
            lines.append(f"| {t['target']} | {t['goal']} | {t['value']} | {met} |")
    lines.append("")
    return "\n".join(lines)


# --- main -------------------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> Options:
    p = argparse.ArgumentParser(prog="python -m benchmarks.http", description=__doc__.split("\n\n")[0])
    p.add_argument("--duration", type=float, default=10.0, help="seconds per run (default 10)")
    p.add_argument("--connections", default=",".join(map(str, DEFAULT_CONNECTIONS)), help="e.g. 8,64,120")
    p.add_argument("--scenarios", default=",".join(DEFAULT_SCENARIOS), help="subset of hello,create,get,assign")
    p.add_argument("--repeat", type=int, default=1, help="rounds; the report shows medians (default 1)")
    p.add_argument("--database-url", help="store URL (default: a fresh SQLite file per scenario)")
    p.add_argument("--redis-url", help="Redis URL for the broker (default: in-process)")
    p.add_argument("--log-level", default="WARNING", help="server LCT_LOG_LEVEL (default WARNING)")
    p.add_argument("--log-format", default="json", choices=["json", "console"], help="server LCT_LOG_FORMAT")
    p.add_argument("--warmup", type=float, default=2.0, help="discarded warm-up seconds per scenario (default 2)")
    p.add_argument("--threads", type=int, default=1, help="wrk threads (default 1: one core for the client)")
    p.add_argument("--timeout", type=float, default=10.0, help="wrk per-request timeout in seconds (default 10)")
    p.add_argument("--no-pin", action="store_true", help="do not pin server and client to CPUs 0 and 1")
    p.add_argument("--profile", action="store_true", help="sample the server with py-spy during each run")
    p.add_argument("--profile-gil", action="store_true", help="with --profile: only samples holding the GIL (CPU)")
    p.add_argument("--output", type=Path, help="report directory (default benchmarks/results/<timestamp>)")
    a = p.parse_args(argv)
    scenarios = [s.strip() for s in a.scenarios.split(",") if s.strip()]
    unknown = set(scenarios) - set(DEFAULT_SCENARIOS)
    if unknown:
        p.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    connections = [int(c) for c in a.connections.split(",") if c.strip()]
    if not connections or min(connections) < 1 or not scenarios or a.duration <= 0 or a.repeat < 1:
        p.error("need at least one scenario, connection counts >= 1, a positive duration and --repeat >= 1")
    wrk = shutil.which("wrk")
    if wrk is None:
        p.error("wrk is not installed (Debian/Ubuntu: apt-get install -y wrk)")
    pin = not a.no_pin and pinning_available()
    profiler = None
    if a.profile:
        profiler = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
        if not Path(profiler).exists():
            p.error("--profile needs py-spy (pip install py-spy)")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return Options(
        duration=a.duration,
        connections=connections,
        scenarios=scenarios,
        repeat=a.repeat,
        database_url=a.database_url,
        redis_url=a.redis_url,
        log_level=a.log_level.upper(),
        log_format=a.log_format,
        warmup=max(0.0, a.warmup),
        threads=max(1, a.threads),
        timeout=a.timeout,
        wrk=wrk,
        server_cpu=0 if pin else None,
        client_cpu=1 if pin else None,
        output=a.output or HERE / "results" / stamp,
        profile=profiler,
        profile_gil=a.profile_gil,
    )


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds the context managers, which stop the server and wrk


def main(argv: Sequence[str] | None = None) -> int:
    opts = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    started = dt.datetime.now(dt.UTC)
    measurements: list[Measurement] = []
    with tempfile.TemporaryDirectory(prefix="lct-bench-") as tmp:
        workdir = Path(tmp)
        for round_no in range(1, opts.repeat + 1):
            print(f"round {round_no}/{opts.repeat}", file=sys.stderr, flush=True)
            for scenario in opts.scenarios:
                measurements += run_scenario(opts, scenario, workdir, round_no)
    rows = summarise(measurements)
    report = {
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpu_model": cpu_model(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "wrk": wrk_version(opts.wrk),
        },
        "settings": {
            "duration": opts.duration,
            "warmup": opts.warmup,
            "connections": opts.connections,
            "scenarios": opts.scenarios,
            "repeat": opts.repeat,
            "database_url": opts.database_url,
            "redis_url": opts.redis_url,
            "log_level": opts.log_level,
            "log_format": opts.log_format,
            "server_cpu": opts.server_cpu,
            "client_cpu": opts.client_cpu,
            "wrk_threads": opts.threads,
            "wrk_timeout": opts.timeout,
        },
        "results": rows,
        "targets": check_targets(rows),
        "runs": [m.as_dict() for m in measurements],
    }
    opts.output.mkdir(parents=True, exist_ok=True)
    (opts.output / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    text = markdown(report)
    (opts.output / "report.md").write_text(text)
    print(text)
    print(f"report: {opts.output}/report.json, report.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
