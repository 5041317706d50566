"""Cron in the campaign's wall-clock time: fires once in the repeated autumn hour, and can look backwards."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, tzinfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger

ONE_MICROSECOND = timedelta(microseconds=1)
LOOKBACK_LIMIT = timedelta(days=400)


def _just_after(moment: datetime) -> datetime:
    # In UTC: aware arithmetic in one zone is wall-clock arithmetic and would stay inside the repeated hour.
    return (moment.astimezone(UTC) + ONE_MICROSECOND).astimezone(moment.tzinfo)


def _repeated_wall_time(moment: datetime) -> bool:
    """True for the second occurrence of a local time that happens twice (the autumn change)."""
    first = moment.replace(tzinfo=None).replace(tzinfo=moment.tzinfo, fold=0)
    return first.astimezone(UTC) != moment.astimezone(UTC)


class WallClockCron(BaseTrigger):
    """APScheduler's CronTrigger, minus the duplicate fire it produces in the hour clocks go back."""

    def __init__(self, inner: CronTrigger, label: str) -> None:
        self.inner = inner
        self.label = label

    @classmethod
    def from_crontab(cls, expression: str, timezone: tzinfo) -> WallClockCron:
        return cls(CronTrigger.from_crontab(expression, timezone=timezone), expression)

    @classmethod
    def on_date(cls, year: int, month: int, day: int, hour: int, timezone: tzinfo) -> WallClockCron:
        trigger = CronTrigger(year=year, month=month, day=day, hour=hour, minute=0, timezone=timezone)
        return cls(trigger, f"{year:04d}-{month:02d}-{day:02d} {hour:02d}:00")

    def get_next_fire_time(self, previous_fire_time: datetime | None, now: datetime) -> datetime | None:
        candidate = self.inner.get_next_fire_time(previous_fire_time, now)
        while candidate is not None and _repeated_wall_time(candidate):
            candidate = self.inner.get_next_fire_time(candidate, _just_after(candidate))
        return candidate

    def fires_from(self, start: datetime) -> Iterator[datetime]:
        """Fire times at or after start, in order."""
        previous: datetime | None = None
        now = start
        while (fire := self.get_next_fire_time(previous, now)) is not None:
            yield fire
            previous, now = fire, _just_after(fire)

    def next_fires(self, after: datetime, count: int) -> list[datetime]:
        fires = []
        for fire in self.fires_from(after):
            fires.append(fire)
            if len(fires) == count:
                break
        return fires

    def previous_fire(self, at_or_before: datetime) -> datetime | None:
        """The latest fire at or before the instant: searches back in growing windows."""
        window = timedelta(hours=1)
        while window <= LOOKBACK_LIMIT * 2:
            latest = None
            for fire in self.fires_from((at_or_before.astimezone(UTC) - window).astimezone(at_or_before.tzinfo)):
                if fire > at_or_before:
                    break
                latest = fire
            if latest is not None:
                return latest
            window *= 2
        return None

    def __str__(self) -> str:
        return self.label
