"""Direct messages to several people (a fika group's DM) through the real Slack Messenger: each costs a
conversations.open (Tier 3, 50 a minute), which the dispatcher paces before calling rather than meeting 429s,
and while it waits, messages queued after the groups still go out. Time is the test's clock."""

from typing import Any

from benchmarks.slack_tiers import SlackLimits
from bot.config import AppConfig
from bot.context import Core
from bot.message import Message
from bot.outbox import OutboxDispatcher
from bot.services.delivery import queue_directs
from storage.database import Database
from tests.factories import FixedClock
from tests.slack.fake_slack import FakeSlack
from tests.slack.test_messenger import messenger_for

GROUPS = 60  # more than one minute's allowance of conversations.open


async def deliver_until_idle(dispatcher: OutboxDispatcher) -> None:
    while await dispatcher.deliver_due():
        pass


def posted_to(fake: FakeSlack) -> list[str]:
    return [call.args["channel"] for call in fake.answered("chat.postMessage")]


async def test_group_dms_open_at_their_tier_without_429s_and_hold_up_nothing_else(
        config: AppConfig, db: Database, clock: FixedClock, aiohttp_server: Any) -> None:
    fake = FakeSlack(limits=SlackLimits(clock=lambda: clock.now.timestamp()))
    server = await aiohttp_server(fake.app())
    fake.base_url = str(server.make_url("/api/"))
    core = Core(config, db, platforms=frozenset({"slack"}), clock=clock)
    # A small batch: without leaving waiting groups out of the query, they would fill it and hide the rest.
    dispatcher = OutboxDispatcher(core, {"slack": messenger_for(fake.base_url)}, batch_size=10,
                                  monotonic=lambda: clock.now.timestamp())
    async with db.transaction() as session:
        await queue_directs(core, session, [(f"slack:UA{i},UB{i}", Message(text=f"group {i}"))
                                            for i in range(GROUPS)])
        await queue_directs(core, session, [("slack:ULATE", Message(text="queued after the groups"))])

    await deliver_until_idle(dispatcher)
    assert len(fake.of("conversations.open")) == 50  # the minute's allowance, and not one call more
    assert fake.limits.rate_limited == {}
    clock.advance(seconds=2)  # past the posts' one-second window, well inside the opens' minute
    await deliver_until_idle(dispatcher)
    assert "ULATE" in posted_to(fake)  # not stuck behind the groups waiting for their open
    assert len(fake.of("conversations.open")) == 50

    clock.advance(seconds=61)
    await deliver_until_idle(dispatcher)
    assert len(fake.of("conversations.open")) == GROUPS
    assert sorted(posted_to(fake)) == sorted([*(f"GUA{i}UB{i}" for i in range(GROUPS)), "ULATE"])
    assert fake.limits.rate_limited == {}
