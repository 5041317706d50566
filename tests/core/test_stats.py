from bot.context import Core
from bot.handler import Bot
from bot.services.stats import campaign_figures
from tests.core.test_votes import posted
from tests.factories import CM, reply_in_thread, say, text_of


async def test_stats_in_campaign_terms(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", "Idea one")
    await say(bot, "slack:U2", "Idea two")
    await say(bot, "slack:U3", "vote #1")
    await say(bot, "slack:U2", "vote #1")
    await posted(core, 1, "111.1")
    await reply_in_thread(bot, "slack:U4", "111.1", "Yes please", "111.2")
    await reply_in_thread(bot, CM, "111.1", "Thanks, looking into it", "111.3")
    await reply_in_thread(bot, CM, "111.1", "Thanks, looking into it", "111.3")  # an edit/retry of the same reply
    await say(bot, CM, "status #1 taken_forward Agreed at the board")
    async with core.db.transaction() as session:
        figures = await campaign_figures(core, session)
    assert (figures.ideas, figures.comments, figures.votes) == (2, 2, 2)
    assert figures.participants == 5  # U1..U4 and the community manager
    assert figures.community_managers_active == 1
    assert figures.decided == 1
    text = text_of(await say(bot, "slack:U1", "stats"))
    assert "Participation: 5% (5 of 100)" in text
    assert "Ideas with a decision: 50% (1)" in text
