"""Helpers for playground tests: a campaign with playground personas, and a reader for the live event stream."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import aiohttp

from bot.config import AppConfig
from storage import posts
from tests.factories import make_config

CM = "Casey Brown"
LEADER = "Dr Lee Harper"
STAFF = "Sam Patel"
OTHER = "Alex Morgan"
TIMEOUT = 10.0


def playground_config(database_url: str, **overrides: Any) -> AppConfig:
    """The test campaign with its people in the playground, challenges without Slack channels."""
    base = make_config()
    raw = base.model_dump(mode="json")
    raw["storage"] = {"url": database_url}
    raw["roles"] = {"community_managers": [f"playground:{CM}"], "leaders": [f"playground:{LEADER}"],
                    "admins": ["playground:Robin Shaw"]}
    for challenge in raw["challenges"]:
        challenge["channels"] = []
    raw.update(overrides)
    return AppConfig.model_validate(raw)


class LiveStream:
    """The page's server-sent event stream, read as a test would read a chat: wait for the next matching event."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self.response = response

    async def next(self, predicate: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        async with asyncio.timeout(TIMEOUT):
            while True:
                line = (await self.response.content.readline()).decode()
                if not line:
                    raise AssertionError("the event stream ended")
                if line.startswith("data: "):
                    event = json.loads(line[len("data: "):])
                    if predicate(event):
                        return event


async def open_stream(client: Any, persona: str) -> LiveStream:
    response = await client.get("/playground/events", params={"as": persona})
    assert response.status == 200
    assert (await response.content.readline()).startswith(b": connected")
    return LiveStream(response)


def post_with(text: str) -> Callable[[dict[str, Any]], bool]:
    return lambda event: event["type"] == "post" and text in event["html"]


async def post_recorded(core: Any, post_id: str) -> None:
    """Waits until the outbox has recorded a delivered idea post (it publishes first, then records)."""
    async with asyncio.timeout(TIMEOUT):
        while True:
            async with core.db.transaction() as session:
                if await posts.idea_for_message(session, platform="playground", message_id=post_id) is not None:
                    return
            await asyncio.sleep(0.02)


async def act(client: Any, path: str, persona: str, channel: str = "rotas", **body: Any) -> tuple[int, dict[str, Any]]:
    response = await client.post(f"/playground/api/{path}", json={"as": persona, "channel": channel, **body})
    return response.status, await response.json()
