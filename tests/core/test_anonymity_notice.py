"""Every confirmation of an anonymous idea says what the platform itself still shows; typed-in-public
text cannot become an anonymous idea."""

from sqlalchemy import func, select

from bot.compose import ANONYMITY_LIMITS
from bot.events import Address, CommandInvoked
from bot.handler import Bot
from storage.models import Idea
from tests.factories import actor, say, text_of


async def test_anonymous_confirmations_say_replies_and_reactions_show_a_name(bot: Bot) -> None:
    anonymous = text_of(await say(bot, "slack:U1", "anon Managers should cover lunch breaks"))
    named = text_of(await say(bot, "slack:U2", "Rota swaps in the app"))
    assert ANONYMITY_LIMITS in anonymous and ANONYMITY_LIMITS not in named
    assert "react" in ANONYMITY_LIMITS and "thread" in ANONYMITY_LIMITS


async def test_anon_typed_where_others_read_it_is_refused_and_stores_nothing(bot: Bot) -> None:
    event = CommandInvoked(actor("teams:aad-alice"), Address("teams", "19:rotas@thread.tacv2"),
                           "anon Managers should cover lunch breaks", "m1", text_is_public=True)
    reply = await bot.handle(event)
    assert "1:1 chat" in text_of(reply) and not reply.changed
    async with bot.core.db.transaction() as session:
        assert (await session.execute(select(func.count()).select_from(Idea))).scalar_one() == 0
