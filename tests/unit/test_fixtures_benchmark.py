"""Smoke test of ``python -m benchmarks.fixtures`` (docs/benchmarks.md): it runs once, quickly, and prints one
well-formed table row per case, with the match counts the fixtures rules give. No timing assertions."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_fixtures_benchmark_prints_a_row_per_case_with_the_right_match_counts() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.fixtures", "--runs", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [line for line in done.stdout.splitlines() if re.match(r"\| (league|knockout), ", line)]
    counts = {row.split(" | ")[0].removeprefix("| "): int(row.split(" | ")[1].replace(",", "")) for row in rows}
    assert counts == {
        "league, 4 players, 1 leg": 6,
        "league, 8 players, 1 leg": 28,
        "league, 16 players, 2 legs": 240,
        "league, 32 players, 2 legs": 992,
        "league, 64 players, 1 leg": 2016,
        "league, 64 players, 2 legs": 4032,
        "knockout, 5 players": 7,
        "knockout, 16 players": 15,
        "knockout, 64 players": 63,
    }
    for row in rows:
        assert all(re.fullmatch(r"\d+\.\d\d|-", cell) for cell in row.strip("| ").split(" | ")[2:]), row
