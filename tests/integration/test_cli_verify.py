"""``lct verify <tournament-id>`` recomputes a draw from the store and says OK or FAILED (docs/fairness.md)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from lct.config import Settings
from lct.entrypoints.http import create_app


async def drawn_tournament(db: Path, mode: str = "pool") -> str:
    app = create_app(Settings(database_url=f"sqlite:///{db}"))
    async with (
        app.lifespan_context(),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://lct.test") as http,
    ):
        created = (
            await http.post("/api/v2/tournaments", json={"name": f"v {mode}", "seats": 3, "drawMode": mode})
        ).json()
        tid, host = created["tournament"]["id"], created["hostToken"]
        for name, club in (("Łucja", "Bayern"), ("Jan", "PSG"), ("Ola", "Chelsea")):
            joined = (
                await http.post(f"/api/v2/tournaments/{tid}/players", json={"name": name, "surname": "Żak"})
            ).json()
            if mode != "random":
                headers = {"Authorization": f"Bearer {joined['playerToken']}"}
                url = f"/api/v2/tournaments/{tid}/players/{joined['player']['id']}/club"
                assert (await http.put(url, json={"club": club}, headers=headers)).status_code == 200
        assert (
            await http.post(f"/api/v2/tournaments/{tid}/draw", headers={"Authorization": f"Bearer {host}"})
        ).status_code == 200
    return str(tid)


def verify(db: Path, tid: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "lct.entrypoints.cli", "verify", tid, "--database-url", f"sqlite:///{db}"]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("mode", ["pool", "random"])
async def test_a_real_draw_verifies(tmp_path: Path, mode: str) -> None:
    tid = await drawn_tournament(tmp_path / "lct.db", mode)
    done = verify(tmp_path / "lct.db", tid)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("OK")


async def test_a_tampered_result_fails(tmp_path: Path) -> None:
    db = tmp_path / "lct.db"
    tid = await drawn_tournament(db)
    with sqlite3.connect(db) as conn:
        (data,) = conn.execute("SELECT data FROM events WHERE stream_id = ? AND type = 'TeamsDrawn'", (tid,)).fetchone()
        draws = json.loads(data)
        first, second = draws["draws"][0]["team"], draws["draws"][1]["team"]
        draws["draws"][0]["team"], draws["draws"][1]["team"] = second, first
        conn.execute("UPDATE events SET data = ? WHERE stream_id = ? AND type = 'TeamsDrawn'", (json.dumps(draws), tid))
    done = verify(db, tid)
    assert done.returncode == 1
    assert done.stdout.strip().endswith("FAILED") and "expected" in done.stdout


async def test_before_the_draw_there_is_nothing_to_verify(tmp_path: Path) -> None:
    db = tmp_path / "lct.db"
    app = create_app(Settings(database_url=f"sqlite:///{db}"))
    async with (
        app.lifespan_context(),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http,
    ):
        tid = (await http.post("/api/v2/tournaments", json={"name": "early", "seats": 2})).json()["tournament"]["id"]
    done = verify(db, tid)
    assert done.returncode == 1 and "Not drawn yet" in done.stdout
