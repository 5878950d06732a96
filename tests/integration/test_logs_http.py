"""Request logs of a real ``lct serve`` process (stdout): one ECS completion line per request, levels, formats."""

from __future__ import annotations

import io
import logging
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from starlette.requests import Request
from starlette.responses import Response

from lct.config import Settings
from lct.entrypoints.http import App, create_app
from lct.entrypoints.routing import Route
from lct.logs import REQUEST_ACTION, REQUEST_TEMPLATE, EcsFormatter
from tests.support import Server, lct_server
from tests.unit.test_logs import field

Doc = dict[str, Any]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with lct_server(tmp_path_factory.mktemp("logs"), {"LCT_ENVIRONMENT": "Staging"}) as running:
        yield running


def json_lines(server: Server) -> list[Doc]:
    complete = server.log().rpartition("\n")[0]  # the server may be half-way through writing the last line
    return [orjson.loads(line) for line in complete.splitlines() if line.strip()]


def wait_for(server: Server, predicate: Callable[[Doc], bool], timeout: float = 10.0) -> list[Doc]:
    """Poll the server's stdout until at least one line matches; all matching lines."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [doc for doc in json_lines(server) if predicate(doc)]
        if found:
            return found
        time.sleep(0.02)  # polling interval, not a wait for something to happen
    raise AssertionError(f"no matching log line within {timeout}s:\n{server.log()[-3000:]}")


def completion_of(server: Server, request_id: str) -> Doc:
    lines = wait_for(server, lambda d: d.get("RequestId") == request_id)
    assert len(lines) == 1, lines
    return lines[0]


def test_a_request_produces_one_completion_line_with_every_field(server: Server) -> None:
    request_id = f"trace-{uuid.uuid4()}"
    response = httpx.get(server.url + "/liveness", headers={"X-Request-ID": request_id})
    assert response.headers["x-request-id"] == request_id

    doc = completion_of(server, request_id)
    assert isinstance(doc["@timestamp"], str)
    assert field(doc, "log.level") == "info"
    assert doc["message"].startswith("HTTP GET /liveness responded 200 in ")
    assert doc["messageTemplate"] == REQUEST_TEMPLATE
    assert field(doc, "event.action") == REQUEST_ACTION
    assert isinstance(field(doc, "ecs.version"), str)
    assert field(doc, "log.logger") == "lct.http.request"
    assert field(doc, "service.name") == "lct"
    assert field(doc, "service.environment") == doc["Environment"] == "Staging"
    assert field(doc, "host.name") == doc["MachineName"]
    assert isinstance(doc["MachineName"], str)
    assert doc["MachineName"]
    assert isinstance(field(doc, "process.pid"), int)
    assert field(doc, "http.request.id") == doc["RequestId"] == request_id
    assert field(doc, "url.path") == doc["RequestPath"] == "/liveness"
    assert field(doc, "http.route") == "/liveness"
    assert field(doc, "http.request.method") == doc["RequestMethod"] == "GET"
    assert field(doc, "http.response.status_code") == doc["StatusCode"] == 200
    duration = field(doc, "event.duration")
    assert isinstance(duration, int)
    assert duration > 0
    assert isinstance(doc["Elapsed"], float)
    assert doc["Elapsed"] == pytest.approx(duration / 1e6, abs=1e-4)


def test_without_a_request_id_header_the_generated_id_is_logged(server: Server) -> None:
    response = httpx.get(server.url + "/liveness")
    request_id = response.headers["x-request-id"]
    assert uuid.UUID(request_id)
    assert completion_of(server, request_id)["StatusCode"] == 200


def test_route_is_the_template_and_path_is_what_the_client_sent(server: Server) -> None:
    request_id = f"case-{uuid.uuid4()}"
    body = {"name": f"cup-{uuid.uuid4().hex[:10]}", "playerLimit": 2}
    response = httpx.post(server.url + "/API/TOURNAMENT/CREATE", json=body, headers={"X-Request-ID": request_id})
    assert response.status_code == 200
    doc = completion_of(server, request_id)
    assert field(doc, "http.route") == "/api/Tournament/create"
    assert doc["RequestPath"] == "/API/TOURNAMENT/CREATE"
    assert doc["RequestMethod"] == "POST"


@pytest.mark.parametrize("case", ["invalid-input", "rule-violation", "unknown-path"])
def test_client_errors_log_at_warning(server: Server, case: str) -> None:
    request_id = f"{case}-{uuid.uuid4()}"
    headers = {"X-Request-ID": request_id}
    if case == "invalid-input":
        response = httpx.post(
            server.url + "/api/Tournament/create", json={"name": " ", "playerLimit": 2}, headers=headers
        )
        expected = 400
    elif case == "rule-violation":
        body = {"name": f"dup-{uuid.uuid4().hex[:10]}", "playerLimit": 2}
        assert httpx.post(server.url + "/api/Tournament/create", json=body).status_code == 200
        response = httpx.post(server.url + "/api/Tournament/create", json=body, headers=headers)
        expected = 409
    else:
        response = httpx.get(server.url + f"/no/such/{uuid.uuid4()}", headers=headers)
        expected = 404
    assert response.status_code == expected
    doc = completion_of(server, request_id)
    assert field(doc, "log.level") == "warning"
    assert doc["StatusCode"] == expected
    if case == "unknown-path":
        assert field(doc, "http.route") == "unmatched"


def test_every_line_on_stdout_is_ecs_json_including_uvicorns(server: Server) -> None:
    httpx.get(server.url + "/liveness")
    docs = json_lines(server)  # raises if any line is not JSON
    loggers = {field(d, "log.logger") for d in docs}
    assert any(name.startswith("uvicorn") for name in loggers), loggers
    for doc in docs:
        assert field(doc, "service.name") == "lct"
        assert field(doc, "log.level") in {"debug", "info", "warning", "error", "critical"}
        assert isinstance(field(doc, "event.action"), str)


def test_console_format_gives_readable_lines(tmp_path: Path) -> None:
    with lct_server(tmp_path, {"LCT_LOG_FORMAT": "console"}) as console:
        request_id = f"console-{uuid.uuid4()}"
        httpx.get(console.url + "/liveness", headers={"X-Request-ID": request_id})
        deadline = time.monotonic() + 10
        while request_id not in console.log() and time.monotonic() < deadline:
            time.sleep(0.02)  # polling interval
        (line,) = [line for line in console.log().splitlines() if request_id in line]
    assert "INFO" in line
    assert "HTTP GET /liveness responded 200 in" in line
    assert not line.lstrip().startswith("{")


# --- in-process: failures that a healthy server cannot be made to produce from outside ------------------------


@pytest.fixture
def stdout_lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(EcsFormatter("Testing"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


@pytest.fixture
async def failing_app() -> AsyncIterator[App]:
    log = logging.getLogger("lct.test.failing")

    async def boom(request: Request) -> Response:
        log.info("about to fail for %s", "a test")
        raise RuntimeError("kaboom")

    app = create_app(Settings(database_url="memory://"), extra_routes=[Route("GET", "/test/boom", boom)])
    async with app.lifespan_context():
        yield app


async def test_a_server_error_logs_at_error_and_every_line_carries_the_request_id(
    failing_app: App, stdout_lines: io.StringIO
) -> None:
    transport = httpx.ASGITransport(app=failing_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://lct.test") as client:
        response = await client.get("/test/boom", headers={"X-Request-ID": "boom-1"})
    assert response.status_code == 500
    assert response.json()["RequestId"] == "boom-1"
    docs = [orjson.loads(line) for line in stdout_lines.getvalue().splitlines()]
    during = [d for d in docs if field(d, "http.request.id", None) == "boom-1"]
    by_template = {d["messageTemplate"]: d for d in during}
    assert by_template["about to fail for %s"]["message"] == "about to fail for a test"
    unhandled = by_template["unhandled error"]
    assert field(unhandled, "log.level") == "error"
    assert field(unhandled, "error.message") == "kaboom"
    assert "RuntimeError" in field(unhandled, "error.stack_trace")
    completion = by_template[REQUEST_TEMPLATE]
    assert field(completion, "log.level") == "error"
    assert completion["StatusCode"] == 500
    assert field(completion, "http.route") == "/test/boom"
