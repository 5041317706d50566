"""A vote reaction on one's own idea: refused privately; on an anonymous idea, a warning that the reaction shows."""

from sqlalchemy import func, select

from bot.context import Core
from bot.handler import Bot
from storage.models import OutboxMessage, Vote
from tests.core.test_votes import posted
from tests.factories import CM, make_config, react, say, text_of

WARNING = "Slack shows your reaction to everyone, with your name"


async def counts(core: Core) -> tuple[int, int]:
    async with core.db.transaction() as session:
        votes = (await session.execute(select(func.count()).select_from(Vote))).scalar_one()
        queued = (await session.execute(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.kind.in_(["post", "direct"])))).scalar_one()
    return votes, queued


async def test_reacting_to_ones_own_anonymous_idea_warns_privately_that_the_reaction_shows(
        bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", "anon Managers cover lunch breaks")
    await posted(core, 1, "111.1")
    reply = await react(bot, "slack:U1", "111.1", "heart")
    text = text_of(reply)
    assert "Idea #1 is your anonymous idea, so your reaction doesn't count as a vote" in text
    assert WARNING in text and "Removing the reaction keeps you anonymous" in text
    assert await counts(core) == (0, 0)  # only the reply to the person: nothing posted, nothing sent


async def test_the_warning_wins_over_other_refusals_because_the_reaction_shows_anyway(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", "anon Managers cover lunch breaks")
    await posted(core, 1, "111.1")
    await say(bot, CM, "status #1 not_taken_forward No budget this year")
    assert WARNING in text_of(await react(bot, "slack:U1", "111.1"))


async def test_a_named_own_idea_keeps_the_plain_refusal(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", "Managers cover lunch breaks")
    await posted(core, 1, "111.1")
    text = text_of(await react(bot, "slack:U1", "111.1"))
    assert "votes for your own idea don't count" in text and "anonymous" not in text
    assert text_of(await react(bot, "slack:U2", "111.1")) == ""  # other people's votes say nothing


async def test_with_self_votes_on_the_vote_counts_and_the_warning_says_how_to_vote_unseen(core: Core) -> None:
    core.config = make_config(voting={"emoji": ["+1"], "self_votes": True})
    bot = Bot(core)
    await say(bot, "slack:U1", "anon Managers cover lunch breaks")
    await posted(core, 1, "111.1")
    text = text_of(await react(bot, "slack:U1", "111.1"))
    assert "Your vote for your anonymous idea #1 counts, but Slack shows your reaction" in text
    assert "vote with `/idea vote #1` instead" in text
    assert (await counts(core))[0] == 1
