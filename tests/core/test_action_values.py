"""A Vote button's value reaches the core as text from any platform: only plain ASCII idea numbers are votes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.compose import VOTE_ACTION
from bot.context import Core
from bot.events import ActionInvoked, Address
from bot.handler import Bot
from storage.models import Vote
from tests.factories import actor, say


@pytest.mark.parametrize("value", ["١", "²", "1e3", " 1", "-1", "1.0", "9" * 20])
async def test_a_vote_value_that_is_not_a_plain_number_counts_nothing(bot: Bot, core: Core, value: str) -> None:
    await say(bot, "slack:U1", "Self-rostering app")
    voter = actor("slack:U2")
    reply = await bot.handle(ActionInvoked(voter, Address("slack", "CROTA"), VOTE_ACTION, value))

    assert not reply.changed
    async with core.db.transaction() as session:
        assert (await session.execute(select(func.count()).select_from(Vote))).scalar_one() == 0


async def test_a_plain_number_is_a_vote(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", "Self-rostering app")
    reply = await bot.handle(ActionInvoked(actor("slack:U2"), Address("slack", "CROTA"), VOTE_ACTION, "1"))
    assert reply.changed
