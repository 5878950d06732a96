"""Structured logs: one Elastic Common Schema (ECS) JSON object per line on stdout, or readable console lines.

Every document carries ``@timestamp``, ``log.level``, ``message``, ``ecs.version``, ``log.logger``, ``service.*``,
``host.name``, ``process.pid``, a stable ``event.action`` and ``messageTemplate`` (the format string before
``%`` arguments, so identical events group whatever their values), ``http.request.id`` while a request is being
handled, and ``error.*`` with the stack trace for exceptions. Keys passed in ``extra`` may be dotted ECS names
(``extra={"event.action": "store-unavailable"}``); they are nested like every other ECS field.

Each HTTP request ends with one completion document (:func:`request_completed`) that also carries the original
service's flat Serilog fields (``RequestId``, ``RequestPath``, ``RequestMethod``, ``StatusCode``, ``Elapsed``,
``MachineName``, ``Environment``) so dashboards built on those keep working.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import socket
import sys
import time
import traceback
from typing import Any

import orjson

from lct import __version__
from lct.config import Settings
from lct.context import request_id_var

ECS_VERSION = "8.11.0"
REQUEST_TEMPLATE = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0000} ms"
REQUEST_ACTION = "http-request-completed"
FLUSH_DELAY = 0.05

request_log = logging.getLogger("lct.http.request")
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "taskName",
    "color_message",  # uvicorn's ANSI-coloured duplicate of the message
}
_PLAIN_SIZE = len(logging.LogRecord("", 0, "", 0, "", None, None).__dict__)
_LEVELS = {
    logging.DEBUG: "debug",
    logging.INFO: "info",
    logging.WARNING: "warning",
    logging.ERROR: "error",
    logging.CRITICAL: "critical",
}


class _Clock:
    """``@timestamp`` text for a record time; the second part is cached (one strftime per second, not per line)."""

    def __init__(self) -> None:
        self._second = -1
        self._prefix = ""

    def iso(self, created: float) -> str:
        second = int(created)
        if second != self._second:
            self._prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
            self._second = second
        return f"{self._prefix}.{int((created - second) * 1000):03d}Z"


class EcsFormatter(logging.Formatter):
    """Formats a record as one ECS JSON line; :meth:`document` gives the dict (cached on the record)."""

    def __init__(self, environment: str = "Development", service: str = "lct") -> None:
        super().__init__()
        self.environment = environment
        self.service = {"name": service, "version": __version__, "environment": environment}

    def format(self, record: logging.LogRecord) -> str:
        return orjson.dumps(self.document(record), default=str).decode()

    def document(self, record: logging.LogRecord) -> dict[str, Any]:
        cached: dict[str, Any] | None = getattr(record, "_ecs_document", None)
        if cached is not None:
            return cached
        template = record.msg if isinstance(record.msg, str) else type(record.msg).__name__
        doc = base_document(
            record.created,
            record.levelno,
            redact(record.getMessage()),
            template,
            record.name,
            self.service,
            {"action": template},
        )
        request_id = request_id_var.get()
        if request_id:
            doc["http"] = {"request": {"id": request_id}}
        if len(record.__dict__) > _PLAIN_SIZE:  # only then can there be ``extra`` keys
            for key in record.__dict__.keys() - _STANDARD:
                if not key.startswith("_"):
                    _put(doc, key, record.__dict__[key])
        if record.exc_info and record.exc_info[0] is not None:
            kind, error, tb = record.exc_info
            _merge(
                doc,
                {
                    "error": {
                        "type": f"{kind.__module__}.{kind.__qualname__}",
                        "message": redact(str(error)),
                        "stack_trace": redact("".join(traceback.format_exception(kind, error, tb))),
                    }
                },
            )
        elif record.stack_info:
            _put(doc, "error.stack_trace", record.stack_info)
        record.__dict__["_ecs_document"] = doc
        return doc


class ConsoleFormatter(logging.Formatter):
    """Readable lines for local runs: time, level, logger, message, request id and extra fields."""

    def __init__(self) -> None:
        super().__init__()
        self._clock = _Clock()

    def format(self, record: logging.LogRecord) -> str:
        line = f"{self._clock.iso(record.created)} {record.levelname:<7} {record.name}: {redact(record.getMessage())}"
        request_id = request_id_var.get()
        if request_id:
            line += f" [{request_id}]"
        if record.exc_info and record.exc_info[0] is not None:
            line += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
        return line


class LineHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A stream handler that, inside an event loop, flushes at most every ``FLUSH_DELAY`` seconds.

    Under load many lines then share one ``write`` system call instead of one each (measured: a third of the
    per-request logging cost). Lines appear within ``FLUSH_DELAY``; outside a loop (threads, start-up, exit) and
    for warnings and errors every line is flushed at once. ``logging.shutdown`` flushes the rest at exit.
    """

    _flush_scheduled = False

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.stream.write(self.format(record) + self.terminator)
        except Exception:
            self.handleError(record)
            return
        if record.levelno >= logging.WARNING:
            self.flush()
            return
        if self._flush_scheduled:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.flush()
            return
        self._flush_scheduled = True
        loop.call_later(FLUSH_DELAY, self._flush_now)

    def _flush_now(self) -> None:
        self._flush_scheduled = False
        self.flush()


