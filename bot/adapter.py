"""The contract every platform adapter meets; the composition root is its only user."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from aiohttp import web

from bot.events import Event
from bot.message import Reply
from bot.messenger import Messenger

Dispatch = Callable[[Event], Awaitable[Reply]]


class Adapter(Protocol):
    platform: str

    @property
    def messenger(self) -> Messenger:
        """Sends to the platform (read-only here, so an adapter may hold a more specific messenger)."""
        ...

    def mount(self, app: web.Application) -> None:
        """Adds the adapter's routes (called before the server starts)."""
        ...

    async def start(self) -> None:
        """Opens HTTP sessions and sockets (called once the database is ready)."""
        ...

    async def stop(self) -> None:
        ...
