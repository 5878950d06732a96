"""Helpers shared by the integration and end-to-end tests: free ports and real `lct serve` processes."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_live(url: str, process: subprocess.Popen[bytes] | None = None, timeout: float = 30.0) -> None:
    """Poll ``url`` until it answers 200; fail fast if the process died."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before becoming live")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError as e:
            last = e
        time.sleep(0.05)  # polling interval while waiting for readiness, not a stand-in for it
    raise TimeoutError(f"{url} not live after {timeout}s: {last}")


@dataclass
class Server:
    url: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://")


@contextlib.contextmanager
def lct_server(
    workdir: Path, env: Mapping[str, str] | None = None, *, ready_path: str = "/liveness", host: str = "127.0.0.1"
) -> Iterator[Server]:
    """Run ``lct serve`` as a real process on a free port until the block exits (SIGTERM, then kill). ``host`` is
    the listen address (tests still talk to it through 127.0.0.1)."""
    port = free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    log_path = workdir / f"server-{port}.log"
    full_env = {
        **os.environ,
        "LCT_DATABASE_URL": f"sqlite:///{workdir / 'lct.db'}",
        "LCT_LOG_FORMAT": "json",
        "LCT_SHUTDOWN_GRACE_SECONDS": "3",
        **(env or {}),
        "LCT_HOST": host,
        "LCT_PORT": str(port),
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "lct.entrypoints.cli", "serve"], env=full_env, stdout=log, stderr=subprocess.STDOUT
        )
        server = Server(f"http://127.0.0.1:{port}", port, process, log_path)
        try:
            wait_until_live(server.url + full_env.get("LCT_ROOT_PATH", "") + ready_path, process)
            yield server
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
