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
