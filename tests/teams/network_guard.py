"""Proof that a test stays on this machine: any connection or name lookup beyond loopback is refused and recorded."""

from __future__ import annotations

import ipaddress
import socket

import pytest


class OutboundAttempt(AssertionError):
    pass


def _is_loopback(host: object) -> bool:
    if host in ("localhost", None):
        return True
    try:
        return ipaddress.ip_address(str(host)).is_loopback
    except ValueError:
        return False


def guard_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Patches the socket layer (not our code): returns the list that records refused destinations."""
    attempts: list[str] = []
    real_connect, real_getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def connect(sock: socket.socket, address):  # type: ignore[no-untyped-def]
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            attempts.append(f"connect {address[0]}")
            raise OutboundAttempt(f"test tried to reach {address[0]}")
        return real_connect(sock, address)

    def getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not _is_loopback(host):
            attempts.append(f"lookup {host}")
            raise OutboundAttempt(f"test tried to look up {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts
