"""A local stand-in for Slack's Web API that enforces Slack's documented rate limits, for the benchmarks.

Each tiered method is limited per workspace per minute (conversations.open and chat.update Tier 3, 50 a
minute); chat.postMessage keeps about one message per second per channel with short bursts (a user id
counts as that user's DM) under `method_per_second` overall. Beyond a limit it answers HTTP 429 with a
Retry-After header, as Slack does. Every accepted message is recorded, so lost and duplicated messages
can be counted.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter

from aiohttp import web

from benchmarks.slack_tiers import SlackLimits
from benchmarks.slack_users import slack_user, users_info_answer

TOKEN = "xoxb-bench-token"


class FakeSlackApi:
    def __init__(self, *, method_per_second: int = 100, channel_burst: int = 4, tiered: bool = True,
                 tier_per_minute: dict[int, int] | None = None) -> None:
        self.limits = SlackLimits(post_per_second=method_per_second, channel_burst=channel_burst, tiered=tiered,
                                  per_minute=tier_per_minute)
        self.delivered: Counter[tuple[str, str]] = Counter()  # (channel, text) -> times accepted
        self.accepted: list[tuple[str, str]] = []  # in arrival order
        self.calls: Counter[str] = Counter()  # method -> calls
        self._ts = itertools.count(1)

    @property
    def rate_limited(self) -> int:
        return sum(self.limits.rate_limited.values())

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/api/{method}", self._handle)
        app.router.add_get("/api/{method}", self._handle)  # slack_sdk reads users.info with GET
        return app

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        self.calls[method] += 1
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.json_response({"ok": False, "error": "invalid_auth"})
        form = dict(await request.post()) if request.content_type != "application/json" else await request.json()
        form.update(request.query)  # slack_sdk sends some arguments (conversations.open's users) in the query
        channel = str(form.get("channel", ""))
        retry_after = self.limits.retry_after(method, channel or None)
        if retry_after is not None:
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                     headers={"Retry-After": str(retry_after)})
        if method == "auth.test":
            return web.json_response({"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T0BENCH"})
        if method == "conversations.open":
            return web.json_response({"ok": True, "channel": {"id": f"D{form.get('users', '')}"}})
        if method == "users.info":  # everyone the benchmarks invent has a name
            user = str(form.get("user", ""))
            return web.json_response(users_info_answer({user: slack_user(user, real_name=f"Person {user}")}, form))
        if method == "chat.postMessage":
            self.delivered[(channel, str(form.get("text", "")))] += 1
            self.accepted.append((channel, str(form.get("text", ""))))
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
