"""Nobody left unheard: ideas no community manager has answered in time, listed to the managers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.compose import idea_line
from bot.context import Core
from bot.message import Message, Section
from bot.services.delivery import queue_direct
from storage.models import Idea
from storage.stats import first_responses


async def unanswered_ideas(core: Core, session: AsyncSession) -> list[Idea]:
    """Ideas with no status change, theme or manager comment after campaign.unanswered_after_days."""
    cutoff = core.now() - timedelta(days=core.config.campaign.unanswered_after_days)
    rows = await first_responses(session, community_managers=core.config.roles.community_managers)
    return [idea for idea, first_at in rows if first_at is None and idea.created_at <= cutoff]


def unanswered_message(core: Core, waiting: list[Idea]) -> Message:
    days = core.config.campaign.unanswered_after_days
    title = f"{len(waiting)} idea(s) with no response after {days} days"
    lines = tuple(f"{idea_line(i)} shared {i.created_at.astimezone(core.timezone):%d %b}" for i in waiting)
    hint = "A comment in the thread, a theme or a status change counts as a response."
    return Message(text=f"{title}\n" + "\n".join(lines) + f"\n{hint}", title=title,
                   sections=(Section("", lines),), context=hint)


async def send_unanswered_list(core: Core, session: AsyncSession) -> int:
    """Queues the list to each community manager; nothing when every idea has been answered."""
    waiting = await unanswered_ideas(core, session)
    if not waiting:
        return 0
    message = unanswered_message(core, waiting)
    return sum([await queue_direct(core, session, ref, message) for ref in core.config.roles.community_managers])
