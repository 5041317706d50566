"""A 429 on a method-wide limit pauses that method for every conversation, not only the one that met it;
a 429 a conversation's own pace explains pauses that conversation only. Time is the test's clock."""

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.config import AppConfig
from bot.context import Core
from bot.message import Message
from bot.outbox import OutboxDispatcher
from bot.ratelimit import RateLimiter
from bot.services.delivery import queue_channel_post
from storage.database import Database
from tests.factories import FixedClock
from tests.outbox.fake_platform import RETRY_AFTER_SECONDS, FakeChatPlatform, HttpMessenger
from tests.outbox.test_delivery import drain


class MethodMessenger(HttpMessenger):
    """Every kind goes out through one platform method, as Slack's posts all use chat.postMessage."""

    methods = {"post": "messages.post", "direct": "messages.post", "idea_post": "messages.post"}
    conversation_limits = ((4, 4.0),)


@pytest.fixture
async def setup(config: AppConfig, db: Database, clock: FixedClock, aiohttp_server,  # type: ignore[no-untyped-def]
                ) -> AsyncIterator[tuple[Core, FakeChatPlatform, OutboxDispatcher]]:
    platform = FakeChatPlatform(clock)
    server: TestServer = await aiohttp_server(platform.app())
    core = Core(config, db, platforms=frozenset({"fake"}), clock=clock)
    async with aiohttp.ClientSession() as http:
        messenger = MethodMessenger(str(server.make_url("")).rstrip("/"), http)
        yield core, platform, OutboxDispatcher(core, {"fake": messenger}, concurrency=1,
                                               monotonic=lambda: clock.now.timestamp())


async def queue(core: Core, *conversations: str) -> None:
    async with core.db.transaction() as session:
        for conversation in conversations:
            await queue_channel_post(core, session, f"fake:{conversation}", Message(text=f"to {conversation}"))


async def test_a_method_wide_429_pauses_every_conversation(setup, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    core, platform, dispatcher = setup
    await queue(core, "C1", "C2", "C3")
    platform.rate_limit_next = 1  # the platform's method-wide allowance is spent

    assert await dispatcher.deliver_due() == 1  # C1 meets the 429
    for _ in range(3):
        assert await dispatcher.deliver_due() == 0  # C2 and C3 wait too: nothing was sent to them yet
    assert platform.accepted == [] and platform.refusals == [429]

    clock.advance(seconds=RETRY_AFTER_SECONDS)
    await drain(core, clock, dispatcher)
    assert sorted(platform.accepted) == [("C1", "to C1"), ("C2", "to C2"), ("C3", "to C3")]
    assert platform.refusals == [429]


async def test_a_429_the_conversation_pace_explains_pauses_that_conversation_only(setup, clock: FixedClock  # type: ignore[no-untyped-def]
                                                                                  ) -> None:
    core, platform, dispatcher = setup
    await queue(core, "C1", "C1", "C2")
    assert await dispatcher.deliver_due() == 1  # C1's first
    platform.rate_limit_next = 1
    assert await dispatcher.deliver_due() == 1  # C1's second: C1 just had a message, so it is C1's pace
    assert await dispatcher.deliver_due() == 1  # C2 is not held back by C1's 429
    assert platform.accepted == [("C1", "to C1"), ("C2", "to C2")] and platform.refusals == [429]


def test_after_a_method_wide_429_the_shared_allowance_keeps_a_wider_margin() -> None:
    limiter = RateLimiter(((4, 4.0),), ((2, 1.0),))
    limiter.record("C1", 0.0)
    limiter.record("C2", 0.0)
    assert limiter.wait_time("C3", 0.5) == pytest.approx(0.5)
    limiter.back_off_method("chat.postMessage", until=0.6)
    assert limiter.method_wait("chat.postMessage", 0.5) == pytest.approx(0.1)
    assert limiter.wait_time("C3", 0.7) == pytest.approx(1.10 - 0.7)  # 10% wider while it recovers
    assert limiter.wait_time("C3", 40.0) == 0.0
