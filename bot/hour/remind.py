"""The announcements' "Remind me" button: the request is stored once, and at the start each person who asked gets
a private reminder through the outbox (taken once, so replicas and a host's manual start never send it twice)."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import IdeaHourConfig
from bot.context import Core
from bot.errors import UserError
from bot.hour.compose import tag
from bot.hour.rehearsal import configured_or_rehearsed
from bot.message import Message
from bot.services.delivery import queue_directs
from storage import hour_reminders, hours

logger = logging.getLogger(__name__)


async def request_reminder(core: Core, session: AsyncSession, person_ref: str, hour_key: str) -> Message:
    """What the person who pressed "Remind me" is told, privately; pressing twice stores one request."""
    hour = configured_or_rehearsed(core, hour_key)
    if hour is None:
        raise UserError("That idea hour is no longer planned, so there is nothing to remind you of. "
                        "Nothing was changed.")
    run = await hours.get_run(session, hour_key=hour.key)
    if run is not None:
        state = "has ended" if run.ended_at is not None else "has started: join in now, right here"
        raise UserError(f"The idea hour \"{hour.title}\" {state}. Nothing was changed.")
    start = hour.start_at(core.timezone)
    when = f"{start:%A %d %B at %H:%M} ({start:%Z})"
    if not await hour_reminders.request_reminder(session, hour_key=hour.key, person_ref=person_ref, now=core.now()):
        return Message(text=f"You're already on the list: I'll remind you privately when \"{hour.title}\" "
                            f"starts, {when}.")
    return Message(text=f"I'll remind you privately when \"{hour.title}\" starts, {when}. Only you see this.")


def reminder_for_one(hour: IdeaHourConfig) -> Message:
    title = f"The idea hour you asked about is on now: {hour.title}"
    body = (f"Question 1 is up in the channel where it was announced. Answer in each question's thread and react "
            f"to the answers you agree with; drop in for one question or stay for all {len(hour.questions)}.")
    return Message(text=f"{title}\n{body}\n{tag(hour)}", title=title, body=body, context=tag(hour))


async def send_requested(core: Core, session: AsyncSession, hour: IdeaHourConfig) -> int:
    """Queues the private reminders not sent yet; how many. Run with each question posted, so a request that
    raced the start (committed just after it) is still honoured with the next question."""
    people = await hour_reminders.take_unsent(session, hour_key=hour.key, now=core.now())
    if not people:
        return 0
    message = reminder_for_one(hour)
    queued = await queue_directs(core, session, [(person, message) for person in people])
    logger.info("idea hour %s: %d private reminders queued", hour.key, queued)
    return queued
