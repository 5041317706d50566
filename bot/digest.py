"""The "you said, we did" digest: what changed in a period, for leaders (direct messages) and the community."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.compare.ranking import preference_label, top_by_preference
from bot.compose import author_label, idea_line, note_action, note_excerpt, percent, shorten, status_label
from bot.context import Core
from bot.message import Message, MessageAction, MessageField, Section
from bot.services.delivery import queue_channel_post, queue_direct
from bot.services.stats import acknowledgement_rate, campaign_figures
from storage import claims, digests, ideas, participants
from storage.models import Idea, StatusChange

logger = logging.getLogger(__name__)

DEFAULT_PERIOD = timedelta(days=7)
UNDECIDED = ("new", "under_review")
LIST_LIMIT = 10
SAID_DID_LIMIT = 20
PREFERRED_LIMIT = 5
PREFERRED_HEADING = "Preferred in A or B?"


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime


async def period_since_last(session: AsyncSession, *, job_id: str, end: datetime) -> Period:
    """Since the previous fire of this digest job, or the last seven days when there was none."""
    previous = await claims.previous_fire(session, job_id=job_id, before=end)
    return Period(previous or end - DEFAULT_PERIOD, end)


def said_did_line(idea: Idea, change: StatusChange) -> str:
    """One decision, bounded (about 450 characters at most) whatever the idea and note ran to."""
    did = note_excerpt(change.note, idea.number) if change.note else f"moved it to {status_label(change.to_status)}"
    return f"You said: {shorten(idea.text)} (#{idea.number}) / We did: {did} [{status_label(change.to_status)}]"


def dashboard_pointer(core: Core) -> str:
    url = core.config.campaign.dashboard_url
    return f"all of them are on the dashboard: {url}" if url else "all of them are on the dashboard"


def _and_more(core: Core, lines: list[str], total: int, what: str) -> list[str]:
    # A national campaign decides thousands of ideas a week: the digest shows the latest, and says so.
    hidden = total - len(lines)
    return lines + [f"...and {hidden} more {what} this period ({dashboard_pointer(core)})."] if hidden > 0 \
        else lines


async def _said_did(core: Core, session: AsyncSession, period: Period
                    ) -> tuple[list[str], list[MessageAction | None], int]:
    """The latest decisions as lines, the "Read the full note" button of each shortened one, and the total."""
    latest, total = await ideas.latest_decisions_between(session, start=period.start, end=period.end,
                                                         limit=SAID_DID_LIMIT)
    lines = _and_more(core, [said_did_line(idea, change) for change, idea in latest], total, "decisions")
    return lines, [note_action(change.note, idea.number) for change, idea in latest], total


async def _new_ideas(core: Core, session: AsyncSession, period: Period) -> tuple[list[str], int]:
    """The first new ideas of the period as lines, and how many there were in all."""
    total = await ideas.count_ideas_created_between(session, start=period.start, end=period.end)
    fresh = await ideas.ideas_created_between(session, start=period.start, end=period.end, limit=LIST_LIMIT)
    names = await participants.display_names(session, refs={i.author_ref for i in fresh if not i.anonymous})
    lines = [f"#{i.number} {shorten(i.text)} (by {author_label(i, names)})" for i in fresh]
    return _and_more(core, lines, total, "new ideas"), total


async def _themes(core: Core, session: AsyncSession, period: Period) -> tuple[str, ...]:
    """Themes managers accepted this period, so participants see how their ideas are being grouped."""
    themes = await digests.themes_added_between(session, start=period.start, end=period.end, limit=LIST_LIMIT)
    return tuple(f"{shorten(theme, 60)}: {count} idea{'s' if count != 1 else ''}; most backed "
                 f"{idea_line(leader, leader.vote_count)}" for theme, count, leader in themes)


async def _awaiting(core: Core, session: AsyncSession, now: datetime) -> tuple[str, ...]:
    """The oldest ideas still waiting for a decision; when none, a statement that is true as worded."""
    days = core.config.campaign.waiting_decision_days
    waiting = await digests.awaiting_decision(session, created_before=now - timedelta(days=days),
                                              undecided=UNDECIDED, limit=LIST_LIMIT + 1)
    if not waiting:
        return (f"None: no idea has waited over {days} days for a decision.",)
    lines = [f"{idea_line(i)} waiting {(now - i.created_at).days} days" for i in waiting[:LIST_LIMIT]]
    if len(waiting) > LIST_LIMIT:
        lines.append(f"...and more waiting ({dashboard_pointer(core)}).")
    return tuple(lines)


async def _preferred(session: AsyncSession) -> tuple[str, ...]:
    """Beside the votes: the ideas people chose most often in "A or B?" (same number of lines as the votes list)."""
    ranked = await top_by_preference(session, limit=PREFERRED_LIMIT)
    if not ranked:
        return ("No A or B? answers yet.",)
    return tuple(f"{idea_line(r.idea)} {preference_label(r.preference)}" for r in ranked)


async def draw_digest_chart(core: Core) -> bytes:
    """The campaign chart as PNG: the timeline read on a read-only snapshot (on SQLite outside the write lock:
    at 100,000 ideas the read takes about a quarter of a second, which votes would otherwise wait out), drawn in
    a worker thread so votes keep flowing, and before the caller opens the transaction that queues the digest."""
    from bot.chart import campaign_chart_png  # matplotlib loads only when a digest is drawn
    from bot.services.timeline import campaign_timeline

    async with core.db.snapshot() as session:
        points = await campaign_timeline(core, session)
    return await asyncio.to_thread(campaign_chart_png, points, audience_size=core.config.campaign.audience_size,
                                   title="Participation and ideas")


async def compose_digest(
    core: Core, session: AsyncSession, period: Period, *, for_leaders: bool, chart: bytes | None = None
) -> Message:
    campaign = core.config.campaign
    figures = await campaign_figures(core, session)
    said_did, note_buttons, decisions = await _said_did(core, session, period)
    new, new_count = await _new_ideas(core, session, period)
    top = [idea_line(i, votes) for i, votes in await ideas.top_ideas(session, limit=5) if votes]
    participation = f"{percent(figures.participants / campaign.audience_size)} " \
                    f"({figures.participants} of {campaign.audience_size})"
    fields = [MessageField("Participation", participation),
              MessageField("Ideas so far", str(figures.ideas)),
              MessageField("New this period", str(new_count))]
    sections = [Section("You said, we did", tuple(said_did) or ("No decisions this period.",), tuple(note_buttons)),
                Section("New ideas", tuple(new) or ("No new ideas this period.",)),
                Section("Top ideas by votes", tuple(top) or ("No votes yet.",))]
    themes = await _themes(core, session, period)
    if themes:
        sections.append(Section("Themes accepted this period", themes))
    if for_leaders:
        fields.append(MessageField("Acknowledged in time", percent(await acknowledgement_rate(core, session))))
        sections.append(Section(PREFERRED_HEADING, await _preferred(session)))
        sections.append(Section(f"Waiting for a decision over {campaign.waiting_decision_days} days",
                                await _awaiting(core, session, period.end)))
    tz = core.timezone
    span = f"{period.start.astimezone(tz):%d %b} to {period.end.astimezone(tz):%d %b %Y}"
    title = f"You said, we did: {campaign.name}"
    body = "\n".join([f"{f.label}: {f.value}" for f in fields]
                     + [f"\n{s.heading}\n" + "\n".join(s.lines) for s in sections])
    summary = (f"{title} ({span}): {decisions} decision{'s' if decisions != 1 else ''}, {new_count} new "
               f"idea{'s' if new_count != 1 else ''}, participation {participation}.")
    return Message(text=f"{title} ({span})\n{body}", summary=summary, title=title, body=span,
                   fields=tuple(fields), sections=tuple(sections), image_png=chart,
                   image_alt=f"Chart of participation (share of the {campaign.audience_size} people invited) and "
                             "ideas shared, per day, over the campaign so far" if chart else None)


async def send_leaders_digest(core: Core, session: AsyncSession, period: Period, *,
                              chart: bytes | None = None) -> list[str]:
    """Direct messages to every leader on a live platform; returns who was reached."""
    message = await compose_digest(core, session, period, for_leaders=True, chart=chart)
    return [ref for ref in core.config.roles.leaders if await queue_direct(core, session, ref, message)]


async def send_community_digest(
    core: Core, session: AsyncSession, period: Period, channels: list[str], *, chart: bytes | None = None
) -> list[str]:
    message = await compose_digest(core, session, period, for_leaders=False, chart=chart)
    return [ref for ref in channels if await queue_channel_post(core, session, ref, message)]
