"""Runs the campaign's jobs on time, exactly once across replicas and restarts.

APScheduler only says "it is time"; the database decides who does the work: a fire is claimed by inserting
(job id, fire time) before anything is composed, and composed and queued in the same transaction.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from dataclasses import replace
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.announcements import preview_digest, send_digests
from bot.config import AppConfig
from bot.context import Core
from bot.digest import draw_digest_chart
from bot.schedule import ScheduledJob
from bot.services.delivery import queue_direct
from scheduler.jobs import JobSpec, build_jobs, describe_jobs
from storage import claims
from storage.database import DatabaseUnavailable

logger = logging.getLogger(__name__)

RETRY_SECONDS = 30.0  # while the database is down, a due fire is retried this often within its grace period
LOOKAHEAD_FIRES = 50


class CampaignScheduler:
    def __init__(self, core: Core, *, node: str | None = None) -> None:
        self.core = core
        self.node = node or f"{socket.gethostname()}:{os.getpid()}"
        self.grace = timedelta(seconds=core.config.scheduler.grace_seconds)
        self.specs: dict[str, JobSpec] = {spec.id: spec for spec in build_jobs(core.config)}
        self._timer: AsyncIOScheduler | None = None

    async def start(self, *, timer: bool = True) -> None:
        """Runs fires missed while the bot was down (within the grace period), then starts the timer."""
        await self.catch_up()
        if not timer:
            return
        self._timer = AsyncIOScheduler(timezone=self.core.timezone, job_defaults={
            "coalesce": True, "max_instances": 1, "misfire_grace_time": max(int(self.grace.total_seconds()), 1)})
        for spec in self.specs.values():
            self._timer.add_job(self._on_time, trigger=spec.trigger, args=[spec.id], id=spec.id,
                                name=spec.description)
        self._timer.start()

    @property
    def running(self) -> bool:
        return self._timer is not None and bool(self._timer.running)

    def shutdown(self) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.shutdown(wait=False)
        self._timer = None

    def _local(self, moment: datetime) -> str:
        return f"{moment.astimezone(self.core.timezone):%a %d %b %Y %H:%M %Z}"

    async def fire(self, job_id: str, fire_time: datetime) -> str:
        """Claims the fire and does the job in one transaction; a process that loses the claim does nothing."""
        spec = self.specs[job_id]
        # Slow preparation (drawing the digest's chart) happens before the claim's transaction opens.
        prepared = await spec.prepare(self.core) if spec.prepare is not None else {}
        async with self.core.db.transaction() as session:
            won = await claims.claim_fire(session, job_id=job_id, fire_time=fire_time, claimed_by=self.node,
                                          now=self.core.now())
            self.core.metrics.scheduler_fires.labels(job=job_id, claim="won" if won else "skipped").inc()
            if not won:
                logger.info("scheduler: %s at %s was already claimed", job_id, self._local(fire_time))
                return f"{spec.description} at {self._local(fire_time)} had already run"
            result = await spec.run(self.core, session, job_id, fire_time, **prepared)
        self.core.wake_outbox()
        logger.info("scheduler: %s at %s: %s", job_id, self._local(fire_time), result)
        return result

    async def catch_up(self) -> list[str]:
        """For each job, its latest fire at or before now: run it if unclaimed and within the grace period."""
        now = self.core.now()
        done = []
        for spec in self.specs.values():
            latest = spec.trigger.previous_fire(now)
            if latest is None:
                continue
            async with self.core.db.transaction() as session:
                claimed = await claims.is_claimed(session, job_id=spec.id, fire_time=latest)
            if claimed:
                continue
            if now - latest <= self.grace:
                logger.info("scheduler: running %s missed at %s", spec.id, self._local(latest))
                done.append(await self.fire(spec.id, latest))
            else:
                logger.warning("scheduler: skipped %s due at %s: missed by more than the grace period (%ds)",
                               spec.id, self._local(latest), self.grace.total_seconds())
        return done

    async def _on_time(self, job_id: str) -> None:
        """Called by APScheduler when a job is due; works out which fire this is from the trigger."""
        spec = self.specs[job_id]
        fire_time = spec.trigger.previous_fire(self.core.now())
        while fire_time is not None and self.core.now() - fire_time <= self.grace:
            try:
                await self.fire(job_id, fire_time)
                return
            except DatabaseUnavailable:
                logger.warning("scheduler: database unavailable for %s, retrying in %ss", job_id, RETRY_SECONDS)
                await asyncio.sleep(RETRY_SECONDS)
            except Exception:
                logger.exception("scheduler: %s at %s failed", job_id, fire_time)
                return
        logger.warning("scheduler: gave up %s due at %s: outside the grace period", job_id, fire_time)

    def jobs(self, count: int = 3, *, after: datetime | None = None) -> list[ScheduledJob]:
        """Each job's next `count` fires at or after `after`, never before now."""
        now = self.core.now()
        start = now if after is None else max(after, now)
        return describe_jobs(list(self.specs.values()), now=start, tz=self.core.timezone, count=count)

    async def _next_unclaimed(self, spec: JobSpec) -> datetime | None:
        async with self.core.db.transaction() as session:
            for fire in spec.trigger.next_fires(self.core.now(), LOOKAHEAD_FIRES):
                if not await claims.is_claimed(session, job_id=spec.id, fire_time=fire):
                    return fire
        return None

    async def run_job(self, job_id: str) -> str:
        """Runs one job now, as if its next fire had come (that fire is claimed, so it will not run again)."""
        spec = self.specs.get(job_id)
        if spec is None:
            return f"There is no scheduled job {job_id!r}. Jobs: {', '.join(self.specs)}."
        fire_time = await self._next_unclaimed(spec)
        if fire_time is None:
            return f"{spec.description} has no fire left to run."
        return f"{spec.description} (due {self._local(fire_time)}): {await self.fire(job_id, fire_time)}"

    async def fire_next(self) -> str:
        """Runs whichever job is due next, now."""
        upcoming = [(fire, spec.id) for spec in self.specs.values()
                    if (fire := await self._next_unclaimed(spec)) is not None]
        if not upcoming:
            return "No scheduled job has a fire left."
        _, job_id = min(upcoming)
        return await self.run_job(job_id)

    async def run_digest_now(self, preview_to: str | None = None) -> str:
        """The digests now, outside the schedule; with preview_to, only the leaders' version to that person."""
        chart = await draw_digest_chart(self.core)
        async with self.core.db.transaction() as session:
            if preview_to is not None:
                preview = await preview_digest(self.core, session, chart=chart)
                queued = await queue_direct(self.core, session, preview_to, preview)
                result = f"Digest preview sent to {preview_to}." if queued else f"{preview_to} is not reachable."
            else:
                reached = await send_digests(self.core, session, chart=chart)
                result = f"Digest sent to {', '.join(reached) or 'nobody on a live platform'}."
        self.core.wake_outbox()
        return result

    def rehearsal(self, *, platforms: frozenset[str], config: AppConfig | None = None) -> CampaignScheduler:
        """A scheduler over the same database that delivers on `platforms` only, with `config`'s jobs and
        channels: the playground's rehearsal clock. It has no timer; use its rehearse() and run_digest_now()."""
        view = replace(self.core, config=config or self.core.config, platforms=self.core.platforms & platforms)
        return CampaignScheduler(view, node=self.node)

    async def rehearse(self, job_id: str, fire_time: datetime) -> str:
        """Does a job's work as for `fire_time` without claiming the fire, so the real one still runs on time."""
        spec = self.specs.get(job_id)
        if spec is None:
            return f"There is no scheduled job {job_id!r}. Jobs: {', '.join(self.specs)}."
        prepare = getattr(spec, "prepare", None)  # slow preparation outside the transaction, as fire() does
        prepared = await prepare(self.core) if prepare is not None else {}
        async with self.core.db.transaction() as session:
            result = await spec.run(self.core, session, job_id, fire_time, **prepared)
        self.core.wake_outbox()
        logger.info("scheduler: rehearsed %s as at %s: %s", job_id, self._local(fire_time), result)
        return result
