"""Fixtures shared by the integration tests."""

from __future__ import annotations

import pytest

HUB_MODES = {
    "fast-path": {"LCT_HUB_FAST_PATH": "true"},
    "asgi-send": {"LCT_HUB_FAST_PATH": "false"},
}


@pytest.fixture(scope="module", params=sorted(HUB_MODES))
def hub_env(request: pytest.FixtureRequest) -> dict[str, str]:
    """The hub suite runs twice: with the server's direct-write fast path and with plain ASGI ``send`` (the
    fallback under any other server). ``test_hub_modes.py`` checks that each mode really takes its path."""
    return dict(HUB_MODES[request.param])
