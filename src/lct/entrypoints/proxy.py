"""Proxy headers, trusted only from trusted proxies (``LCT_FORWARDED_ALLOW_IPS``).

When the peer of a connection is a trusted proxy, ``X-Forwarded-For`` gives the client address (rate limits, logs),
``X-Forwarded-Proto`` the scheme and ``X-Forwarded-Host`` the host the browser used (join links, QR codes). From
anyone else these headers are ignored: a client cannot make the service hand out links to a host of its choosing.
This is the only place they are read (uvicorn's own proxy-header handling is off).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from typing import Final

from starlette.types import Scope

FORWARDED_HOST: Final = "lct.forwarded_host"
"""Scope key of the host a trusted proxy reported (absent otherwise)."""
_HOST: Final = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class TrustedProxies:
    def __init__(self, allow: str) -> None:
        items = [item.strip() for item in allow.split(",") if item.strip()]
        self.everyone = "*" in items
        self.networks: list[Network] = list(_networks(i for i in items if i != "*"))

    def trusts(self, peer: str | None) -> bool:
        if self.everyone:
            return True
        if not peer:
            return False
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    def apply(self, scope: Scope, headers: dict[bytes, bytes]) -> None:
        """Rewrite ``scope`` from the forwarded headers of a trusted peer (client, scheme, reported host)."""
        if (
            b"x-forwarded-for" not in headers
            and b"x-forwarded-proto" not in headers
            and b"x-forwarded-host" not in headers
        ):
            return
        client = scope.get("client")
        if not self.trusts(client[0] if client else None):
            return
        forwarded_for = headers.get(b"x-forwarded-for")
        if forwarded_for:
            first = forwarded_for.decode("latin-1").split(",")[0].strip()
            scope["client"] = (first, 0)
        proto = headers.get(b"x-forwarded-proto", b"").decode("latin-1").split(",")[0].strip().lower()
        if proto in ("http", "https", "ws", "wss"):
            secure = proto in ("https", "wss")
            scope["scheme"] = (
                ("wss" if secure else "ws") if scope["type"] == "websocket" else ("https" if secure else "http")
            )
        host = headers.get(b"x-forwarded-host", b"").decode("latin-1").split(",")[0].strip()
        if _HOST.fullmatch(host):
            scope[FORWARDED_HOST] = host


def _networks(items: Iterable[str]) -> Iterable[Network]:
    for item in items:
        try:
            yield ipaddress.ip_network(item, strict=False)
        except ValueError:
            continue
