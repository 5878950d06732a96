"""The repository's nginx config (``deploy/nginx/lct.conf``) in front of two real ``lct serve`` instances.

Real nginx (the Debian package, ``apt-get install nginx``), run unprivileged-style from a temporary prefix; the
config is rendered with the two substitutions its header documents (upstream servers, listen address). The
instances share one SQLite file and one Redis (hub messages must cross instances: a client's WebSocket and the
REST call that notifies it may land on different instances).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import RedisServer
from tests.integration.hub_client import Api, HubClient
from tests.support import Server, free_port, lct_server

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "deploy" / "nginx" / "lct.conf"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def render(config: str, upstreams: list[str], listen: str) -> str:
    """The two documented substitutions: upstream servers between the markers, and the ``# LISTEN`` line."""
    out: list[str] = []
    inside = False
    markers = listens = 0
    for line in config.splitlines(keepends=True):
        text = line.strip()
        if text == "# BEGIN lct_app servers":
            inside, markers = True, markers + 1
            out.append(line)
            out.extend(f"    server {address};\n" for address in upstreams)
        elif text == "# END lct_app servers":
            inside = False
            out.append(line)
        elif inside:
            continue
        elif re.fullmatch(r"listen\s+[^;]+;\s*#\s*LISTEN", text):
            listens += 1
            out.append(f"    listen {listen};  # LISTEN\n")
        else:
            out.append(line)
    assert markers == 1, "the '# BEGIN lct_app servers' marker is not in deploy/nginx/lct.conf"
    assert listens == 1, "the '# LISTEN' line is not in deploy/nginx/lct.conf"
    return "".join(out)


def main_config(prefix: Path) -> str:
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must reach the private temporary prefix
    temp = " ".join(
        f"{kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'} info;\n"
        f"events {{ worker_connections 1024; }}\n"
        f"http {{\n    access_log {prefix / 'access.log'};\n    {temp}\n    include {prefix / 'lct.conf'};\n}}\n"
    )


@dataclass
class Proxy:
    url: str
    process: subprocess.Popen[bytes]
    prefix: Path

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://")


@contextlib.contextmanager
def nginx(prefix: Path, upstreams: list[str]) -> Iterator[Proxy]:
    if NGINX is None:
        pytest.fail("nginx is not installed: scripts/test installs it (apt-get install -y nginx)", pytrace=False)
    prefix.mkdir(parents=True, exist_ok=True)
    port = free_port()
    (prefix / "lct.conf").write_text(render(CONFIG.read_text(), upstreams, f"127.0.0.1:{port}"))
    (prefix / "nginx.conf").write_text(main_config(prefix))
    command = [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    with (prefix / "stdout.log").open("wb") as out:
        process = subprocess.Popen([*command, "-g", "daemon off;"], stdout=out, stderr=subprocess.STDOUT)
        proxy = Proxy(f"http://127.0.0.1:{port}", process, prefix)
        try:
            wait_for(proxy.url + "/nginx-health", process)
            yield proxy
        finally:
            process.send_signal(signal.SIGQUIT)  # graceful: finish open connections, then exit
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(url: str, process: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited with {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1).status_code == 200:
                return
        time.sleep(0.05)  # polling interval while nginx starts
    raise TimeoutError(f"{url} not answering after {timeout}s")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Proxy, Server, Server]]:
    workdir = tmp_path_factory.mktemp("nginx-stack")
    redis = RedisServer(workdir)
    redis.start()
    env = {"LCT_REDIS_URL": redis.url}
    try:
        with (
            lct_server(workdir, env) as first,  # same workdir: both use workdir/lct.db
            lct_server(workdir, env) as second,
            nginx(workdir / "nginx", [f"127.0.0.1:{first.port}", f"127.0.0.1:{second.port}"]) as proxy,
        ):
            yield proxy, first, second
    finally:
        redis.stop()


@pytest.fixture
async def api(stack: tuple[Proxy, Server, Server]) -> AsyncIterator[Api]:
    client = Api(stack[0].url)
    yield client
    await client.aclose()


def test_rest_goes_through_the_proxy_to_both_instances(stack: tuple[Proxy, Server, Server]) -> None:
    proxy, first, second = stack
    with httpx.Client(base_url=proxy.url, timeout=10) as http:
        created = http.post("/api/Tournament/create", json={"name": f"cup-{uuid.uuid4().hex[:10]}", "playerLimit": 4})
        assert created.status_code == 200, created.text
        tournament_id = created.json()
        ids = []
        for _ in range(6):
            request_id = f"via-nginx-{uuid.uuid4()}"
            response = http.get("/api/Tournament", params={"id": tournament_id}, headers={"X-Request-ID": request_id})
            assert response.status_code == 200
            assert response.json()["id"] == tournament_id
            assert response.headers["x-request-id"] == request_id  # passed through both hops
            ids.append(request_id)
        generated = http.get("/liveness").headers["x-request-id"]
        assert re.fullmatch(r"[0-9a-f]{32}", generated)  # nginx's $request_id, adopted by the app
    served_by = {server.port: sum(rid in server.log() for rid in ids) for server in (first, second)}
    assert sum(served_by.values()) == len(ids)
    assert all(count > 0 for count in served_by.values()), served_by  # round robin reached both instances


async def test_the_hub_works_through_the_proxy(stack: tuple[Proxy, Server, Server], api: Api) -> None:
    proxy = stack[0]
    async with httpx.AsyncClient(base_url=proxy.url) as http:
        negotiated = await http.post("/hubs/actions/negotiate?negotiateVersion=1")
        assert negotiated.status_code == 200
    tournament_id = await api.create(f"cup-{uuid.uuid4().hex[:10]}", 3)
    async with (
        HubClient.connect(proxy.ws_url, tournament_id) as one,  # the handshake: {"protocol":"json","version":1}
        HubClient.connect(proxy.ws_url, tournament_id) as two,  # round robin: most likely the other instance
    ):
        await api.assign(tournament_id, "Jan", "Nowak")
        for client in (one, two):
            payload = await client.next_payload()
            assert payload["type"] == "PlayerAssigned"
            assert (payload["tournamentId"], payload["name"], payload["surname"]) == (tournament_id, "Jan", "Nowak")


async def test_a_token_in_the_hub_url_never_reaches_the_proxys_access_log(
    stack: tuple[Proxy, Server, Server], api: Api
) -> None:
    proxy = stack[0]
    tournament_id = await api.create(f"cup-{uuid.uuid4().hex[:10]}", 2)
    secret = f"secret-{uuid.uuid4().hex}"
    async with HubClient.connect(proxy.ws_url, tournament_id, query=f"access_token={secret}"):
        pass
    marker = f"after-{uuid.uuid4()}"
    async with httpx.AsyncClient() as http:
        assert (await http.get(proxy.url + "/liveness", headers={"X-Request-ID": marker})).status_code == 200
    text = await asyncio.to_thread(access_log_with, proxy.prefix / "stdout.log", marker)
    assert "access_token=[REDACTED]" in text and secret not in text


def access_log_with(log: Path, marker: str, timeout: float = 10.0) -> str:
    """The access log once it holds ``marker`` (nginx writes a line when its request ends)."""
    deadline = time.monotonic() + timeout
    while marker not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)  # polling the file nginx appends to
    return log.read_text()
