"""Per-request context shared by the HTTP layer, the hub and the logs: the request id.

Every HTTP request and hub connection gets one id: the caller's ``X-Request-ID`` when it is a sane token, else a
new one. It is sent back in the ``X-Request-ID`` header, written into every error body as ``RequestId`` and into
every log line written while the request is handled (``http.request.id``).
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from random import getrandbits

request_id_var: ContextVar[str] = ContextVar("request_id", default="")
_INCOMING = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
_UUID4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID4_SET = (0x4000 << 64) | (0x8000 << 48)


def new_request_id() -> str:
    """A random version-4 UUID string, like ``str(uuid.uuid4())`` at a tenth of the cost (a correlation id, not a
    secret, so the process's PRNG is enough)."""
    h = "%032x" % (getrandbits(128) & _UUID4_CLEAR | _UUID4_SET)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def request_id_from(incoming: bytes | None) -> str:
    """The caller's id when it is a short token of safe characters (it ends up in logs), else a new one."""
    if incoming:
        text = incoming.decode("latin-1")
        if _INCOMING.fullmatch(text):
            return text
    return new_request_id()


def current_request_id() -> str:
    return request_id_var.get()
