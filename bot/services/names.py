"""Learning how people are shown: names from the platforms, stored, and the posts that show them refreshed."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Core
from bot.services.delivery import queue_updates_for_ideas
from storage import display_names

logger = logging.getLogger(__name__)


async def record_names(core: Core, session: AsyncSession, names: dict[str, str], *, refreshed: bool = False) -> bool:
    """Stores the names in the caller's transaction. Where a name is new or changed, the idea posts that show
    it are queued for an update, so a post delivered before the name was known stops showing the raw id.
    Returns whether any outgoing message was queued."""
    changed = await display_names.save_names(session, names=names, now=core.now(), refreshed=refreshed)
    ideas = await display_names.named_idea_ids(session, refs=changed)
    if ideas:
        await queue_updates_for_ideas(core, session, ideas)
    return bool(ideas)
