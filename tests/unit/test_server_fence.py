"""The fence around server internals: only ``entrypoints/server.py`` may know how uvicorn works inside."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "lct"
FENCED = SRC / "entrypoints" / "server.py"


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_module_but_the_fenced_one_imports_uvicorn_internals() -> None:
    offenders = {
        str(path.relative_to(SRC)): sorted(m for m in imported_modules(path) if m.startswith("uvicorn.protocols"))
        for path in SRC.rglob("*.py")
        if path != FENCED
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_module_but_the_fenced_one_touches_transports() -> None:
    touching = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path != FENCED and (".transport" in path.read_text() or "__self__" in path.read_text())
    ]
    assert touching == []


def test_the_fenced_module_does_import_them_so_the_guard_is_not_vacuous() -> None:
    assert "uvicorn.protocols.websockets.websockets_sansio_impl" in imported_modules(FENCED)


def test_the_fast_path_exists_under_the_pinned_uvicorn() -> None:
    """If an upgrade moves uvicorn's websockets-sansio class, fan-out silently falls back to ASGI send: make
    such an upgrade visible."""
    from lct.entrypoints import server

    assert server.WebSocketsSansIOProtocol is not None
