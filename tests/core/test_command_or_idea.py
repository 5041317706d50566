"""Text that starts with a command word but does not fit the command is never posted on a guess: the person is
asked privately, and their "Post as idea" press posts it."""


import pytest
from sqlalchemy import func, select

from bot.compose import POST_IDEA_ACTION
from bot.context import Core
from bot.events import ActionInvoked, Address
from bot.handler import Bot
from bot.message import Message, Reply
from storage.models import Idea, OutboxMessage, PendingIdea
from tests.factories import FixedClock, actor, say, text_of


async def press(bot: Bot, ref: str, value: str, channel: str | None = "CROTA") -> Reply:
    who = actor(ref)
    return await bot.handle(ActionInvoked(who, Address(who.platform, channel), POST_IDEA_ACTION, value))


async def count(core: Core, model, *where) -> int:  # type: ignore[no-untyped-def]
    async with core.db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(model).where(*where))).scalar_one())


def question(reply: Reply) -> Message:
    (message,) = reply.messages
    assert message.title == "A command or an idea?", message.text
    return message


@pytest.mark.parametrize(("text", "usage"), [
    ("stats please", "`/idea stats`"),
    ("mine <@U123>", "`/idea mine`"),
    ("top up the hand gel in every ward", "`/idea top [challenge] [--by votes|preference]`"),
    ("top snacks", "`/idea top [challenge] [--by votes|preference]`"),  # one word, but no such challenge
    ("compare notes with the night team", "`/idea compare [challenge]"),
    ("compare snacks", "`/idea compare [challenge]"),  # one word, but no such challenge
    ("help staff find the parking", "`/idea help`"),
    ("vote for lunch cover", "`/idea vote #N"),
    ("status updates should be weekly", "`/idea status #N"),
    ("notifications should be quieter", "`/idea notifications on|off`"),
])
async def test_command_words_that_do_not_fit_are_asked_about_privately(
        bot: Bot, core: Core, text: str, usage: str) -> None:
    message = question(await say(bot, "slack:U1", text))
    assert usage in message.text and text in message.text
    (button,) = message.actions
    assert (button.label, button.action_id) == ("Post as idea", POST_IDEA_ACTION)
    assert text not in button.value and len(button.value) >= 20  # a random token, not the text
    assert await count(core, Idea) == 0
    assert await count(core, OutboxMessage) == 0  # nothing posted anywhere


async def test_the_button_posts_the_text_as_the_authors_idea_once(bot: Bot, core: Core) -> None:
    token = question(await say(bot, "slack:U1", "top up the hand gel in every ward", channel="CBREAK")).actions[0].value
    assert "expired or was already used" in text_of(await press(bot, "slack:U2", token))  # not theirs to post
    reply = await press(bot, "slack:U1", token, channel=None)  # e.g. pressed in a direct message
    assert text_of(reply).startswith("Thanks, your idea #1 is in") and reply.changed
    async with core.db.transaction() as session:
        idea = (await session.execute(select(Idea))).scalar_one()
    assert (idea.text, idea.author_ref, idea.anonymous) == ("top up the hand gel in every ward", "slack:U1", False)
    assert idea.challenge_key == "breaks"  # the challenge of the channel it was typed in
    assert await count(core, OutboxMessage, OutboxMessage.kind == "idea_post") == 2  # Slack and playground
    assert "expired or was already used" in text_of(await press(bot, "slack:U1", token))
    assert (await count(core, Idea), await count(core, PendingIdea)) == (1, 0)


@pytest.mark.parametrize("value", ["", "1", "\x00" * 20, "é" * 30, "x" * 500])
async def test_a_button_value_the_bot_never_made_posts_nothing(bot: Bot, core: Core, value: str) -> None:
    reply = await press(bot, "slack:U1", value)
    assert "expired or was already used" in text_of(reply) or not reply.messages
    assert await count(core, Idea) == 0


async def test_a_question_left_unanswered_expires_after_a_day(bot: Bot, core: Core, clock: FixedClock) -> None:
    token = question(await say(bot, "slack:U1", "stats please")).actions[0].value
    clock.advance(days=1, seconds=1)
    assert "expired" in text_of(await press(bot, "slack:U1", token))
    question(await say(bot, "slack:U1", "mine too"))  # asking again clears expired drafts
    assert await count(core, PendingIdea) == 1 and await count(core, Idea) == 0


@pytest.mark.parametrize(("text", "expected"), [
    ("top", "Top ideas"),
    ("top rotas", "Top ideas: Fairer rotas"),
    ("stats", "Participation"),
    ("mine", "Your ideas"),
    ("new top up the hand gel", "Thanks, your idea #1 is in"),
    ("Top-up the hand gel in every ward", "Thanks, your idea #1 is in"),
    ("show #12", "There is no idea #12"),
    ("status #4 finished", "Unknown status 'finished'"),  # an idea number first: only ever the command
])
async def test_commands_that_fit_and_plain_ideas_are_not_asked_about(bot: Bot, text: str, expected: str) -> None:
    reply = await say(bot, "slack:U1", text)
    assert expected in text_of(reply)
    assert all(message.title != "A command or an idea?" for message in reply.messages)


async def test_a_text_that_could_not_be_an_idea_gets_the_usage_without_a_button(bot: Bot, core: Core) -> None:
    reply = await say(bot, "slack:U1", "stats " + "x" * 300)  # over the idea length limit
    assert "`stats` is a command: `/idea stats`" in text_of(reply)
    assert not any(message.actions for message in reply.messages)
    assert await count(core, PendingIdea) == 0


