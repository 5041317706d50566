"""Idea hours rehearsed on the playground's rehearsal clock run under a key of their own."""

from __future__ import annotations

from bot.config import IdeaHourConfig
from bot.context import Core

REHEARSAL_SUFFIX = "-rehearsal"


def rehearsal_key(key: str) -> str:
    """An idea hour's key in a playground rehearsal: its own run, so the real hour still starts on time (and the
    posts' tag says it is a rehearsal). Cut to fit the 40 characters of a key."""
    return f"{key[:40 - len(REHEARSAL_SUFFIX)]}{REHEARSAL_SUFFIX}"


def configured_or_rehearsed(core: Core, key: str) -> IdeaHourConfig | None:
    """The hour with this key, or the rehearsal of one (as the rehearsal clock runs it)."""
    hour = core.config.idea_hour(key)
    if hour is not None or not key.endswith(REHEARSAL_SUFFIX):
        return hour
    rehearsed = next((h for h in core.config.idea_hours if rehearsal_key(h.key) == key), None)
    return rehearsed.model_copy(update={"key": key}) if rehearsed else None
