"""A local stand-in for Slack's Web API that enforces Slack-like rate limits, for the benchmarks.

chat.postMessage: at most one message per second per channel (a user id counts as that user's DM
channel) and at most `method_per_second` per second overall; beyond either it answers HTTP 429 with a
Retry-After header, as Slack does. Every accepted message is recorded, so lost and duplicated messages
can be counted.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import time
from collections import Counter, deque

from aiohttp import web

TOKEN = "xoxb-bench-token"


class FakeSlackApi:
    def __init__(self, *, method_per_second: int = 100, channel_interval: float = 1.0) -> None:
        self.method_per_second = method_per_second
        self.channel_interval = channel_interval
        self.delivered: Counter[tuple[str, str]] = Counter()  # (channel, text) -> times accepted
        self.rate_limited = 0
        self.calls = 0
        self._last_in_channel: dict[str, float] = {}
        self._recent: deque[float] = deque()
        self._ts = itertools.count(1)
        self.first_accept: float | None = None
        self.last_accept: float | None = None

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/api/{method}", self._handle)
        return app

    async def _handle(self, request: web.Request) -> web.Response:
        self.calls += 1
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.json_response({"ok": False, "error": "invalid_auth"})
        method = request.match_info["method"]
        form = dict(await request.post()) if request.content_type != "application/json" else await request.json()
        form.update(request.query)  # slack_sdk sends some arguments (conversations.open's users) in the query
        if method == "auth.test":
            return web.json_response({"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T0BENCH"})
        if method == "conversations.open":
            return web.json_response({"ok": True, "channel": {"id": f"D{form.get('users', '')}"}})
        if method in ("chat.postMessage", "chat.update"):
            return self._post(str(form.get("channel", "")), str(form.get("text", "")), method)
        return web.json_response({"ok": True})

    def _post(self, channel: str, text: str, method: str) -> web.Response:
        now = time.monotonic()
        while self._recent and now - self._recent[0] >= 1.0:
            self._recent.popleft()
        wait = 0.0
        if len(self._recent) >= self.method_per_second:
            wait = 1.0 - (now - self._recent[0])
        last = self._last_in_channel.get(channel)
        if method == "chat.postMessage" and last is not None and now - last < self.channel_interval:
            wait = max(wait, self.channel_interval - (now - last))
        if wait > 0:
            self.rate_limited += 1
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                     headers={"Retry-After": str(max(1, math.ceil(wait)))})
        self._recent.append(now)
        self._last_in_channel[channel] = now
        if method == "chat.postMessage":
            self.delivered[(channel, text)] += 1
            self.first_accept = self.first_accept or now
            self.last_accept = now
        return web.json_response({"ok": True, "channel": channel, "ts": f"1700000000.{next(self._ts):06d}"})


async def serve(api: FakeSlackApi, port: int = 0) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(api.app(), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]


async def main() -> None:  # pragma: no cover - manual use
    runner, port = await serve(FakeSlackApi())
    print(f"fake Slack Web API on http://127.0.0.1:{port}/api/")
    await asyncio.Event().wait()
    await runner.cleanup()
