"""The dispatcher's idle poll (once a second) looks before it claims: with nothing due it opens no write
transaction and locks no row; with something due it delivers as before. Time is the test's clock."""

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.context import Core
from bot.message import Message
from bot.outbox import OutboxDispatcher
from bot.services.delivery import queue_channel_post
from tests.factories import FixedClock
from tests.outbox.fake_platform import FakeChatPlatform, HttpMessenger
from tests.outbox.test_delivery import dispatcher_for, fake_core, http  # noqa: F401 (fixtures)
from tests.sql_watch import assert_nothing_locked, statements_sent


@pytest.fixture
async def platform_and_dispatcher(fake_core: Core, clock: FixedClock, http: aiohttp.ClientSession  # noqa: F811
                                  ) -> AsyncIterator[tuple[FakeChatPlatform, OutboxDispatcher]]:
    platform = FakeChatPlatform(clock)
    server = TestServer(platform.app(), host="127.0.0.1")
    await server.start_server()
    yield platform, dispatcher_for(fake_core, HttpMessenger(f"http://127.0.0.1:{server.port}", http), clock)
    await server.close()


async def test_an_idle_poll_opens_no_write_transaction(
    fake_core: Core, platform_and_dispatcher: tuple[FakeChatPlatform, OutboxDispatcher]  # noqa: F811
) -> None:
    platform, dispatcher = platform_and_dispatcher
    with statements_sent(fake_core) as sent:
        assert await dispatcher.deliver_if_due() == 0
    assert_nothing_locked(fake_core, sent)
    assert platform.accepted == []


async def test_a_poll_delivers_what_is_due_and_waits_for_what_is_not(
    fake_core: Core, clock: FixedClock,  # noqa: F811
    platform_and_dispatcher: tuple[FakeChatPlatform, OutboxDispatcher],
) -> None:
    platform, dispatcher = platform_and_dispatcher
    async with fake_core.db.transaction() as session:
        await queue_channel_post(fake_core, session, "fake:C1", Message(text="Today's question"))
    clock.advance(hours=1)  # queued "in an hour": due then
    async with fake_core.db.transaction() as session:
        await queue_channel_post(fake_core, session, "fake:C2", Message(text="Tomorrow's question"))
    clock.advance(hours=-1)
    assert await dispatcher.deliver_if_due() == 1
    assert platform.accepted == [("C1", "Today's question")]
    with statements_sent(fake_core) as sent:
        assert await dispatcher.deliver_if_due() == 0  # the other is not due for an hour
    assert_nothing_locked(fake_core, sent)
    clock.advance(hours=1)
    assert await dispatcher.deliver_if_due() == 1
    assert platform.accepted[-1] == ("C2", "Tomorrow's question")
