"""What one person sees on pressing a button: an idea card as it is for them, a decision's whole note."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.compose import Viewer, full_note_message, idea_card
from bot.context import Core
from bot.errors import UserError
from bot.message import Message
from bot.services.ideas import find_idea, idea_views
from storage import ideas

MAX_NUMBER_DIGITS = 9


def idea_number(value: str) -> int | None:
    """A button's idea number: ASCII digits only ("١٢" is digits to isdigit() and 12 to int())."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= MAX_NUMBER_DIGITS else None


async def personal_card(core: Core, session: AsyncSession, number: int, ref: str) -> Message:
    """Idea #number's card as `ref` sees it: their own idea, their vote, how it was decided."""
    idea = await find_idea(session, number)
    (view,) = await idea_views(core, session, [idea], viewers=True)
    backs = await ideas.has_voted(session, idea_id=idea.id, voter_ref=ref)  # type: ignore[arg-type]
    return idea_card(view, core.config.voting.emoji, Viewer(own=idea.author_ref == ref, backs=backs))


async def full_note(core: Core, session: AsyncSession, number: int) -> Message:
    """Idea #number's latest decision note, whole."""
    idea = await find_idea(session, number)
    (view,) = await idea_views(core, session, [idea])
    if view.last_decision is None or not view.last_decision.note:
        raise UserError(f"Idea #{number} has no decision note yet.")
    return full_note_message(idea, view.last_decision)
