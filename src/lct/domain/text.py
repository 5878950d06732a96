"""Names people type: one cleaning rule and one comparison key for every name in the system.

``clean`` is what gets stored: Unicode NFC, surrounding whitespace trimmed, and refused when it is empty, too long
or holds characters that are invisible or break storage and layout (control characters such as NUL, format
characters such as zero-width spaces and the byte-order mark, line/paragraph separators, lone surrogates).
``key`` is what uniqueness compares: the cleaned form, case-folded, so "Jan", "JAN" and "Jan" written in NFD are
one name.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Final

REFUSED_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


class InvalidText(ValueError):
    """Why a name was refused, in plain words (the domain turns it into its own error)."""


def clean(value: str, *, max_length: int) -> str:
    """The stored form of ``value``; raises ``InvalidText`` saying why it cannot be a name."""
    text = value if value.isascii() else unicodedata.normalize("NFC", value)
    if not text.isprintable():  # C speed; printable excludes every refused category (and also spaces but " ")
        bad = next((c for c in text if unicodedata.category(c) in REFUSED_CATEGORIES), None)
        if bad is not None:
            raise InvalidText(f"contains an invisible or control character (U+{ord(bad):04X})")
    text = text.strip()
    if not text:
        raise InvalidText("cannot be empty or only whitespace")
    if len(text) > max_length:
        raise InvalidText(f"is longer than {max_length} characters")
    return text


@lru_cache(maxsize=1)
def schema_pattern() -> str:
    """A JSON Schema ``pattern`` for what ``clean`` accepts in the Basic Multilingual Plane: no refused
    character, and at least one character that is not whitespace. (Refused characters beyond U+FFFF are still
    refused by ``clean``; the pattern stays no stricter than the code.)"""
    refused = _ranges(
        c for c in range(0x10000) if unicodedata.category(chr(c)) in REFUSED_CATEGORIES - {"Cs"}
    )  # no surrogates: a JSON string holds none once decoded, and Rust/ECMA regex engines refuse them
    space = _ranges(
        c for c in range(0x10000) if chr(c).isspace() and unicodedata.category(chr(c)) not in REFUSED_CATEGORIES
    )
    return f"^[^{refused}]*[^{refused}{space}][^{refused}]*$"


def _ranges(codes: Iterable[int]) -> str:
    spans: list[list[int]] = []
    for code in codes:
        if spans and spans[-1][1] == code - 1:
            spans[-1][1] = code
        else:
            spans.append([code, code])
    return "".join(f"\\u{a:04X}" if a == b else f"\\u{a:04X}-\\u{b:04X}" for a, b in spans)


def key(cleaned: str) -> str:
    """The comparison key of an already cleaned name: equal keys mean "the same name"."""
    return unicodedata.normalize("NFC", cleaned.casefold())
