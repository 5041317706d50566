"""Comments: thread replies on idea posts."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Core
from bot.patient_data import refuse_patient_data
from bot.services.validation import clean_text
from storage import ideas, participants
from storage.models import Idea


async def add_comment(
    core: Core, session: AsyncSession, *, idea: Idea, author_ref: str, text: str, source_ref: str | None,
    limit: int | None = None,
) -> bool:
    """Stores the comment; False when that platform message was already stored (edit, retry, replay).

    `limit`: the most characters allowed, `campaign.comment_max_length` unless given (a backed idea's text keeps
    the length it was accepted with as an idea)."""
    limit = core.config.campaign.comment_max_length if limit is None else limit
    cleaned = clean_text(text, what="comment", limit=limit)
    refuse_patient_data(cleaned, what="comment", settings=core.config.data_protection)
    added = await ideas.add_comment(session, idea_id=idea.id, author_ref=author_ref, text=cleaned,  # type: ignore[arg-type]
                                    source_ref=source_ref, now=core.now())
    if added:
        await participants.record_contribution(session, ref=author_ref, now=core.now())
    return added
