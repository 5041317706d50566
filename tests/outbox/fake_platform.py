"""A fake chat platform over real HTTP, and a small Messenger that talks to it.

The fake keeps the platform's rule of about one message per second per conversation (on the test's clock)
and answers like a platform does: 200 with a message id, 503 while it is down, 429 with Retry-After.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import aiohttp
from aiohttp import web

from bot.message import Destination, Message
from bot.messenger import DeliveryError
from tests.factories import FixedClock

RETRY_AFTER_SECONDS = 2


@dataclass
class FakeChatPlatform:
    clock: FixedClock
    down: bool = False  # answer 503 to everything
    rate_limit_next: int = 0  # answer 429 to this many requests
    accepted: list[tuple[str, str]] = field(default_factory=list)  # (conversation, text) in arrival order
    refusals: list[int] = field(default_factory=list)  # status codes of refused requests
    _last_accepted: dict[str, datetime] = field(default_factory=dict)
    # When set, a request that arrives waits until it is set: a post the platform has but has not answered.
    hold: asyncio.Event | None = None
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/messages", self._post)
        return app

    def _too_fast(self, conversation: str) -> bool:
        last = self._last_accepted.get(conversation)
        return last is not None and (self.clock.now - last).total_seconds() < 1.0

    async def _post(self, request: web.Request) -> web.Response:
        body = await request.json()
        conversation = body["conversation"]
        self.arrived.set()
        if self.hold is not None:
            await self.hold.wait()
        if self.down:
            self.refusals.append(503)
            return web.json_response({"ok": False, "error": "service_unavailable"}, status=503)
        if self.rate_limit_next > 0 or self._too_fast(conversation):
            self.rate_limit_next = max(self.rate_limit_next - 1, 0)
            self.refusals.append(429)
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                     headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
        self.accepted.append((conversation, body["text"]))
        self._last_accepted[conversation] = self.clock.now
        return web.json_response({"ok": True, "id": f"m{len(self.accepted)}"})


class HttpMessenger:
    """The Messenger seam, implemented over HTTP like a real adapter's Web API client."""

    platform = "fake"
    conversation_limits: Sequence[tuple[int, float]] = ((1, 1.0),)
    global_limits: Sequence[tuple[int, float]] = ((50, 1.0),)

    def __init__(self, base_url: str, session: aiohttp.ClientSession) -> None:
        self.base_url = base_url
        self.session = session

    async def _post(self, conversation: str, message: Message) -> str:
        try:
            async with self.session.post(f"{self.base_url}/messages",
                                         json={"conversation": conversation, "text": message.text}) as response:
                body = await response.json()
                if response.status == 429:
                    raise DeliveryError("ratelimited", retry_after=float(response.headers["Retry-After"]))
                if response.status >= 500:
                    raise DeliveryError(f"HTTP {response.status}: {body.get('error')}")
                if not body.get("ok"):
                    raise DeliveryError(str(body.get("error")), permanent=True)
                return str(body["id"])
        except aiohttp.ClientConnectionError as error:
            raise DeliveryError(f"cannot connect: {error}") from error

    async def send(self, destination: Destination, message: Message) -> str:
        return await self._post(destination.conversation or "", message)

    async def update(self, destination: Destination, message_id: str, message: Message) -> None:
        await self._post(destination.conversation or "", message)

    async def send_direct(self, destination: Destination, message: Message) -> str:
        return await self._post(f"dm:{destination.user_id}", message)
