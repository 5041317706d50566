"""Live updates to open pages over server-sent events: channel changes to everyone, DMs to one persona."""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

logger = logging.getLogger(__name__)

QUEUE_SIZE = 500  # a page that stops reading loses its stream rather than growing memory
KEEPALIVE_SECONDS = 15.0


@dataclass(eq=False)
class Subscriber:
    persona: str
    queue: asyncio.Queue[dict[str, Any] | None] = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))


class LiveHub:
    def __init__(self) -> None:
        self._subscribers: set[Subscriber] = set()

    def publish(self, event: dict[str, Any], *, only: str | None = None) -> None:
        """Sends to every open page, or only to the pages of persona `only`."""
        for subscriber in list(self._subscribers):
            if only is not None and subscriber.persona != only:
                continue
            try:
                subscriber.queue.put_nowait(event)
            except asyncio.QueueFull:
                logger.warning("playground: a page for %s is not reading; closing its stream", subscriber.persona)
                self._subscribers.discard(subscriber)

    def close(self) -> None:
        for subscriber in list(self._subscribers):
            while subscriber.queue.full():  # make room for the end-of-stream marker
                subscriber.queue.get_nowait()
            subscriber.queue.put_nowait(None)
        self._subscribers.clear()

    async def stream(self, request: web.Request, persona: str) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
        await response.prepare(request)
        subscriber = Subscriber(persona)
        self._subscribers.add(subscriber)
        try:
            await response.write(b": connected\n\n")
            while True:
                try:
                    event = await asyncio.wait_for(subscriber.queue.get(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    await response.write(b": keepalive\n\n")
                    continue
                if event is None:
                    break
                await response.write(f"data: {json.dumps(event)}\n\n".encode())
        except ConnectionResetError:
            logger.debug("playground: a page for %s went away", persona)
        finally:
            self._subscribers.discard(subscriber)
        return response
