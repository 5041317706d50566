"""The campaign's scheduled jobs, built from app.yaml: plain async functions over bot services."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.announcements import COMMUNITY_DIGEST_JOB, LEADERS_DIGEST_JOB, post_lifecycle, post_prompt
from bot.backers import send_backers_digest
from bot.config import AppConfig, ChallengeConfig
from bot.context import Core
from bot.digest import draw_digest_chart, period_since_last, send_community_digest, send_leaders_digest
from bot.schedule import ScheduledJob
from bot.unanswered import send_unanswered_list
from scheduler.fika_jobs import fika_jobs
from scheduler.hour_jobs import hour_jobs
from scheduler.trigger import WallClockCron
from storage import claims

ANNOUNCEMENT_HOUR = 9  # opening and last-day announcements go out at 09:00 local on those dates

JobRun = Callable[..., Awaitable[str]]  # (core, session, job id, fire time, **prepared) -> what it did
JobPrepare = Callable[[Core], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class JobSpec:
    id: str
    description: str
    trigger: WallClockCron
    run: JobRun
    prepare: JobPrepare | None = None  # slow work done before the claim's transaction; its result goes to run


async def prepare_digest(core: Core) -> dict[str, Any]:
    return {"chart": await draw_digest_chart(core)}


async def run_prompt(challenge: ChallengeConfig, core: Core, session: AsyncSession, job_id: str,
                     fire_time: datetime) -> str:
    if not challenge.is_open(fire_time.astimezone(core.timezone).date()):
        return f"no prompt: {challenge.title} is not open"
    # Rotation by the number of earlier fires: every replica picks the same question for the same fire.
    rotation = await claims.claims_before(session, job_id=job_id, fire_time=fire_time)
    sent = await post_prompt(core, session, challenge, rotation)
    return f"prompt for {challenge.title} to {', '.join(sent) or 'no live channel'}"


async def run_lifecycle(challenge: ChallengeConfig, opening: bool, core: Core, session: AsyncSession, job_id: str,
                        fire_time: datetime) -> str:
    sent = await post_lifecycle(core, session, challenge, opening=opening)
    what = "opening" if opening else "last-day"
    return f"{what} announcement for {challenge.title} to {', '.join(sent) or 'no live channel'}"


async def run_leaders_digest(core: Core, session: AsyncSession, job_id: str, fire_time: datetime, *,
                             chart: bytes | None = None) -> str:
    period = await period_since_last(session, job_id=job_id, end=fire_time)
    reached = await send_leaders_digest(core, session, period, chart=chart)
    return f"leaders' digest to {', '.join(reached) or 'no leader on a live platform'}"


async def run_community_digest(channels: list[str], core: Core, session: AsyncSession, job_id: str,
                               fire_time: datetime, *, chart: bytes | None = None) -> str:
    period = await period_since_last(session, job_id=job_id, end=fire_time)
    reached = await send_community_digest(core, session, period, channels, chart=chart)
    return f"community digest to {', '.join(reached) or 'no live channel'}"


async def run_backers_digest(core: Core, session: AsyncSession, job_id: str, fire_time: datetime) -> str:
    period = await period_since_last(session, job_id=job_id, end=fire_time)
    return f"backers' digest to {await send_backers_digest(core, session, period)} people"


async def run_unanswered(core: Core, session: AsyncSession, job_id: str, fire_time: datetime) -> str:
    return f"unanswered list to {await send_unanswered_list(core, session)} community managers"


def _challenge_jobs(tz: ZoneInfo, challenge: ChallengeConfig) -> list[JobSpec]:
    jobs = []
    if challenge.prompts is not None:
        jobs.append(JobSpec(f"prompt:{challenge.key}", f"Challenge prompt: {challenge.title}",
                            WallClockCron.from_crontab(challenge.prompts.cron, tz), partial(run_prompt, challenge)))
    for day, opening in ((challenge.opens, True), (challenge.closes, False)):
        if day is not None:
            what = "opens" if opening else "closes"
            trigger = WallClockCron.on_date(day.year, day.month, day.day, ANNOUNCEMENT_HOUR, tz)
            jobs.append(JobSpec(f"challenge:{challenge.key}:{what}", f"{challenge.title} {what}", trigger,
                                partial(run_lifecycle, challenge, opening)))
    return jobs


def build_jobs(config: AppConfig) -> list[JobSpec]:
    """Every job app.yaml asks for, rebuilt at each start (nothing is pickled)."""
    tz = ZoneInfo(config.campaign.timezone)
    jobs = [job for challenge in config.challenges for job in _challenge_jobs(tz, challenge)]
    digests = config.digests
    if digests.leaders:
        jobs.append(JobSpec(LEADERS_DIGEST_JOB, "You said, we did: leaders' digest",
                            WallClockCron.from_crontab(digests.leaders.cron, tz), run_leaders_digest, prepare_digest))
    if digests.community:
        jobs.append(JobSpec(COMMUNITY_DIGEST_JOB, "You said, we did: community digest",
                            WallClockCron.from_crontab(digests.community.cron, tz),
                            partial(run_community_digest, list(digests.community.channels)), prepare_digest))
    if digests.backers:
        jobs.append(JobSpec("digest:backers", "What happened to the ideas you backed",
                            WallClockCron.from_crontab(digests.backers.cron, tz), run_backers_digest))
    if digests.unanswered:
        jobs.append(JobSpec("digest:unanswered", "Unanswered ideas, to the community managers",
                            WallClockCron.from_crontab(digests.unanswered.cron, tz), run_unanswered))
    jobs += hour_jobs(config, tz)
    jobs += fika_jobs(config, tz)
    return jobs


def describe_jobs(specs: list[JobSpec], *, now: datetime, tz: ZoneInfo, count: int = 3) -> list[ScheduledJob]:
    """Each job with its next fire times in the campaign's local time."""
    return [ScheduledJob(spec.id, f"{spec.description} ({spec.trigger})",
                         [fire.astimezone(tz) for fire in spec.trigger.next_fires(now, count)]) for spec in specs]
