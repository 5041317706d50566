"""`/idea forget me`: a person erases themselves, after a confirmation step that says what it does."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Core
from bot.erasure import forget_person
from bot.message import Message


def explanation(core: Core, command_word: str) -> str:
    contributions = ("your ideas and comments stay, shown as from \"a former participant\"" if
                     core.config.data_protection.erasure == "anonymise" else
                     "the text of your ideas and your comments is deleted (idea numbers and decisions stay)")
    return (f"This removes everything that links you to this campaign: your votes are taken back and every count "
            f"updates, {contributions}, and your name, preferences and the bot's way of reaching you are deleted. "
            f"It cannot be undone. What you wrote or reacted on the platform itself (thread replies, reactions) "
            f"belongs to the platform: delete those there. To go ahead, send `{command_word} forget me confirm`.")


async def forget_me(core: Core, session: AsyncSession, ref: str, *, confirmed: bool, command_word: str) -> Message:
    if not confirmed:
        return Message(text=explanation(core, command_word))
    await forget_person(core, session, ref, requested_by="self")
    return Message(text="Done: you are forgotten by Crowdbot. Thank you for taking part.")
