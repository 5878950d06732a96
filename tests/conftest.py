"""Session-wide fixtures: real servers the tests need (Redis, PostgreSQL), started on free loopback ports."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("LCT_LOG_FORMAT", "console")


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path
