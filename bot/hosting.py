"""Start-up rules about where the server may listen."""

from __future__ import annotations

import ipaddress


class StartupError(Exception):
    """The bot cannot start as configured; the message says why and what to do."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def require_loopback(host: str, reason: str) -> None:
    """Raises StartupError unless host is a loopback address; reason says what would be exposed."""
    if not is_loopback(host):
        raise StartupError(f"Refusing to listen on {host}: {reason}. Use --host 127.0.0.1.")
