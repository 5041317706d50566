"""Texts that start with a command word but do not fit it: asked about privately, posted on the author's press."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.compose import command_or_idea, help_message
from bot.context import Core
from bot.errors import UserError
from bot.events import Actor, Address
from bot.grammar import usage_of
from bot.message import Message
from bot.services.ideas import resolve_challenge
from bot.services.validation import clean_text
from bot.similarity.choice import submit_or_ask
from storage import pending_ideas

HOLD_FOR = timedelta(days=1)
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")
def expired(command_word: str) -> str:
    return ("That button has expired or was already used, so nothing was posted. To share the idea, type it "
            f"again starting with `{command_word} new`, e.g. `{command_word} new top up the hand gel`.")


async def ask_command_or_idea(
    core: Core, session: AsyncSession, *, actor: Actor, address: Address, keyword: str, text: str,
    command_word: str,
) -> Message:
    """The private question, with a "Post as idea" button whose value is a random token for the held text."""
    usage = f"`{command_word} {usage_of(keyword)}`"
    try:
        challenge = resolve_challenge(core, None, platform=address.platform, conversation=address.conversation)
        clean_text(text, what="idea", limit=core.config.campaign.idea_max_length)
    except UserError:  # it could not be posted as an idea anyway: explain the command only
        return help_message(core.roles(actor.ref), f"`{keyword}` is a command: {usage}", command_word)
    token = secrets.token_urlsafe(18)
    now = core.now()
    await pending_ideas.forget_pending_before(session, cutoff=now - HOLD_FOR)
    await pending_ideas.hold_text(session, token=token, author_ref=actor.ref, challenge_key=challenge.key, text=text,
                            now=now)
    return command_or_idea(keyword, usage, text, challenge.title, token, command_word)


async def post_pending(core: Core, session: AsyncSession, *, actor: Actor, token: str) -> Message:
    """Submits the held text as its author's idea (only they can, and only once), through the same similar-ideas
    check as any submission: it may come back as "Is your idea one of these?" instead of being posted."""
    expired_text = expired(core.command_word(actor.platform))
    if not TOKEN_SHAPE.fullmatch(token):  # a button value we never made: no need to ask the database
        raise UserError(expired_text)
    pending = await pending_ideas.take_pending(session, token=token, author_ref=actor.ref)
    if pending is None or _aware(pending.created_at) < core.now() - HOLD_FOR:
        raise UserError(expired_text)
    challenge = core.config.challenge(pending.challenge_key)
    if challenge is None:
        raise UserError(expired_text)
    # Never anonymous: "anon <text>" is always an idea, so only a named text is ever held here.
    return await submit_or_ask(core, session, author_ref=pending.author_ref, challenge=challenge, text=pending.text,
                               anonymous=False)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)  # SQLite returns naive UTC
