"""scripts/install, the first step of both README commands: it installs when the dependencies changed (or were
never installed), remembers what it installed, and then does nothing. Run against a stand-in for the venv's Python
that records the pip call instead of installing, so the script's own logic is what is tested."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FAKE_PYTHON = """#!/bin/sh
echo "$@" >> "$(dirname "$0")/../pip-calls"
echo "Successfully installed letchooseteams-0"
"""


def project(tmp_path: Path) -> Path:
    """A copy of what scripts/install reads, with a .venv whose python only records its calls."""
    (tmp_path / "scripts").mkdir()
    shutil.copy2(ROOT / "scripts" / "install", tmp_path / "scripts" / "install")
    for name in ("pyproject.toml", "constraints.txt"):
        shutil.copy2(ROOT / name, tmp_path / name)
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(FAKE_PYTHON)
    python.chmod(python.stat().st_mode | stat.S_IEXEC)
    return tmp_path


def install(where: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(where / "scripts" / "install"), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHON": "false"},  # the venv exists: it must never be created again
    )


def pip_calls(where: Path) -> list[str]:
    calls = where / ".venv" / "pip-calls"
    return calls.read_text().splitlines() if calls.exists() else []


def test_a_run_install_succeeds_then_is_skipped_until_the_dependencies_change(tmp_path: Path) -> None:
    where = project(tmp_path)
    first = install(where)
    assert first.returncode == 0, first.stderr
    assert len(pip_calls(where)) == 1 and pip_calls(where)[0].endswith("-e .")
    again = install(where)
    assert again.returncode == 0 and again.stderr == ""
    assert len(pip_calls(where)) == 1
    with (where / "constraints.txt").open("a") as constraints:
        constraints.write("\n# changed\n")
    changed = install(where)
    assert changed.returncode == 0, changed.stderr
    assert len(pip_calls(where)) == 2


def test_a_test_install_also_satisfies_a_later_run_install(tmp_path: Path) -> None:
    where = project(tmp_path)
    tests = install(where, "--test")
    assert tests.returncode == 0, tests.stderr
    assert pip_calls(where)[0].endswith("-e .[test]")
    assert install(where).returncode == 0
    assert install(where, "--test").returncode == 0
    assert len(pip_calls(where)) == 1
