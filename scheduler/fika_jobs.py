"""Fika's scheduled jobs: the round on `fika.cron`, and a daily follow-up check at the same time of day."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import AppConfig
from bot.context import Core
from bot.fika.followup import send_follow_ups
from bot.fika.rounds import run_round
from scheduler.trigger import WallClockCron

if TYPE_CHECKING:
    from scheduler.jobs import JobSpec

ROUND_JOB, FOLLOW_UP_JOB = "fika:round", "fika:follow-up"


async def run_fika_round(core: Core, session: AsyncSession, job_id: str, fire_time: datetime) -> str:
    # The fire time, not the clock, starts the round: every replica agrees on it, and the follow-up
    # (due a whole number of days later, at the same time of day) then falls on a daily fire exactly.
    return (await run_round(core, session, started_by="schedule", at=fire_time)).text


async def run_fika_follow_up(core: Core, session: AsyncSession, job_id: str, fire_time: datetime) -> str:
    return f"fika follow-up: {await send_follow_ups(core, session, at=fire_time)} people asked whether they met"


def fika_jobs(config: AppConfig, tz: ZoneInfo) -> list[JobSpec]:
    from scheduler.jobs import JobSpec

    if config.fika is None:
        return []
    minute, hour = config.fika.cron.split()[:2]
    return [
        JobSpec(ROUND_JOB, "Randomised fika: a round", WallClockCron.from_crontab(config.fika.cron, tz),
                run_fika_round),
        JobSpec(FOLLOW_UP_JOB, "Randomised fika: did you meet?",
                WallClockCron.from_crontab(f"{minute} {hour} * * *", tz), run_fika_follow_up),
    ]
