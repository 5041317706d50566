"""A busy week: the digest shows the latest decisions and new ideas, and says how many more there were."""

from datetime import timedelta

from bot.context import Core
from bot.digest import LIST_LIMIT, SAID_DID_LIMIT, Period, compose_digest
from bot.handler import Bot
from tests.factories import CM, FixedClock, say


async def test_a_busy_week_is_summarised_not_listed_in_full(bot: Bot, core: Core, clock: FixedClock) -> None:
    start = clock.now
    for number in range(1, 26):
        await say(bot, f"slack:U{number}", f"Idea {number}")
        await say(bot, CM, f"status #{number} under_review Looking at it")
    await say(bot, CM, "status #3 taken_forward Agreed")  # a second decision on one idea counts once
    clock.advance(minutes=5)
    async with core.db.transaction() as session:
        message = await compose_digest(core, session, Period(start - timedelta(seconds=1), clock.now),
                                       for_leaders=True)
    said_did = next(section for section in message.sections if section.heading == "You said, we did")
    assert len(said_did.lines) == SAID_DID_LIMIT + 1
    assert said_did.lines[-1].startswith("...and 5 more decisions")
    assert any("#3) / We did: Agreed" in line for line in said_did.lines)  # the latest decision, newest first
    new = next(section for section in message.sections if section.heading == "New ideas")
    assert len(new.lines) == LIST_LIMIT + 1 and new.lines[-1].startswith("...and 15 more new ideas")
    assert dict((f.label, f.value) for f in message.fields)["New this period"] == "25"
