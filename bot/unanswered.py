"""Nobody left unheard: ideas no community manager has answered in time, listed to the managers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.compose import idea_line
from bot.context import Core
from bot.message import Message, Section
from bot.services.delivery import queue_direct
from storage.models import Idea
from storage.stats import unanswered

LIST_LIMIT = 25  # the oldest first; the title gives the full count


async def unanswered_ideas(core: Core, session: AsyncSession) -> tuple[list[Idea], int]:
    """Ideas with no status change, theme or manager comment after campaign.unanswered_after_days: the oldest
    LIST_LIMIT of them, and how many there are."""
    cutoff = core.now() - timedelta(days=core.config.campaign.unanswered_after_days)
    return await unanswered(session, community_managers=core.config.roles.community_managers,
                            created_before=cutoff, limit=LIST_LIMIT)


def unanswered_message(core: Core, waiting: list[Idea], total: int) -> Message:
    days = core.config.campaign.unanswered_after_days
    title = f"{total} idea(s) with no response after {days} days"
    lines = tuple(f"{idea_line(i)} shared {i.created_at.astimezone(core.timezone):%d %b}" for i in waiting)
    if total > len(waiting):
        lines += (f"...and {total - len(waiting)} more, newer ones (all of them are on the dashboard).",)
    hint = "A comment in the thread, a theme or a status change counts as a response."
    return Message(text=f"{title}\n" + "\n".join(lines) + f"\n{hint}", summary=title, title=title,
                   sections=(Section("", lines),), context=hint)


async def send_unanswered_list(core: Core, session: AsyncSession) -> int:
    """Queues the list to each community manager; nothing when every idea has been answered."""
    waiting, total = await unanswered_ideas(core, session)
    if not waiting:
        return 0
    message = unanswered_message(core, waiting, total)
    return sum([await queue_direct(core, session, ref, message) for ref in core.config.roles.community_managers])
