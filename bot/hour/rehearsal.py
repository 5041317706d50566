"""Idea hours rehearsed on the playground's rehearsal clock run under a key of their own, and can run again."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import REHEARSAL_SUFFIX, IdeaHourConfig
from bot.context import Core
from storage import hour_rehearsals

logger = logging.getLogger(__name__)

__all__ = ["REHEARSAL_SUFFIX", "configured_or_rehearsed", "is_rehearsal", "rehearsal_key", "replace_previous"]


def rehearsal_key(key: str) -> str:
    """An idea hour's key in a playground rehearsal: its own run, so the real hour still starts on time (and the
    posts' tag says it is a rehearsal). Cut to fit the 40 characters of a key."""
    return f"{key[:40 - len(REHEARSAL_SUFFIX)]}{REHEARSAL_SUFFIX}"


def is_rehearsal(key: str) -> bool:
    return key.endswith(REHEARSAL_SUFFIX)


def configured_or_rehearsed(core: Core, key: str) -> IdeaHourConfig | None:
    """The hour with this key, or the rehearsal of one (as the rehearsal clock runs it)."""
    hour = core.config.idea_hour(key)
    if hour is not None or not is_rehearsal(key):
        return hour
    rehearsed = next((h for h in core.config.idea_hours if rehearsal_key(h.key) == key), None)
    return rehearsed.model_copy(update={"key": key}) if rehearsed else None


async def replace_previous(session: AsyncSession, key: str) -> str:
    """Before a rehearsal starts again: the previous rehearsal's run, its posts' records, answers and agreements
    go (they are rehearsal data only), so the new one starts afresh. A note for the host; "" when there was none.
    Never for a real hour's key: that run is the hour's record."""
    if not is_rehearsal(key):
        return ""
    answers = await hour_rehearsals.delete_run(session, hour_key=key)
    if answers is None:
        return ""
    logger.info("idea hour rehearsal %s: the previous rehearsal's run (%d answers) was replaced", key, answers)
    return f"the previous rehearsal's run ({answers} answer{'' if answers == 1 else 's'}) was replaced"
