"""The draw anyone can verify: commit-reveal over HMAC-SHA256, algorithm ``lct-draw-v1`` (docs/fairness.md).

Before anyone joins, the server publishes ``commitment(server_seed)``. Each seat brings its own ``client_seed``.
After the draw the server seed is revealed and anyone recomputes the result with ``verify``:

- ``field(s)`` is the 4-byte big-endian length of the UTF-8 bytes of ``s``, then those bytes;
- ``message`` is ``field("lct-draw-v1") + field(tournament id) + field(mode)`` and, per seat in join order,
  ``field(name) + field(surname) + field(client seed) + field(club)``;
- ``key = HMAC-SHA256(server seed, message)``; block ``i`` of the number stream is ``HMAC-SHA256(key, i as 8-byte
  big-endian)``, read as eight big-endian unsigned 32-bit numbers;
- ``uniform(n)`` rejects numbers at or above ``2**32 - 2**32 % n`` (no modulo bias) and returns ``u % n``;
- Fisher-Yates from the last index down to 1; seat ``k`` gets ``items[k]``.

Everything here is pure except ``new_server_seed``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import string
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Final

ALGORITHM: Final = "lct-draw-v1"
MODES: Final = ("pool", "random", "keep")
SEED_BYTES: Final = 32
MAX_CLIENT_SEED: Final = 64

_HEX_SEED: Final = re.compile(r"[0-9a-fA-F]{64}")
_CLIENT_SEED: Final = re.compile(r"[\x20-\x7e]{1,64}")
_SPAN: Final = 2**32
_ASCII_LOWER: Final = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


@dataclass(frozen=True, slots=True)
class Seat:
    """One player as the draw sees them, in join order. ``club`` is the pick ("" in mode ``random``)."""

    name: str
    surname: str
    client_seed: str
    club: str


def new_server_seed() -> bytes:
    """A fresh secret seed for one tournament (the only non-pure function here)."""
    return secrets.token_bytes(SEED_BYTES)


def commitment(server_seed: bytes) -> str:
    """The published fingerprint of ``server_seed``: lowercase hex SHA-256."""
    return hashlib.sha256(server_seed).hexdigest()


def valid_client_seed(value: object) -> bool:
    """True for 1-64 printable ASCII characters (0x20..0x7E); "" is only what v1 joins carry, not client input."""
    return isinstance(value, str) and _CLIENT_SEED.fullmatch(value) is not None


def _field(text: str) -> bytes:
    data = text.encode("utf-8")
    return len(data).to_bytes(4, "big") + data


def message(tournament_id: str, mode: str, seats: Sequence[Seat]) -> bytes:
    """The bytes the server seed is mixed with: algorithm, tournament, mode, then every seat in join order.

    The tournament id is the canonical UUID text; its ASCII letters are lowercased here so "6F1C..." and
    "6f1c..." give the same draw.
    """
    parts = [_field(ALGORITHM), _field(tournament_id.translate(_ASCII_LOWER)), _field(mode)]
    for seat in seats:
        parts += [_field(seat.name), _field(seat.surname), _field(seat.client_seed), _field(seat.club)]
    return b"".join(parts)


def draw_key(server_seed: bytes, tournament_id: str, mode: str, seats: Sequence[Seat]) -> bytes:
    """HMAC-SHA256 keyed by the server seed over ``message``: the key of the number stream."""
    if len(server_seed) != SEED_BYTES:
        raise ValueError(f"the server seed must be {SEED_BYTES} bytes, not {len(server_seed)}")
    return hmac.digest(server_seed, message(tournament_id, mode, seats), "sha256")


def numbers(key: bytes) -> Iterator[int]:
    """The endless stream of unsigned 32-bit numbers: block i = HMAC-SHA256(key, i as 8-byte big-endian)."""
    block = 0
    while True:
        digest = hmac.digest(key, block.to_bytes(8, "big"), "sha256")
        for offset in range(0, 32, 4):
            yield int.from_bytes(digest[offset : offset + 4], "big")
        block += 1


def uniform(stream: Iterator[int], n: int) -> int:
    """A number in ``range(n)`` without modulo bias: numbers at or above the largest multiple of n are skipped."""
    if not 1 <= n <= _SPAN:
        raise ValueError(f"uniform needs 1 <= n <= 2**32, not {n}")
    limit = _SPAN - _SPAN % n
    while True:
        u = next(stream)
        if u < limit:
            return u % n


def fisher_yates(stream: Iterator[int], items: Sequence[str]) -> list[str]:
    """Shuffle a copy of ``items``: for i from the last index down to 1, swap item i with item uniform(i + 1)."""
    result = list(items)
    for i in range(len(result) - 1, 0, -1):
        j = uniform(stream, i + 1)
        result[i], result[j] = result[j], result[i]
    return result


def shuffle(
    server_seed: bytes, tournament_id: str, mode: str, seats: Sequence[Seat], items: Sequence[str]
) -> list[str]:
    """``items`` shuffled by the stream of this draw; seat k gets ``result[k]``."""
    return fisher_yates(numbers(draw_key(server_seed, tournament_id, mode, seats)), items)


def assign(
    server_seed: bytes, tournament_id: str, mode: str, seats: Sequence[Seat], catalogue: Sequence[str]
) -> list[str]:
    """The club of every seat, in seat order. Raises ``ValueError`` when the seats do not fit the mode.

    ``pool`` shuffles the picks (every seat must have one); ``random`` shuffles the whole catalogue and deals
    its first clubs (nobody picks: every club field is ""); ``keep`` is no draw: everyone plays their own pick.
    """
    if mode == "keep":
        return [seat.club for seat in seats]
    if mode == "pool":
        if any(not seat.club for seat in seats):
            raise ValueError("mode pool needs a picked club for every seat")
        return shuffle(server_seed, tournament_id, mode, seats, [seat.club for seat in seats])
    if mode == "random":
        if any(seat.club for seat in seats):
            raise ValueError("mode random has no picks: every seat's club must be empty")
        if len(catalogue) < len(seats):
            raise ValueError(f"mode random needs at least {len(seats)} clubs in the catalogue, not {len(catalogue)}")
        return shuffle(server_seed, tournament_id, mode, seats, catalogue)[: len(seats)]
    raise ValueError(f"unknown draw mode {mode!r}; expected one of {', '.join(MODES)}")


def verify(
    tournament_id: str,
    mode: str,
    commitment_hex: str,
    server_seed_hex: str,
    seats: Sequence[Seat],
    catalogue: Sequence[str],
    result: Sequence[str],
) -> bool:
    """True only when the seed matches the commitment and recomputing the draw gives exactly ``result``.

    Anything malformed (hex, seats, a mode without a draw such as ``keep``) is False, never an exception.
    """
    if mode not in ("pool", "random") or not isinstance(commitment_hex, str) or not isinstance(server_seed_hex, str):
        return False
    if _HEX_SEED.fullmatch(commitment_hex) is None or _HEX_SEED.fullmatch(server_seed_hex) is None:
        return False
    server_seed = bytes.fromhex(server_seed_hex)
    if not hmac.compare_digest(commitment(server_seed), commitment_hex.lower()):
        return False
    try:
        return assign(server_seed, tournament_id, mode, seats, catalogue) == list(result)
    except (ValueError, TypeError, AttributeError):  # bad seats, catalogue or text (UnicodeError is a ValueError)
        return False
