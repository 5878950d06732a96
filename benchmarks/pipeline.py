"""The request path's cost in instructions, which machine load does not change: ``python -m benchmarks.pipeline``.

Drives the ASGI application in-process (no sockets, no server) with a minimal ASGI caller: N requests of one
scenario (``create``, ``get``, ``assign``) on a fresh SQLite file. Run it under callgrind twice with different N; the
difference of the two instruction totals divided by the difference of N is the instructions per request, with
start-up and imports cancelled out. ``--callgrind`` does exactly that (valgrind must be installed) and prints one
number per scenario; ``--python`` measures another checkout through its own virtualenv's interpreter (the tree
whose ``lct`` that interpreter imports), so before and after can be compared on a busy machine.

    python -m benchmarks.pipeline --callgrind                                  # this tree
    python -m benchmarks.pipeline --callgrind --python /tmp/old/.venv/bin/python  # an older checkout
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

SCENARIOS = ("create", "get", "assign")


async def call(app: Any, method: str, path: str, query: str = "", body: bytes = b"") -> tuple[int, bytes]:
    """One request through the ASGI app; returns (status, body)."""
    headers = [
        (b"host", b"bench"),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
    }
    sent: list[dict[str, Any]] = []
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


@contextlib.asynccontextmanager
async def running(database: Path) -> AsyncIterator[Any]:
    """This tree's app, or an older tree's FastAPI app (its lifespan lived on ``app.router``)."""
    from lct.config import Settings
    from lct.entrypoints.http import create_app

    app = create_app(Settings(database_url=f"sqlite:///{database}", log_level="WARNING", rate_limit=0))
    lifespan = app.lifespan_context() if hasattr(app, "lifespan_context") else app.router.lifespan_context(app)
    async with lifespan:
        yield app


def _create_body(name: str, limit: int) -> bytes:
    return json.dumps({"name": name, "playerLimit": limit}).encode()


async def scenario(app: Any, name: str, n: int) -> None:
    tid = json.loads((await call(app, "POST", "/api/Tournament/create", body=_create_body("pool", 10)))[1])
    if name == "get":
        for player in ("Jan", "Ola"):
            body = json.dumps({"name": player, "surname": "N", "tournamentId": tid}).encode()
            await call(app, "POST", "/api/Tournament/assignPlayer", body=body)
    pools = [tid]
    for i in range(n):
        if name == "create":
            status, _ = await call(app, "POST", "/api/Tournament/create", body=_create_body(f"t{i}-{uuid.uuid4()}", 2))
        elif name == "get":
            status, _ = await call(app, "GET", "/api/Tournament", query=f"Id={tid}")
        else:
            if i and i % 9 == 0:
                pools.append(
                    json.loads((await call(app, "POST", "/api/Tournament/create", body=_create_body(f"p{i}", 10)))[1])
                )
            body = json.dumps({"name": f"p{i}", "surname": "N", "tournamentId": pools[-1]}).encode()
            status, _ = await call(app, "POST", "/api/Tournament/assignPlayer", body=body)
        assert status == 200, status


async def main_async(name: str, n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with running(Path(tmp) / "bench.db") as app:
            await scenario(app, name, n)


def callgrind(python: str, name: str, n: int) -> int:
    """Total instructions of one run under callgrind."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        repo = str(Path(__file__).resolve().parents[1])  # for this benchmarks package; lct comes from the interpreter
        env = {**os.environ, "PYTHONHASHSEED": "0", "LCT_LOG_LEVEL": "WARNING", "PYTHONPATH": repo}
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", python, "-m", "benchmarks.pipeline"]
        command += ["--scenario", name, "--requests", str(n)]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600, check=False)
        match = re.search(r"Collected : (\d+)", done.stderr)
        if done.returncode != 0 or match is None:
            raise RuntimeError(done.stderr[-2000:])
        return int(match.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", choices=SCENARIOS)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--callgrind", action="store_true", help="instructions per request for every scenario")
    parser.add_argument("--python", default=sys.executable, help="interpreter of the tree to measure")
    opts = parser.parse_args()
    if not opts.callgrind:
        asyncio.run(main_async(opts.scenario or "get", opts.requests))
        return
    small, large = 200, 200 + opts.requests
    for name in SCENARIOS:
        per_request = (callgrind(opts.python, name, large) - callgrind(opts.python, name, small)) / opts.requests
        print(f"{name}: {per_request:,.0f} instructions per request", flush=True)


if __name__ == "__main__":
    main()
