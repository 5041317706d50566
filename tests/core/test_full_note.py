"""The "Read the full note" button's answer: the whole note, never the author of an anonymous idea, and a
clear refusal (nothing changed) for an idea without a note or a number that is not one."""

from __future__ import annotations

import json

from bot.events import ActionInvoked, Address
from bot.handler import Bot
from tests.factories import CM, actor, say, text_of

NOTE = " ".join(f"step{n} & <done>" for n in range(120))  # nearly 2,000 characters


async def press(bot: Bot, value: str, who: str = "slack:U9") -> tuple[str, bool, bool]:
    reply = await bot.handle(ActionInvoked(actor(who), Address("slack", "D9"), "full_note", value))
    return text_of(reply), reply.changed, reply.refused


async def test_the_full_note_is_whole_and_keeps_an_anonymous_author_hidden(bot: Bot) -> None:
    assert "anonymously" in text_of(await say(bot, "slack:USECRET", "anon Quiet rooms for night staff"))
    assert "is now done" in text_of(await say(bot, CM, f"status #1 done {NOTE}"))
    mine = await say(bot, "slack:USECRET", "mine")
    (section,) = mine.first.sections  # type: ignore[union-attr]
    assert [a.action_id if a else None for _, a in section.entries()] == ["full_note"]

    reply = await bot.handle(ActionInvoked(actor("slack:U9"), Address("slack", "D9"), "full_note", "1"))

    (message,) = reply.messages
    assert NOTE in message.text and message.sections[0].lines == (NOTE,)
    assert "USECRET" not in json.dumps(message.to_json()) and not reply.changed


async def test_no_note_or_no_number_is_refused_clearly(bot: Bot) -> None:
    assert "is in" in text_of(await say(bot, "slack:U1", "Rota swaps in the app"))
    assert (await press(bot, "1"))[0] == "Idea #1 has no decision note yet."
    text, changed, refused = await press(bot, "7")
    assert "There is no idea #7" in text and refused and not changed
    assert (await press(bot, "١"))[1:] == (False, False)  # not ASCII digits: nothing happens
