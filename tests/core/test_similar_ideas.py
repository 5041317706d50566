"""'Is your idea one of these?' through the real Bot, on SQLite and, when configured, PostgreSQL: Back #N keeps a
long idea whole as its comment, a button value naming no draft is refused clearly, "Post as idea" goes through the
same check as any submission, and the prompt offers only what its buttons do."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from bot.compose import POST_IDEA_ACTION
from bot.config import AppConfig
from bot.context import Core
from bot.events import ActionInvoked, Address
from bot.handler import Bot
from bot.message import MessageAction, Reply
from storage.models import Comment, Idea, OutboxMessage, Vote
from tests.core.test_votes import posted
from tests.factories import CM, actor, make_config, say, text_of

FIRST = "Let nurses swap shifts through an app instead of the paper book"
SIMILAR = "An app for nurses to swap shifts instead of the paper book, with reminders"
GEL = "Top up the hand gel dispensers on every ward before each night shift starts"
GEL_AGAIN = "top up the hand gel dispensers on every ward before night shifts"  # "top" is also a command
COMMENT_LIMIT = 200


@pytest.fixture
def config() -> AppConfig:
    """Ideas may be much longer than comments, as a campaign may set them (up to 10000 characters each)."""
    return make_config(similarity={"enabled": True},
                       campaign={"name": "Test campaign", "timezone": "Europe/London", "audience_size": 100,
                                 "idea_max_length": 3000, "comment_max_length": COMMENT_LIMIT})


async def press(bot: Bot, ref: str, action: str, value: str, channel: str | None = "CROTA") -> Reply:
    who = actor(ref)
    return await bot.handle(ActionInvoked(who, Address(who.platform, channel), action, value))


def buttons(reply: Reply) -> dict[str, MessageAction]:
    return {action.label: action for message in reply.messages for action in message.actions}


async def choose(bot: Bot, ref: str, reply: Reply, label: str, channel: str | None = "CROTA") -> Reply:
    button = buttons(reply)[label]
    return await press(bot, ref, button.action_id, button.value, channel)


async def rows(core: Core, model, *where):  # type: ignore[no-untyped-def]
    async with core.db.transaction() as session:
        return list((await session.execute(select(model).where(*where))).scalars())


async def count(core: Core, model) -> int:  # type: ignore[no-untyped-def]
    async with core.db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(model))).scalar_one())


async def test_back_keeps_an_idea_longer_than_the_comment_limit_whole_as_its_comment(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", FIRST)
    await posted(core, 1, "1700000000.000100")
    long = ". ".join([SIMILAR] * 12)  # accepted as an idea, though longer than any comment may be
    assert COMMENT_LIMIT < len(long) <= core.config.campaign.idea_max_length
    asked = await say(bot, "slack:U2", long)
    assert set(buttons(asked)) == {"Back #1", "Post mine anyway"}

    answer = await choose(bot, "slack:U2", asked, "Back #1")

    assert not answer.refused, text_of(answer)
    assert text_of(answer) == ("Thanks: you backed #1; your vote is counted and what you wrote is added as a "
                               "comment in its thread. Nothing new was posted.")
    assert [c.text for c in await rows(core, Comment)] == [long]  # whole, not cut to the comment limit
    (in_thread,) = await rows(core, OutboxMessage, OutboxMessage.thread == "1700000000.000100")
    assert long in json.dumps(in_thread.payload) and "U2" not in json.dumps(in_thread.payload)
    assert (await count(core, Vote), await count(core, Idea)) == (1, 1)


async def test_the_answer_to_back_says_only_what_happened(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", FIRST)  # never delivered anywhere yet: there is no thread to post in
    asked = await say(bot, "slack:U2", SIMILAR)

    answer = await choose(bot, "slack:U2", asked, "Back #1")

    assert text_of(answer) == ("Thanks: you backed #1; your vote is counted and what you wrote is added as a "
                               "comment. Nothing new was posted.")
    assert [c.text for c in await rows(core, Comment)] == [SIMILAR]
    assert await rows(core, OutboxMessage, OutboxMessage.thread.is_not(None)) == []


@pytest.mark.parametrize(("action", "value"), [
    ("similar_post", "9999999999"),  # ten digits: past a 32-bit id
    ("similar_post", "999999999999999999"),
    ("similar_back_0", "99999999999:1"),
    ("similar_back_0", "1:9999999999"),
    ("similar_post", "999999999"),  # nine digits: a well-formed id that names no draft
])
async def test_a_draft_id_that_names_no_draft_is_no_longer_open(bot: Bot, core: Core, action: str, value: str
                                                                ) -> None:
    await say(bot, "slack:U1", FIRST)
    await say(bot, "slack:U2", SIMILAR)  # a draft exists, so the lookup really runs

    answer = await press(bot, "slack:U2", action, value)

    assert answer.refused
    assert text_of(answer).startswith("That choice is no longer open. Send your idea again with `/idea")
    assert (await count(core, Idea), await count(core, Vote)) == (1, 0)


async def test_post_as_idea_is_checked_for_similar_ideas_like_any_submission(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", f"new {GEL}", channel="CBREAK")
    question = await say(bot, "slack:U2", GEL_AGAIN, channel="CBREAK")
    assert question.messages[0].title == "A command or an idea?"

    asked = await choose(bot, "slack:U2", question, "Post as idea", channel=None)  # pressed in a direct message

    assert asked.messages[0].title == "Is your idea one of these?", text_of(asked)
    assert "#1" in text_of(asked) and set(buttons(asked)) == {"Back #1", "Post mine anyway"}
    assert await count(core, Idea) == 1  # nothing posted while they decide
    assert "expired or was already used" in text_of(await press(  # the held text moved to the new question
        bot, "slack:U2", POST_IDEA_ACTION, buttons(question)["Post as idea"].value))

    posted_anyway = await choose(bot, "slack:U2", asked, "Post mine anyway", channel=None)

    assert text_of(posted_anyway).startswith("Thanks, your idea #2 is in. It is posted to Better breaks")
    (idea,) = await rows(core, Idea, Idea.number == 2)
    assert (idea.text, idea.author_ref, idea.anonymous, idea.challenge_key) == (
        GEL_AGAIN, "slack:U2", False, "breaks")  # its author, named, in the channel's challenge where it was typed


async def test_post_as_idea_then_back_votes_and_posts_nothing_new(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", f"new {GEL}")
    question = await say(bot, "slack:U2", GEL_AGAIN)

    answer = await choose(bot, "slack:U2", await choose(bot, "slack:U2", question, "Post as idea"), "Back #1")

    assert "you backed #1; your vote is counted" in text_of(answer)
    assert (await count(core, Idea), await count(core, Vote)) == (1, 1)


async def test_post_as_idea_with_nothing_similar_is_posted_at_once(bot: Bot, core: Core) -> None:
    await say(bot, "slack:U1", FIRST)
    question = await say(bot, "slack:U2", GEL_AGAIN)

    answer = await choose(bot, "slack:U2", question, "Post as idea")

    assert text_of(answer).startswith("Thanks, your idea #2 is in")
    assert await count(core, Idea) == 2


@pytest.mark.parametrize("whose", ["own", "closed"])
async def test_when_nothing_can_be_backed_the_prompt_offers_only_posting(bot: Bot, core: Core, whose: str) -> None:
    await say(bot, "slack:U2" if whose == "own" else "slack:U1", FIRST)
    if whose == "closed":
        await say(bot, CM, "status #1 done Shipped")

    asked = await say(bot, "slack:U2", SIMILAR)

    (message,) = asked.messages
    assert [action.label for action in message.actions] == ["Post mine anyway"]
    assert "back it" not in text_of(asked) and "Back #N" not in text_of(asked)
    assert "None of them can take your vote (each is your own or closed)" in (message.body or "")
    assert text_of(asked).endswith("Press Post mine anyway to post it; until then nothing is posted.")


async def test_with_something_to_back_the_prompt_offers_both(bot: Bot) -> None:
    await say(bot, "slack:U1", FIRST)

    asked = await say(bot, "slack:U2", SIMILAR)

    assert "If one says what you meant, back it" in text_of(asked)
    assert text_of(asked).endswith("Choose Back #N or Post mine anyway.")
