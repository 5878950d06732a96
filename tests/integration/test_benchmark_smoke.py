"""Smoke test of the REST benchmark command (``python -m benchmarks.http``, docs/benchmarks.md).

Runs every scenario for ~2 s at 4 connections and checks that the command completes and writes a well-formed
JSON + Markdown report. No timing assertions: the numbers depend on the machine. Needs wrk (``apt-get install -y
wrk``); without it the test fails rather than skips, because the benchmark is part of the deliverable.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ("hello", "create", "get", "assign")


@pytest.mark.timeout(420)
def test_benchmark_command_writes_a_well_formed_report(tmp_path: Path) -> None:
    if shutil.which("wrk") is None:
        pytest.fail("wrk is not installed: apt-get install -y wrk (the benchmark's load generator)")
    out = tmp_path / "report"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    command = [
        sys.executable,
        "-m",
        "benchmarks.http",
        "--duration",
        "2",
        "--warmup",
        "0",
        "--connections",
        "4",
        "--scenarios",
        ",".join(SCENARIOS),
        "--output",
        str(out),
    ]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=400, check=False)
    assert done.returncode == 0, f"benchmark failed:\n{done.stdout}\n{done.stderr}"

    report = json.loads((out / "report.json").read_text())
    for key in ("started_at", "machine", "settings", "results", "targets", "runs"):
        assert key in report
    assert report["settings"]["duration"] == 2
    rows = {(r["scenario"], r["connections"]): r for r in report["results"]}
    assert set(rows) == {(s, 4) for s in SCENARIOS}
    for row in rows.values():
        assert row["runs"] == 1
        assert row["requests"] > 0
        assert row["rps"] > 0
        assert row["failed"] >= 0
        assert all(v >= 0 for v in row["latency_ms"].values())
        assert set(row["latency_ms"]) >= {"p50", "p95", "p99"}
        assert set(row["errors"]) == {"connect", "read", "write", "status", "timeout", "non2xx"}
        assert all(v >= 0 for v in row["errors"].values())
        assert row["server_cpu"] >= 0 and row["client_cpu"] >= 0
    assert rows[("hello", 4)]["ratio_to_hello"] == 1.0
    for scenario in ("create", "get", "assign"):
        assert rows[(scenario, 4)]["ratio_to_hello"] >= 0
    for target in report["targets"]:
        assert {"target", "goal", "value", "met"} <= set(target)

    markdown = (out / "report.md").read_text()
    assert markdown.startswith("# REST benchmark")
    assert "| scenario | conns | req/s | p50 ms | p95 ms | p99 ms |" in markdown
    for scenario in SCENARIOS:
        assert f"| {scenario} | 4 |" in markdown
    assert markdown.strip() in done.stdout
