"""Acknowledgement rate: the share of ideas a community manager answered within the configured days."""

from bot.context import Core
from bot.handler import Bot
from bot.services.stats import acknowledgement_rate
from tests.core.test_votes import posted
from tests.factories import CM, FixedClock, reply_in_thread, say


async def rate(core: Core) -> float | None:
    async with core.db.transaction() as session:
        return await acknowledgement_rate(core, session)


async def test_rate_counts_answers_within_the_window(bot: Bot, core: Core, clock: FixedClock) -> None:
    assert await rate(core) is None  # no idea yet: no rate, not 0%
    for text in ("Answered quickly", "Answered late", "Never answered", "Themed quickly", "Staff comment only"):
        await say(bot, "slack:U1", text)
    await posted(core, 5, "555.5")
    clock.advance(days=2)
    await say(bot, CM, "status #1 under_review")
    await say(bot, CM, "theme #4 rotas")
    await reply_in_thread(bot, "slack:U2", "555.5", "Me too", "555.6")  # staff comments are not a response
    clock.advance(days=8)
    await say(bot, CM, "status #2 under_review")
    await say(bot, "slack:U1", "Brand new idea")  # its 5-day window is still open: not counted yet
    # Eligible: #1..#5 (all older than 5 days); answered in time: #1 and #4.
    assert await rate(core) == 2 / 5
    clock.advance(days=6)  # now the new idea's window has passed too, unanswered
    assert await rate(core) == 2 / 6
