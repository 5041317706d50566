"""Giving a theme to a group of ideas, as a theme suggestion's Apply does in chat and on the dashboard: ideas
merged, erased or moved to another challenge since the group was formed are left out, and each idea themed is
in the audit log under whoever applied it."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Core
from bot.erasure import REMOVED_TEXT
from bot.errors import UserError
from bot.services import ideas, moderation
from storage import audit


async def theme_ideas(core: Core, session: AsyncSession, *, numbers: Iterable[int], challenge_key: str,
                      theme: str, by_ref: str) -> list[int]:
    """The numbers of the ideas that now carry `theme` (normalised by the caller) and did not before."""
    themed = []
    for number in numbers:
        idea = await ideas.find_idea(session, number)
        if idea.merged_into_id is not None:
            continue  # merged since the group was formed: its survivor speaks for it
        if idea.text == REMOVED_TEXT or idea.challenge_key != challenge_key:
            continue  # erased since (nothing left to theme), or moved to another challenge
        try:
            await moderation.change_theme(core, session, idea=idea, theme=theme, remove=False, by_ref=by_ref)
        except UserError:
            continue  # it already had this theme
        await audit.record(session, actor_ref=by_ref, action="theme added", idea_number=number, detail=theme,
                           now=core.now())
        themed.append(number)
    return themed
