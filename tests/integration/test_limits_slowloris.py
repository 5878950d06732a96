"""Slowloris under the usual open-files soft limit of 1,024: ``lct serve`` raises its soft limit to the hard limit
at start-up, so 1,100 connections that never finish their request heads do not lock legitimate clients out.

The head timeout (which closes such connections after ``LCT_HTTP_HEADER_TIMEOUT_SECONDS``) is set far beyond the
test here, so what this test proves is the raised limit alone; test_limits_http.py covers the timeout."""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import free_port, wait_until_live

SOFT_LIMIT = 1024
STALLED = 1100
LEGITIMATE = 100


def own_limit(needed: int) -> None:
    """This test process holds the stalled sockets: give it enough descriptors first."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < needed:
        pytest.fail(f"the open-files hard limit ({hard}) is below the {needed} this test needs")
    if soft != resource.RLIM_INFINITY and soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


@contextlib.contextmanager
def server_with_soft_limit(workdir: Path, soft: int) -> Iterator[tuple[str, subprocess.Popen[bytes], Path]]:
    port = free_port()
    log_path = workdir / "server.log"
    env = {
        **os.environ,
        "LCT_DATABASE_URL": f"sqlite:///{workdir / 'lct.db'}",
        "LCT_LOG_FORMAT": "console",
        "LCT_HOST": "127.0.0.1",
        "LCT_PORT": str(port),
        "LCT_HTTP_HEADER_TIMEOUT_SECONDS": "300",
        "LCT_SHUTDOWN_GRACE_SECONDS": "2",
    }
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))

    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "lct.entrypoints.cli", "serve"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=limit,  # the child only calls setrlimit before exec
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_live(url + "/liveness", process)
            yield url, process, log_path
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def open_descriptors(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def stall(port: int, count: int) -> list[socket.socket]:
    """Connections that send half a request head and then nothing."""
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(b"GET /liveness HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        sockets.append(sock)
    return sockets


def legitimate_requests(url: str, count: int) -> int:
    succeeded = 0
    fresh = httpx.Limits(max_keepalive_connections=0)  # a new connection each time, as new visitors come
    with httpx.Client(timeout=5, limits=fresh) as client:
        for _ in range(count):
            with contextlib.suppress(httpx.HTTPError):
                succeeded += client.get(url + "/liveness").status_code == 200
    return succeeded


@pytest.mark.timeout(180)
def test_legitimate_requests_succeed_while_1100_connections_never_finish_their_heads(tmp_path: Path) -> None:
    own_limit(STALLED + 512)
    with server_with_soft_limit(tmp_path, SOFT_LIMIT) as (url, process, log_path):
        port = int(url.rsplit(":", 1)[1])
        sockets = stall(port, STALLED)
        try:
            deadline = time.monotonic() + 30
            while open_descriptors(process.pid) < STALLED and time.monotonic() < deadline:
                time.sleep(0.05)  # polling until the server has accepted the stalled connections (bounded)
            held = open_descriptors(process.pid)
            succeeded = legitimate_requests(url, LEGITIMATE)
        finally:
            for sock in sockets:
                sock.close()
        log = log_path.read_text(errors="replace")
    assert succeeded >= 0.99 * LEGITIMATE, f"{succeeded} of {LEGITIMATE} legitimate requests succeeded"
    assert held >= STALLED > SOFT_LIMIT, f"the server holds only {held} descriptors"
    assert f"(was {SOFT_LIMIT})" in log, log[-2000:]
