"""Text that is blank once invisible characters are removed is refused; bidi controls are never stored."""

import pytest
from sqlalchemy import func, select

from bot.context import Core
from bot.handler import Bot
from storage.models import Comment, Idea, IdeaTheme, StatusChange
from tests.core.test_votes import posted
from tests.factories import CM, reply_in_thread, say, text_of

INVISIBLE = [
    "\u200b\u200c\u200d",  # zero-width space, non-joiner, joiner
    "\u2060 \ufeff",  # word joiner, byte order mark
    "\u202e\u202d\u202a\u202b\u202c",  # bidi overrides and embeddings
    "\u2066\u2067\u2068\u2069",  # bidi isolates
    "\u200e\u200f\u00ad",  # direction marks, soft hyphen
    "\u3164\u2800",  # blank-looking fillers
]


async def count(core: Core, model) -> int:  # type: ignore[no-untyped-def]
    async with core.db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


@pytest.mark.parametrize("blank", INVISIBLE)
async def test_an_idea_of_invisible_characters_is_refused_clearly(bot: Bot, core: Core, blank: str) -> None:
    for text in (blank, f"anon {blank}", f"new {blank}"):
        reply = await say(bot, "slack:U1", text)
        assert "only invisible characters" in text_of(reply) or "is empty" in text_of(reply), text
    assert await count(core, Idea) == 0


async def test_comments_notes_and_themes_of_invisible_characters_are_refused(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", "Shared handover notes")
    await posted(core, 1, "111.1")
    reply = await reply_in_thread(bot, "slack:U2", "111.1", "\u200b\u2060\u202e", "222.1")
    assert "Your comment has only invisible characters" in text_of(reply)
    assert "Your note has only invisible characters" in text_of(
        await say(bot, CM, "status #1 not_taken_forward \u200b\u200b"))
    assert "Your theme has only invisible characters" in text_of(await say(bot, CM, "theme #1 \u200b\u2066"))
    assert (await count(core, Comment), await count(core, StatusChange), await count(core, IdeaTheme)) == (0, 0, 0)


async def test_bidi_controls_are_removed_from_what_is_stored(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", "Pay \u202eback\u202c the \u2067overtime\u2069 owed")
    await posted(core, 1, "111.1")
    await reply_in_thread(bot, "slack:U2", "111.1", "Agree \u202dfully\u202c", "222.1")
    await say(bot, CM, "status #1 in_progress Payroll \u202eteam\u202c on it")
    async with core.db.transaction() as session:
        idea = (await session.execute(select(Idea))).scalar_one()
        comment = (await session.execute(select(Comment))).scalar_one()
        change = (await session.execute(select(StatusChange))).scalar_one()
    assert idea.text == "Pay back the overtime owed"
    assert comment.text == "Agree fully"
    assert change.note == "Payroll team on it"


async def test_emoji_joined_by_zero_width_joiners_are_kept(bot: Bot, core: Core) -> None:
    family = "Family room \U0001f468\u200d\U0001f469\u200d\U0001f467 on ward 2"
    assert text_of(await say(bot, "slack:U1", family)).startswith("Thanks, your idea #1")
    async with core.db.transaction() as session:
        assert (await session.execute(select(Idea.text))).scalar_one() == family
