"""Giving a theme to a group of ideas, as a theme suggestion's Apply does in chat and on the dashboard: ideas
merged, erased or moved to another challenge since the group was formed are left out, and each idea themed is
in the audit log under whoever applied it. A few statements for the whole group, not a round trip per idea."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Core
from bot.erasure import REMOVED_TEXT
from bot.errors import UserError
from bot.services.delivery import queue_updates_for_ideas
from storage import audit, theming


async def theme_ideas(core: Core, session: AsyncSession, *, numbers: Iterable[int], challenge_key: str,
                      theme: str, by_ref: str) -> list[int]:
    """The numbers of the ideas that now carry `theme` (normalised by the caller) and did not before, in the
    order given."""
    wanted = list(dict.fromkeys(numbers))
    found = await theming.themeable_ideas(session, wanted, challenge_key=challenge_key, removed_text=REMOVED_TEXT)
    missing = next((n for n in wanted if n not in found), None)
    if missing is not None:  # only a hand-made request names one: ideas are never deleted
        raise UserError(f"There is no idea #{missing}. Nothing was changed.")
    # Merged since the group was formed (its survivor speaks for it), erased (nothing left to theme) or moved to
    # another challenge: left out.
    eligible = {idea_id: n for n in wanted if (idea_id := found[n]) is not None}
    now = core.now()
    added = await theming.add_theme_to_ideas(session, idea_ids=list(eligible), theme=theme, added_by=by_ref,
                                             now=now)
    themed = [number for idea_id, number in eligible.items() if idea_id in added]
    if themed:
        await queue_updates_for_ideas(core, session, added)
        await audit.record_many(session, actor_ref=by_ref, action="theme added", now=now,
                                numbered=[(number, theme) for number in themed])
    return themed
