"""Where phones can reach this machine: its address on the local network.

A phone that scans a QR code pointing at ``127.0.0.1`` reaches itself. When the host page is opened through a
loopback address, join links use this machine's LAN address instead (``LCT_PUBLIC_URL`` overrides both).
"""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache


@lru_cache(maxsize=1)
def lan_address() -> str | None:
    """The IPv4 address of the interface that holds the default route, or None (no network, loopback only).

    Connecting a UDP socket sends nothing: it only asks the kernel which local address it would use."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.254.254.254", 9))
            address = str(probe.getsockname()[0])
        except OSError:
            return None
    return None if is_loopback(address) or address == "0.0.0.0" else address


def is_loopback(host: str) -> bool:
    """True for "localhost" and loopback addresses (127.0.0.0/8, ::1), with or without brackets."""
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False
