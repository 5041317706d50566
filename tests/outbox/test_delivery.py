"""The outbox through an outage: the platform answers 503, then refuses connections, then rate-limits, then
recovers. Every message arrives exactly once and in order per conversation. Time is the test's clock."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from bot.config import AppConfig
from bot.context import Core
from bot.message import Message
from bot.outbox import OutboxDispatcher
from bot.services.delivery import queue_channel_post, queue_direct
from storage import outbox
from storage.database import Database
from tests.factories import FixedClock
from tests.outbox.fake_platform import FakeChatPlatform, HttpMessenger

EXPECTED = {"C1": [f"C1-{i}" for i in range(5)], "C2": [f"C2-{i}" for i in range(5)],
            "dm:U1": [f"U1-{i}" for i in range(3)]}


@pytest.fixture
def fake_core(config: AppConfig, db: Database, clock: FixedClock) -> Core:
    return Core(config, db, platforms=frozenset({"fake"}), clock=clock)


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session:
        yield session


def dispatcher_for(core: Core, messenger: HttpMessenger, clock: FixedClock) -> OutboxDispatcher:
    return OutboxDispatcher(core, {"fake": messenger}, monotonic=lambda: clock.now.timestamp())


async def queue_campaign_messages(core: Core) -> None:
    async with core.db.transaction() as session:
        for i in range(5):  # interleaved, as a busy campaign writes them
            await queue_channel_post(core, session, "fake:C1", Message(text=f"C1-{i}"))
            await queue_channel_post(core, session, "fake:C2", Message(text=f"C2-{i}"))
            if i < 3:
                await queue_direct(core, session, "fake:U1", Message(text=f"U1-{i}"))


def _aware(value: datetime | str | None) -> datetime | None:
    if isinstance(value, str):  # MIN() loses the column type on SQLite
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


async def step(core: Core, clock: FixedClock, *dispatchers: OutboxDispatcher) -> int:
    """One delivery round; when nothing was sendable, moves the clock on to the next due time."""
    sent = sum(await asyncio.gather(*(d.deliver_due() for d in dispatchers)))
    if sent:
        return sent
    async with core.db.transaction() as session:
        due = _aware(await outbox.next_due_at(session, platforms=["fake"]))
    if due is not None:
        clock.now = max(due, clock.now + timedelta(seconds=1))
    return 0


async def drain(core: Core, clock: FixedClock, *dispatchers: OutboxDispatcher, max_rounds: int = 400) -> None:
    for _ in range(max_rounds):
        async with core.db.transaction() as session:
            if await outbox.pending_count(session) == 0:
                return
        await step(core, clock, *dispatchers)
    raise AssertionError("the outbox did not drain within the rounds allowed")


def delivered_by_conversation(platform: FakeChatPlatform) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for conversation, text in platform.accepted:
        result.setdefault(conversation, []).append(text)
    return result


async def test_an_outage_then_429s_then_recovery_loses_and_duplicates_nothing(
    fake_core: Core, clock: FixedClock, http: aiohttp.ClientSession
) -> None:
    platform = FakeChatPlatform(clock, down=True)
    server = TestServer(platform.app(), host="127.0.0.1")
    await server.start_server()
    port = server.port
    dispatcher = dispatcher_for(fake_core, HttpMessenger(f"http://127.0.0.1:{port}", http), clock)
    await queue_campaign_messages(fake_core)
    try:
        for _ in range(4):
            await step(fake_core, clock, dispatcher)
        assert platform.accepted == [] and set(platform.refusals) == {503}
        await server.close()  # now the platform refuses connections
        for _ in range(4):
            await step(fake_core, clock, dispatcher)
        async with fake_core.db.transaction() as session:
            assert await outbox.pending_count(session) == 13  # nothing lost, nothing given up
        server = TestServer(platform.app(), host="127.0.0.1", port=port)
        await server.start_server()
        platform.down, platform.rate_limit_next = False, 4
        await drain(fake_core, clock, dispatcher)
    finally:
        await server.close()
    assert delivered_by_conversation(platform) == EXPECTED
    assert platform.refusals.count(429) == 4  # the pacing itself never tripped the per-conversation limit


async def test_two_dispatchers_on_one_database_deliver_each_message_once(
    database_url: str, fake_core: Core, clock: FixedClock, http: aiohttp.ClientSession
) -> None:
    platform = FakeChatPlatform(clock)
    server = TestServer(platform.app(), host="127.0.0.1")
    await server.start_server()
    other_db = Database(database_url)
    try:
        messenger = HttpMessenger(f"http://127.0.0.1:{server.port}", http)
        other = Core(fake_core.config, other_db, platforms=fake_core.platforms, clock=clock)
        await queue_campaign_messages(fake_core)
        await drain(fake_core, clock, dispatcher_for(fake_core, messenger, clock), dispatcher_for(other, messenger,
                                                                                                   clock))
    finally:
        await other_db.dispose()
        await server.close()
    assert delivered_by_conversation(platform) == EXPECTED


async def test_a_delivery_that_crashed_is_retried_after_its_lease_and_the_late_one_records_nothing(
    fake_core: Core, clock: FixedClock, http: aiohttp.ClientSession
) -> None:
    platform = FakeChatPlatform(clock)
    server = TestServer(platform.app(), host="127.0.0.1")
    await server.start_server()
    try:
        messenger = HttpMessenger(f"http://127.0.0.1:{server.port}", http)
        async with fake_core.db.transaction() as session:
            await queue_channel_post(fake_core, session, "fake:C1", Message(text="only once"))
        crashed = dispatcher_for(fake_core, messenger, clock)
        (lease,) = await crashed._claim()  # claimed, then the process died before sending
        survivor = dispatcher_for(fake_core, messenger, clock)
        assert await survivor.deliver_due() == 0  # still leased to the crashed one
        clock.advance(seconds=61)
        assert await survivor.deliver_due() == 1
        async with fake_core.db.transaction() as session:
            late = await outbox.mark_sent(session, message_id=lease.row.id, attempt=lease.attempt,
                                          platform_message_id="stale", now=clock.now)
            assert late is False
            assert await outbox.pending_count(session) == 0
    finally:
        await server.close()
    assert platform.accepted == [("C1", "only once")]
