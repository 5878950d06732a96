"""The README's "API in one minute" walkthrough works as printed, and twice in a row (names stay unique)."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import Server, lct_server

README = Path(__file__).resolve().parents[2] / "README.md"


def walkthrough() -> str:
    section = README.read_text().split("## The API in one minute", 1)[1]
    match = re.search(r"```sh\n(.*?)```", section, re.S)
    assert match, "the README lost its walkthrough"
    return match.group(1)


def documents(text: str) -> list[object]:
    decoder, found, at = json.JSONDecoder(), [], 0
    while at < len(text):
        if text[at].isspace():
            at += 1
            continue
        value, at = decoder.raw_decode(text, at)
        found.append(value)
    return found


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with lct_server(tmp_path_factory.mktemp("readme")) as running:
        yield running


def test_the_walkthrough_reaches_the_draw_and_runs_twice(server: Server) -> None:
    script = walkthrough().replace("http://localhost:8000", server.url)
    for _ in range(2):
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        *_, teams, drawn, last = documents(done.stdout)  # curl prints the bodies back to back
        assert len(teams) == 10 and sorted(d["teamName"] for d in drawn) == ["Bayern", "PSG"]
        assert last["playerLimit"] == 2
        assert all(p["drawnTeam"] in ("Bayern", "PSG") for p in last["players"]), done.stdout
