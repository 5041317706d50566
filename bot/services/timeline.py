"""The campaign over time: cumulative participants and ideas per day, for charts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Core
from storage.models import Idea, Participant


@dataclass(frozen=True)
class TimelinePoint:
    day: date
    participants: int  # people who had contributed (idea, vote or comment) by the end of this day
    ideas: int  # ideas shared by the end of this day (merged duplicates left out, as in the figures)


def _local_day(moment: datetime, core: Core) -> date:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(core.timezone).date()


async def campaign_timeline(core: Core, session: AsyncSession) -> list[TimelinePoint]:
    """One point per day from the first contribution to today (campaign time zone), cumulative."""
    firsts = (await session.execute(
        select(Participant.first_contribution_at).where(Participant.first_contribution_at.is_not(None)))).scalars()
    created = (await session.execute(select(Idea.created_at).where(Idea.merged_into_id.is_(None)))).scalars()
    people = Counter(_local_day(moment, core) for moment in firsts)
    ideas = Counter(_local_day(moment, core) for moment in created)
    if not people and not ideas:
        return []
    day = min([*people, *ideas])
    last = max([core.today(), *people, *ideas])
    points: list[TimelinePoint] = []
    participants_so_far = ideas_so_far = 0
    while day <= last:
        participants_so_far += people.get(day, 0)
        ideas_so_far += ideas.get(day, 0)
        points.append(TimelinePoint(day, participants_so_far, ideas_so_far))
        day += timedelta(days=1)
    return points
