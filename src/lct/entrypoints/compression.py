"""Compression of text responses over 1 KB for clients that accept gzip (web assets, API documents, states).

A response is compressed when it arrives in one body message (all of ours do), its type is text-like and no
encoding is set yet. Bodies that carry an ``ETag`` (the static files) are compressed once and cached (bounded).
"""

from __future__ import annotations

import gzip
from collections import OrderedDict
from typing import Final

from starlette.types import Message, Send

MIN_SIZE: Final = 1024
CACHE_ENTRIES: Final = 64
_TEXT: Final = (b"text/", b"application/json", b"application/javascript", b"image/svg+xml", b"application/manifest")
_cache: OrderedDict[bytes, bytes] = OrderedDict()


def accepts_gzip(headers: dict[bytes, bytes]) -> bool:
    accept = headers.get(b"accept-encoding", b"").lower()
    return b"gzip" in accept and b"gzip;q=0" not in accept.replace(b" ", b"")


def gzipping(send: Send) -> Send:
    """A ``send`` that holds the response start until the body is known, then compresses when it is worth it."""
    start: Message | None = None

    async def wrapped(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
            return
        if start is None or message["type"] != "http.response.body":
            await send(message)
            return
        held, start = start, None
        await _send_body(send, held, message)

    return wrapped


async def _send_body(send: Send, start: Message, body: Message) -> None:
    headers: list[tuple[bytes, bytes]] = list(start.get("headers", []))
    names = {k.lower(): v for k, v in headers}
    data: bytes = body.get("body", b"")
    kind = names.get(b"content-type", b"")
    if body.get("more_body") or len(data) < MIN_SIZE or b"content-encoding" in names or not kind.startswith(_TEXT):
        await send(start)
        await send(body)
        return
    packed = _compressed(data, names.get(b"etag"))
    headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
    headers += [
        (b"content-encoding", b"gzip"),
        (b"content-length", str(len(packed)).encode()),
        (b"vary", b"Accept-Encoding"),
    ]
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": packed})


def _compressed(data: bytes, etag: bytes | None) -> bytes:
    if etag is None:
        return gzip.compress(data, compresslevel=6, mtime=0)
    cached = _cache.get(etag)
    if cached is None:
        cached = _cache[etag] = gzip.compress(data, compresslevel=9, mtime=0)
        if len(_cache) > CACHE_ENTRIES:
            _cache.popitem(last=False)
    else:
        _cache.move_to_end(etag)
    return cached
