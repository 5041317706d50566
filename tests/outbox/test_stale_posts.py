"""A vote or a decision made while the idea's post is still on its way reaches the post once it is recorded."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.config import AppConfig
from bot.context import Core
from bot.handler import Bot
from bot.outbox import OutboxDispatcher
from storage import outbox
from storage.database import Database
from tests.factories import FixedClock, make_config, say, text_of
from tests.outbox.fake_platform import FakeChatPlatform, HttpMessenger

MANAGER = "slack:UCM"


@pytest.fixture
def config() -> AppConfig:
    return make_config(challenges=[{"key": "rotas", "title": "Fairer rotas", "questions": ["Q1?"],
                                    "channels": ["slack:C1"]}])


@pytest.fixture
def slack_core(config: AppConfig, db: Database, clock: FixedClock) -> Core:
    return Core(config, db, platforms=frozenset({"slack"}), clock=clock)


@pytest.fixture
async def platform(clock: FixedClock) -> AsyncIterator[tuple[FakeChatPlatform, str]]:
    fake = FakeChatPlatform(clock)
    server = TestServer(fake.app(), host="127.0.0.1")
    await server.start_server()
    yield fake, f"http://127.0.0.1:{server.port}"
    await server.close()


async def drain(core: Core, clock: FixedClock, dispatcher: OutboxDispatcher) -> None:
    for _ in range(50):
        async with core.db.transaction() as session:
            if await outbox.pending_count(session) == 0:
                return
            due = await outbox.next_due_at(session, platforms=["slack"])
        if not await dispatcher.deliver_due() and due is not None:
            due = datetime.fromisoformat(due) if isinstance(due, str) else due
            clock.now = max(due.replace(tzinfo=due.tzinfo or UTC), clock.now + timedelta(seconds=1))
    raise AssertionError("the outbox did not drain")


async def test_a_vote_and_a_decision_made_while_the_post_is_out_reach_the_post(
    slack_core: Core, clock: FixedClock, platform: tuple[FakeChatPlatform, str]
) -> None:
    fake, url = platform
    bot = Bot(slack_core)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http:
        dispatcher = OutboxDispatcher(slack_core, {"slack": HttpMessenger(url, http)},
                                      monotonic=lambda: clock.now.timestamp())
        await say(bot, "slack:U1", "Self-rostering app", channel="C1")
        fake.hold = asyncio.Event()
        delivery = asyncio.ensure_future(dispatcher.deliver_due())
        await fake.arrived.wait()  # the platform has the post; the bot has not heard back yet
        assert "is counted" in text_of(await say(bot, "slack:U2", "vote #1", channel="C1"))
        await say(bot, MANAGER, "status #1 in_progress Trial on ward 7", channel="C1")
        fake.hold.set()
        await delivery
        await drain(slack_core, clock, dispatcher)

    posts = [text for conversation, text in fake.accepted if conversation == "C1"]
    assert "Votes: 0" in posts[0] and "Status: new" in posts[0]  # what went out first
    assert "Votes: 1" in posts[-1] and "Status: in progress" in posts[-1]  # and what the post shows at the end
