"""The Slack test harness: the real aiohttp app with the Slack adapter, driven by signed requests, posting to
a local fake Slack Web API."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from bot.app import RUNTIME, Runtime, create_app
from storage.models import Comment, Idea, Vote
from tests.factories import harness_clock, make_config
from tests.slack.fake_slack import BOT_TOKEN, FakeSlack

SIGNING_SECRET = "test-signing-secret"
SLACK_ACK_TIMEOUT = 3.0  # seconds Slack waits for an acknowledgement before it gives up and retries
PAYLOADS = Path(__file__).parent / "payloads"
_invocations = itertools.count(1)


def payload(name: str) -> dict[str, Any]:
    return json.loads((PAYLOADS / f"{name}.json").read_text())


def sign(body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


def trigger_id() -> str:
    """Slack gives every invocation of a command its own trigger_id (the bot de-duplicates on it)."""
    return f"{next(_invocations)}.738474920.{hashlib.sha256(str(time.monotonic_ns()).encode()).hexdigest()[:24]}"


def command_body(text: str, *, user: str = "U1", channel: str = "CROTA", response_url: str = "",
                 trigger: str | None = None) -> str:
    fields = payload("command_idea")
    fields.update(text=text, user_id=user, user_name=user.lower(), channel_id=channel, response_url=response_url,
                  trigger_id=trigger or trigger_id())
    return urlencode(fields)


def event_envelope(event: dict[str, Any], event_id: str) -> dict[str, Any]:
    envelope = payload("event_callback_envelope")
    envelope.update(event=event, event_id=event_id)
    return envelope


def reaction(user: str, ts: str, *, emoji: str = "+1", added: bool = True, channel: str = "CROTA") -> dict[str, Any]:
    event = payload("event_reaction_added")
    event.update(type="reaction_added" if added else "reaction_removed", user=user, reaction=emoji)
    event["item"].update(channel=channel, ts=ts)
    return event


def thread_reply(user: str, thread_ts: str, ts: str, text: str, *, channel: str = "CROTA") -> dict[str, Any]:
    event = payload("event_message_thread_reply")
    event.update(user=user, thread_ts=thread_ts, ts=ts, text=text, channel=channel)
    return event


class SlackHarness:
    """Sends what Slack would send (signed), and reads what the bot did through the fake Web API."""

    def __init__(self, client: TestClient, fake: FakeSlack) -> None:
        self.client = client
        self.fake = fake
        self.runtime: Runtime = client.server.app[RUNTIME]

    @property
    def response_url(self) -> str:
        return self.fake.base_url.removesuffix("/api/") + "/response/1"

    async def post(self, body: str, content_type: str, headers: dict[str, str] | None = None, **options: Any) -> Any:
        all_headers = {"Content-Type": content_type, **sign(body), **(headers or {})}
        return await self.client.post("/slack/events", data=body.encode(), headers=all_headers, **options)

    async def command(self, text: str, *, user: str = "U1", channel: str = "CROTA", **options: Any) -> Any:
        body = command_body(text, user=user, channel=channel, response_url=self.response_url)
        return await self.post(body, "application/x-www-form-urlencoded", **options)

    async def command_reply(self, text: str, **kwargs: Any) -> dict[str, Any]:
        response = await self.command(text, **kwargs)
        assert response.status == 200, await response.text()
        return await response.json()

    async def event(self, event: dict[str, Any], event_id: str, *, retry_num: int | None = None) -> Any:
        headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"} if retry_num else {}
        return await self.post(json.dumps(event_envelope(event, event_id)), "application/json", headers)

    async def interactive(self, body: dict[str, Any]) -> Any:
        return await self.post(urlencode({"payload": json.dumps(body)}), "application/x-www-form-urlencoded")

    async def submit_idea(self, text: str, *, user: str = "U1", channel: str = "CROTA") -> str:
        """Submits an idea and waits for its post; returns the post's ts."""
        before = len(self.fake.answered("chat.postMessage"))
        reply = await self.command_reply(text, user=user, channel=channel)
        assert "is in" in reply["text"], reply
        await self.drain()
        posts = self.fake.answered("chat.postMessage")[before:]
        assert len(posts) == 1, posts
        return posts[0].answer["ts"]

    async def drain(self) -> None:
        assert self.runtime.dispatcher is not None
        await self.runtime.dispatcher.drain()

    async def settle(self) -> None:
        """Lets the work after acknowledgements finish (display-name lookups), then delivers what it queued."""
        for adapter in self.runtime.adapters:
            background = getattr(adapter, "background", None)
            if background is not None:
                await background.wait_idle()
        advance = getattr(self.runtime.clock, "advance", None)
        if advance is not None:  # a hand-moved clock: post updates are due a moment after they are queued
            advance(seconds=5)
        await self.drain()

    async def votes(self) -> int:
        async with self.runtime.core.db.transaction() as session:  # type: ignore[union-attr]
            return int((await session.execute(select(func.count()).select_from(Vote))).scalar_one())

    async def comments(self) -> list[str]:
        async with self.runtime.core.db.transaction() as session:  # type: ignore[union-attr]
            return list((await session.execute(select(Comment.text))).scalars())

    async def idea_texts(self) -> list[str]:
        async with self.runtime.core.db.transaction() as session:  # type: ignore[union-attr]
            return sorted((await session.execute(select(Idea.text))).scalars())

    def idea_posts(self) -> list[dict[str, Any]]:
        return [args for args in self.fake.of("chat.postMessage") if str(args.get("channel", "")).startswith("C")]


def slack_config(database_url: str, fake: FakeSlack, *, sections: dict[str, Any] | None = None, **slack: str) -> Any:
    """The test campaign on Slack; `sections` replaces other top-level sections (e.g. SIMILAR_IDEAS_ON)."""
    settings = {"bot_token": BOT_TOKEN, "signing_secret": SIGNING_SECRET, "api_url": fake.base_url, **slack}
    return make_config(storage={"url": database_url}, slack=settings, **(sections or {}))


@pytest.fixture
async def fake_slack(aiohttp_server: Any) -> FakeSlack:
    fake = FakeSlack()
    server = await aiohttp_server(fake.app())
    fake.base_url = str(server.make_url("/api/"))
    return fake


@pytest.fixture
async def slack(fake_slack: FakeSlack, aiohttp_client: Any, database_url: str) -> AsyncIterator[SlackHarness]:
    # fake_slack comes first so the fake outlives the app: the app's shutdown still talks to it.
    client = await aiohttp_client(create_app(slack_config(database_url, fake_slack), clock=harness_clock()))
    yield SlackHarness(client, fake_slack)
