"""The campaign over time: cumulative participants and ideas per day, for charts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Core
from storage import dashboard


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
    people = Counter(_local_day(moment, core) for moment in await dashboard.first_contribution_times(session))
    ideas = Counter(_local_day(moment, core) for moment in await dashboard.idea_creation_times(session))
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
