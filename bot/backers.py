"""The weekly "what happened to the ideas you backed": one message per person, only when something did."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.ext.asyncio import AsyncSession

from bot.compose import note_action, note_excerpt, shorten, status_label
from bot.context import Core
from bot.digest import Period
from bot.message import Message, MessageAction, Section
from bot.services.delivery import queue_direct
from storage import digests, ideas
from storage.models import Idea, StatusChange

OPT_OUT = "You get this because you voted or commented. Turn it off with: notifications off."


def backed_line(idea: Idea, change: StatusChange) -> str:
    note = f": {note_excerpt(change.note, idea.number)}" if change.note else ""
    return f"#{idea.number} {shorten(idea.text)} is now {status_label(change.to_status)}{note}"


BACKED_LIMIT = 20  # lines in one message; someone who backed more hears how many more there were


def backers_message(lines: list[str], note_buttons: list[MessageAction | None] | None = None) -> Message:
    title = "What happened to the ideas you backed"
    summary = f"{title}: {len(lines)} update{'s' if len(lines) != 1 else ''}"
    buttons = tuple((note_buttons or [])[:BACKED_LIMIT])
    if len(lines) > BACKED_LIMIT:
        lines = lines[:BACKED_LIMIT] + [f"...and {len(lines) - BACKED_LIMIT} more (all of them are on the "
                                        "dashboard)."]
    return Message(text=f"{title}\n" + "\n".join(lines) + f"\n{OPT_OUT}", summary=summary, title=title,
                   sections=(Section("", tuple(lines), buttons),), context=OPT_OUT)


async def send_backers_digest(core: Core, session: AsyncSession, period: Period) -> int:
    """Queues one message per backer of an idea whose status changed; returns how many were queued.

    Authors are left out (they heard at once when the status changed), as is anyone who turned
    notifications off.
    """
    latest: dict[int, tuple[StatusChange, Idea]] = {}
    for change, idea in await ideas.status_changes_between(session, start=period.start, end=period.end):
        latest[idea.id] = (change, idea)  # type: ignore[index]
    backing = await digests.backers_of(session, idea_ids=latest)
    per_person: dict[str, list[int]] = defaultdict(list)
    for ref, idea_id in backing:
        if ref != latest[idea_id][1].author_ref:
            per_person[ref].append(idea_id)
    muted = await digests.notifications_off(session, refs=per_person)
    queued = 0
    for ref in sorted(per_person):
        if ref in muted:
            continue
        backed = sorted(per_person[ref], key=lambda idea_id: latest[idea_id][1].number)
        lines = [backed_line(latest[i][1], latest[i][0]) for i in backed]
        buttons = [note_action(latest[i][0].note, latest[i][1].number) for i in backed]
        queued += await queue_direct(core, session, ref, backers_message(lines, buttons))
    return queued
