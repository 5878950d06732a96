"""ECS log documents: fields, nesting of dotted extras, exceptions, request id, completion-line levels."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Iterator
from typing import Any

import orjson
import pytest

from lct import logs
from lct.config import Settings
from lct.context import request_id_var

_MISSING = object()


def field(doc: dict[str, Any], dotted: str, default: Any = _MISSING) -> Any:
    """An ECS field whether it is written nested (``{"log": {"logger": ..}}``) or dotted (``"log.level"``)."""
    if dotted in doc:
        return doc[dotted]
    node: Any = doc
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            if default is _MISSING:
                raise KeyError(dotted)
            return default
        node = node[part]
    return node


class Lines:
    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    def json(self) -> list[dict[str, Any]]:
        return [orjson.loads(line) for line in self.stream.getvalue().splitlines()]

    def text(self) -> list[str]:
        return self.stream.getvalue().splitlines()


@pytest.fixture
def captured() -> Iterator[tuple[Lines, logging.Logger]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.EcsFormatter("Testing"))
    logger = logging.getLogger("lct.test.unit")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logs.request_log.addHandler(handler)
    logs.request_log.setLevel(logging.DEBUG)
    try:
        yield Lines(stream), logger
    finally:
        logger.removeHandler(handler)
        logs.request_log.removeHandler(handler)


def test_every_line_is_one_ecs_object_with_the_base_fields(captured: tuple[Lines, logging.Logger]) -> None:
    lines, log = captured
    log.info("player %s joined %s", "Ann", "Cup")
    (doc,) = lines.json()
    assert field(doc, "message") == "player Ann joined Cup"
    assert field(doc, "log.level") == "info"
    assert field(doc, "ecs.version")
    assert field(doc, "log.logger") == "lct.test.unit"
    assert field(doc, "service.name") == "lct"
    assert field(doc, "service.environment") == "Testing"
    assert isinstance(field(doc, "host.name"), str)
    assert isinstance(field(doc, "process.pid"), int)
    assert doc["@timestamp"].endswith("Z")
    assert len(doc["@timestamp"]) == len("2024-03-13T10:00:00.123Z")


def test_event_action_is_the_template_so_identical_events_group(captured: tuple[Lines, logging.Logger]) -> None:
    lines, log = captured
    log.warning("Clicked %s does not exist.", "Arsenal")
    log.warning("Clicked %s does not exist.", "Chelsea")
    first, second = lines.json()
    assert first["message"] != second["message"]
    assert field(first, "event.action") == field(second, "event.action") == "Clicked %s does not exist."
    assert first["messageTemplate"] == second["messageTemplate"]


def test_dotted_extra_keys_become_nested_ecs_fields(captured: tuple[Lines, logging.Logger]) -> None:
    lines, log = captured
    log.error("store unavailable", extra={"event.action": "store-unavailable", "error.message": "timeout", "x": 1})
    (doc,) = lines.json()
    assert field(doc, "event.action") == "store-unavailable"
    assert field(doc, "error.message") == "timeout"
    assert doc["x"] == 1
    assert field(doc, "service.name") == "lct"


def test_exceptions_carry_type_message_and_stack_trace(captured: tuple[Lines, logging.Logger]) -> None:
    lines, log = captured
    try:
        raise ValueError("bad team")
    except ValueError:
        log.exception("handler failed")
    (doc,) = lines.json()
    assert field(doc, "log.level") == "error"
    assert field(doc, "error.type") == "builtins.ValueError"
    assert field(doc, "error.message") == "bad team"
    assert "Traceback" in field(doc, "error.stack_trace")
    assert "in test_exceptions_carry_type_message_and_stack_trace" in field(doc, "error.stack_trace")
    assert "ValueError: bad team" in field(doc, "error.stack_trace")


def test_lines_logged_during_a_request_carry_its_id(captured: tuple[Lines, logging.Logger]) -> None:
    lines, log = captured
    token = request_id_var.set("req-42")
    try:
        log.info("inside")
    finally:
        request_id_var.reset(token)
    log.info("outside")
    inside, outside = lines.json()
    assert field(inside, "http.request.id") == "req-42"
    assert "http" not in outside


@pytest.mark.parametrize(
    ("status", "level"),
    [
        (200, "info"),
        (304, "info"),
        (400, "warning"),
        (404, "warning"),
        (409, "warning"),
        (500, "error"),
        (503, "error"),
    ],
)
def test_completion_level_follows_the_status(captured: tuple[Lines, logging.Logger], status: int, level: str) -> None:
    lines, _ = captured
    logs.request_completed("POST", "/api/Tournament/create", "/api/Tournament/create", status, 1_500_000, "r1", "Dev")
    (doc,) = lines.json()
    assert field(doc, "log.level") == level
    assert doc["StatusCode"] == status


def test_completion_line_has_ecs_and_original_fields(captured: tuple[Lines, logging.Logger]) -> None:
    lines, _ = captured
    logs.request_completed("GET", "/api/tournament", "/api/Tournament", 200, 118_195_100, "rid", "Development")
    (doc,) = lines.json()
    assert doc["message"] == "HTTP GET /api/tournament responded 200 in 118.1951 ms"
    assert doc["messageTemplate"] == "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms"
    assert field(doc, "event.action") == logs.REQUEST_ACTION
    assert field(doc, "event.duration") == 118_195_100
    assert field(doc, "http.request.id") == doc["RequestId"] == "rid"
    assert field(doc, "http.request.method") == doc["RequestMethod"] == "GET"
    assert field(doc, "http.response.status_code") == doc["StatusCode"] == 200
    assert field(doc, "http.route") == "/api/Tournament"
    assert field(doc, "url.path") == doc["RequestPath"] == "/api/tournament"
    assert doc["Elapsed"] == pytest.approx(118.1951)
    assert doc["MachineName"] == field(doc, "host.name")
    assert doc["Environment"] == "Development"


def test_console_format_is_readable_text() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.ConsoleFormatter())
    log = logging.getLogger("lct.test.console")
    log.addHandler(handler)
    token = request_id_var.set("req-7")
    try:
        log.warning("slow %s", "store")
    finally:
        request_id_var.reset(token)
        log.removeHandler(handler)
    line = stream.getvalue().strip()
    assert "WARNING" in line
    assert "lct.test.console: slow store [req-7]" in line
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(line)


def test_configure_logging_routes_uvicorn_through_the_one_handler(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    monkeypatch.setattr("sys.stdout", stream)
    root = logging.getLogger()
    before_handlers, before_level = list(root.handlers), root.level
    try:
        logs.configure_logging(Settings(log_format="json", environment="Staging"))
        logging.getLogger("uvicorn.error").info("Started server process [%d]", 1)
    finally:
        for handler in list(root.handlers):
            if handler not in before_handlers:
                root.removeHandler(handler)
        for handler in before_handlers:
            if handler not in root.handlers:
                root.addHandler(handler)
        root.setLevel(before_level)
    (doc,) = [orjson.loads(line) for line in stream.getvalue().splitlines()]
    assert field(doc, "log.logger") == "uvicorn.error"
    assert field(doc, "service.environment") == "Staging"
    assert field(doc, "event.action") == "Started server process [%d]"


async def test_inside_the_loop_info_lines_are_flushed_soon_and_warnings_at_once() -> None:
    class Recording(io.StringIO):
        flushes = 0

        def flush(self) -> None:
            self.flushes += 1

    stream = Recording()
    handler = logs.LineHandler(stream)
    info = logging.LogRecord("lct.test", logging.INFO, __file__, 1, "info", None, None)
    for _ in range(3):
        handler.emit(info)
    assert stream.getvalue().count("info") == 3
    assert stream.flushes == 0  # three lines, one flush scheduled
    handler.emit(logging.LogRecord("lct.test", logging.WARNING, __file__, 1, "warn", None, None))
    assert stream.flushes == 1
    for _ in range(200):
        if stream.flushes == 2:
            break
        await asyncio.sleep(logs.FLUSH_DELAY / 10)  # polling interval
    assert stream.flushes == 2


def test_outside_a_loop_every_line_is_flushed() -> None:
    stream = io.StringIO()
    handler = logs.LineHandler(stream)
    handler.emit(logging.LogRecord("lct.test", logging.INFO, __file__, 1, "info", None, None))
    assert stream.getvalue() == "info\n"
