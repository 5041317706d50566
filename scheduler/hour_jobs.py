"""The scheduled steps of each idea hour: reminders, the start (opening and Q1), each further question, the end.

Each step is a one-off job claimed like every other fire, and each checks the hour's state, so a host who moved
the hour on by hand (`/idea hour next`, `end`) is never repeated by the schedule.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import AppConfig, IdeaHourConfig, duration_of
from bot.context import Core
from bot.hour import run as hour_run
from bot.hour.rehearsal import replace_previous
from scheduler.trigger import WallClockCron
from storage import hours

if TYPE_CHECKING:
    from scheduler.jobs import JobSpec


def once_at(moment: datetime, tz: ZoneInfo) -> WallClockCron:
    """A trigger that fires once, at this minute (local wall-clock time)."""
    local = moment.astimezone(tz)
    trigger = CronTrigger(year=local.year, month=local.month, day=local.day, hour=local.hour, minute=local.minute,
                          second=0, timezone=tz)
    return WallClockCron(trigger, f"{local:%Y-%m-%d %H:%M}")


async def run_reminder(hour: IdeaHourConfig, before: str, core: Core, session: AsyncSession, job_id: str,
                       fire_time: datetime) -> str:
    run = await hours.get_run(session, hour_key=hour.key)
    # A rehearsal announced again after an earlier rehearsal ended is the next rehearsal: the old run goes.
    replaced = await replace_previous(session, hour.key) if run is not None and run.ended_at is not None else ""
    if run is not None and not replaced:
        return f"no reminder: {hour.title} has started already"
    sent = await hour_run.send_reminder(core, session, hour, duration_of(before))
    return f"idea hour reminder ({before} before) to {', '.join(sent) or 'no live channel'}" + _noted(replaced)


async def run_start(hour: IdeaHourConfig, core: Core, session: AsyncSession, job_id: str, fire_time: datetime) -> str:
    replaced = await replace_previous(session, hour.key)  # a rehearsal's key only: a real run is never replaced
    started = await hour_run.start_hour(core, session, hour, started_by="schedule")
    done = f"idea hour {hour.key} started" if started else f"idea hour {hour.key} was started already"
    return done + _noted(replaced)


def _noted(replaced: str) -> str:
    return f" ({replaced})" if replaced else ""


async def run_question(hour: IdeaHourConfig, position: int, core: Core, session: AsyncSession, job_id: str,
                       fire_time: datetime) -> str:
    run = await hours.get_run(session, hour_key=hour.key, for_update=True)
    if run is None or run.ended_at is not None:
        return f"no Q{position}: idea hour {hour.key} is {'not running' if run is None else 'over'}"
    if await hour_run.post_question(core, session, hour, run, position):
        return f"idea hour {hour.key}: Q{position} posted"
    return f"idea hour {hour.key}: Q{position} was out already"


async def run_end(hour: IdeaHourConfig, core: Core, session: AsyncSession, job_id: str, fire_time: datetime) -> str:
    run = await hours.get_run(session, hour_key=hour.key, for_update=True)
    if run is None:
        return f"idea hour {hour.key} never started: nothing to close"
    if await hour_run.end_hour(core, session, hour, run):
        return f"idea hour {hour.key} ended: summary posted"
    return f"idea hour {hour.key} had ended already"


def hour_jobs(config: AppConfig, tz: ZoneInfo) -> list[JobSpec]:
    from scheduler.jobs import JobSpec

    jobs = []
    for hour in config.idea_hours:
        start, prefix = hour.start_at(tz), f"hour:{hour.key}"
        for before in hour.reminders:
            jobs.append(JobSpec(f"{prefix}:remind:{before}", f"Idea hour reminder ({before} before): {hour.title}",
                                once_at(start - duration_of(before), tz), partial(run_reminder, hour, before)))
        jobs.append(JobSpec(f"{prefix}:start", f"Idea hour starts: {hour.title}", once_at(start, tz),
                            partial(run_start, hour)))
        for position in range(2, len(hour.questions) + 1):
            jobs.append(JobSpec(f"{prefix}:q{position}", f"Idea hour Q{position}: {hour.title}",
                                once_at(start + hour.interval * (position - 1), tz),
                                partial(run_question, hour, position)))
        jobs.append(JobSpec(f"{prefix}:end", f"Idea hour ends: {hour.title}", once_at(hour.end_at(tz), tz),
                            partial(run_end, hour)))
    return jobs
