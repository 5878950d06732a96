"""Smoke test of the abuse benchmark (``python -m benchmarks.abuse --quick``, docs/reliability.md): every scenario
runs once in its short form and the command writes a well-formed report. No timing assertions (the figures depend
on the machine); only what the service must do whatever the machine: nothing acknowledged is lost, no client can
grow the server's memory, and the flood and the burst meet their limits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(600)
def test_the_quick_abuse_benchmark_writes_a_well_formed_report(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.abuse", "--quick", "--output", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=580,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["trees"] == ["after"]
    runs = {name: figures[0] for name, figures in report["results"]["after"].items()}
    assert not {name: f["error"] for name, f in runs.items() if "error" in f}
    assert runs["slow_reader"]["rss_growth_mb"] < 64
    flood = runs["connection_flood"]  # the default cap of 100 connections per address
    assert (flood["connections_open"], flood["connections_refused"]) == (100, flood["connections_tried"] - 100)
    assert runs["click_flood"]["clicks_processed"] < runs["click_flood"]["clicks_sent"] / 10
    assert runs["headers"]["fields_10000_status"] == 431 and runs["headers"]["url_9kib_status"] == 414
    burst = runs["rest_burst"]
    assert burst["ok"] + burst["refused_429"] == burst["requests"] and burst["other_client_ok"] == 20
    assert burst["ok"] <= 100 + 50 * burst["burst_s"] + 1  # the default budget: burst 100, then 50 a second
    for fault in ("kill_postgres", "sqlite_crash", "postgres_restart"):
        assert runs[fault]["acknowledged"] > 0 and runs[fault]["lost"] == 0, fault
    assert runs["sqlite_crash"]["integrity"] == "ok"
    assert runs["redis_outage"]["messages_delivered"] == 10 and runs["redis_outage"]["duplicates"] == 0
    markdown = (tmp_path / "report.md").read_text()
    assert markdown.startswith("# Reliability") and "| Scenario | Figure | after (" in markdown
    assert markdown in done.stdout