_SECRETS = re.compile(r"(?i)(access_token=|bearer\s+|authorization[\"']?\s*[:=]\s*[\"']?(?:bearer\s+)?)[^\s&\"',;]+")


def redact(text: str) -> str:
    """Tokens never reach a log line: ``access_token=…`` query values and ``Authorization``/``Bearer`` values are
    replaced (uvicorn, for one, logs WebSocket paths with their query string)."""
    if "oken" not in text and "earer" not in text and "uthorization" not in text:
        return text
    return _SECRETS.sub(r"\1[REDACTED]", text)


def _put(doc: dict[str, Any], dotted: str, value: Any) -> None:
    """Set a dotted ECS name as nested objects, copying the path (parts of ``doc`` may be shared)."""
    *parents, leaf = dotted.split(".")
    node = doc
    for part in parents:
        child = node.get(part)
        node[part] = child = dict(child) if isinstance(child, dict) else {}
        node = child
    node[leaf] = value


def _merge(doc: dict[str, Any], fragment: dict[str, Any]) -> None:
    for key, value in fragment.items():
        current = doc.get(key)
        if isinstance(value, dict) and isinstance(current, dict):
            merged = dict(current)
            _merge(merged, value)
            doc[key] = merged
        else:
            doc[key] = value


def request_completed(
    method: str, path: str, route: str, status: int, duration_ns: int, request_id: str, environment: str
) -> None:
    """Log one request's completion: info for 1xx-3xx, warning for 4xx (caller's fault), error for 5xx.

    This runs once per request, so the whole document is built here in one go and cached on the record (the
    formatters and the Elasticsearch handler reuse it) instead of going through the generic path.
    """
    level = logging.INFO if status < 400 else logging.WARNING if status < 500 else logging.ERROR
    if not request_log.isEnabledFor(level):
        return
    elapsed = round(duration_ns / 1_000_000, 4)
    message = f"HTTP {method} {path} responded {status} in {elapsed:0.4f} ms"
    record = logging.LogRecord(request_log.name, level, __file__, 0, message, None, None)  # no stack walk
    doc = base_document(
        record.created,
        level,
        message,
        REQUEST_TEMPLATE,
        request_log.name,
        _service(environment),
        {"action": REQUEST_ACTION, "duration": duration_ns},
    )
    record.__dict__["_ecs_document"] = doc
    doc.update(
        {
            "http": {
                "request": {"id": request_id, "method": method},
                "response": {"status_code": status},
                "route": route,
            },
            "url": {"path": path},
            "RequestId": request_id,
            "RequestPath": path,
            "RequestMethod": method,
            "StatusCode": status,
            "Elapsed": elapsed,
            "MachineName": _HOST,
            "Environment": environment,
            "SourceContext": request_log.name,
        }
    )
    request_log.handle(record)


def base_document(
    created: float, levelno: int, message: str, template: str, logger: str, service: dict[str, str], event: Any
) -> dict[str, Any]:
    """The fields every ECS document has, in one place (the generic formatter and the request log both use it).
    Nested parts may be shared between documents: extend them with ``_put``/``_merge``, which copy the path."""
    return {
        "@timestamp": _CLOCK.iso(created),
        "log.level": _LEVELS.get(levelno) or logging.getLevelName(levelno).lower(),
        "message": message,
        "ecs.version": ECS_VERSION,
        "messageTemplate": template,
        "log": {"logger": logger},
        "event": event,
        "service": service,
        "host": _HOST_FIELDS,
        "process": _PROCESS_FIELDS,
    }


def _service(environment: str) -> dict[str, str]:
    service = _SERVICES.get(environment)
    if service is None:
        service = _SERVICES[environment] = {"name": "lct", "version": __version__, "environment": environment}
    return service


_HOST = socket.gethostname()
_HOST_FIELDS = {"name": _HOST}
_PROCESS_FIELDS = {"pid": os.getpid()}
_SERVICES: dict[str, dict[str, str]] = {}
_CLOCK = _Clock()
QUIET_LOGGERS = ("httpx", "httpcore", "asyncio", "aiosqlite", "websockets")


def configure_logging(settings: Settings) -> None:
    """Route every logger (the app's and uvicorn's) through one stdout handler in the chosen format."""
    formatter: logging.Formatter = (
        EcsFormatter(settings.environment) if settings.log_format == "json" else ConsoleFormatter()
    )
    handler = LineHandler(sys.stdout)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    for old in list(root.handlers):
        if isinstance(old, logging.StreamHandler) and not isinstance(old, logging.FileHandler):
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    # No formatter here reads them, and looking them up costs on every record (the request path logs once each).
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "fastapi"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
