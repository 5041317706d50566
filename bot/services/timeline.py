"""The campaign over time: cumulative participants and ideas per day, for charts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Core
from storage import dashboard


@dataclass(frozen=True)
class TimelinePoint:
    day: date
    participants: int  # people who had contributed (idea, vote or comment) by the end of this day
    ideas: int  # ideas shared by the end of this day (merged duplicates left out, as in the figures)


def _per_local_day(counts: list[tuple[int, int]], core: Core) -> Counter[date]:
    """Quarter-hour counts (storage/dashboard.py) summed per day in the campaign's time zone. In time order, the
    zone is consulted once per day (at the first quarter hour past the next local midnight), not per quarter hour:
    a long campaign has tens of thousands of them."""
    days: Counter[date] = Counter()
    day = date.min
    next_midnight = float("-inf")  # seconds since the epoch
    for quarter_hour, count in sorted(counts):
        second = quarter_hour * dashboard.QUARTER_HOUR_SECONDS
        if second >= next_midnight:
            day = datetime.fromtimestamp(second, tz=UTC).astimezone(core.timezone).date()
            next_midnight = datetime.combine(day + timedelta(days=1), time(), tzinfo=core.timezone).timestamp()
        days[day] += count
    return days


async def campaign_timeline(core: Core, session: AsyncSession) -> list[TimelinePoint]:
    """One point per day from the first contribution to today (campaign time zone), cumulative."""
    people = _per_local_day(await dashboard.first_contributions_by_quarter_hour(session), core)
    ideas = _per_local_day(await dashboard.ideas_by_quarter_hour(session), core)
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
