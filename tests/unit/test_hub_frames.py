"""The hub writes fan-out frames itself (one encoding for every connection): they must be what websockets
would send."""

from __future__ import annotations

import pytest
from websockets.frames import Frame, Opcode

from lct.entrypoints.hub import text_frame


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65535, 65536, 200_000])
def test_text_frame_is_an_unmasked_final_text_frame_as_websockets_encodes_it(size: int) -> None:
    payload = b"x" * size
    assert text_frame(payload) == Frame(Opcode.TEXT, payload).serialize(mask=False)


def test_the_direct_write_fast_path_is_available_under_the_pinned_uvicorn() -> None:
    """The hub writes pre-encoded frames straight to uvicorn's websockets-sansio transport; if an upgrade moves
    that class, fan-out silently falls back to the slow ASGI path. This makes such an upgrade visible."""
    from lct.entrypoints import hub

    assert hub._SansIO is not None
    assert hub._OPEN is not None
