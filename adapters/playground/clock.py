"""The rehearsal clock: the playground's own time for scheduled jobs, private to the playground.

A rehearsal does a job's work as for its next fire after the rehearsal time, delivers it only into the
playground (never to Slack or Teams, even when they are live) and claims nothing, so the real fire still
runs on time everywhere. The rehearsal time then moves to that fire, and "Coming up" follows it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from adapters.playground.personas import PLATFORM
from bot.config import AppConfig
from bot.hour.rehearsal import rehearsal_key
from bot.roles import MANAGERS, roles_of

NOT_RUNNING = "The scheduler is not running, so there is no scheduled job to rehearse."
MANAGERS_ONLY = "Only community managers or admins can use the rehearsal clock. Nothing was changed."
ONLY_HERE = frozenset({PLATFORM})
FIRES_PER_JOB = 3


@dataclass(frozen=True)
class Upcoming:
    job_id: str
    description: str
    at: datetime
    again: bool = False  # an idea hour's start the rehearsal time has passed: rehearsing it runs the hour again

    @property
    def line(self) -> str:
        return f"{self.description}: {self.at:%a %d %b %H:%M}" + (" (rehearsed already)" if self.again else "")

    def to_json(self) -> dict[str, str | bool]:
        return {"job": self.job_id, "description": self.description, "at": self.at.isoformat(), "line": self.line,
                "again": self.again}


def may_rehearse(config: AppConfig, person_ref: str) -> bool:
    """The same rule as `/idea digest` and `/idea prompt`."""
    return bool(roles_of(config.roles, person_ref) & MANAGERS)


def rehearsal_job(job_id: str) -> str:
    """The rehearsal's id of a job: an idea hour's steps run under the hour's rehearsal key."""
    kind, _, rest = job_id.partition(":")
    if kind != "hour" or not rest:
        return job_id
    key, _, step = rest.partition(":")
    return f"hour:{rehearsal_key(key)}:{step}"


def rehearsal_config(config: AppConfig) -> AppConfig:
    """app.yaml as a rehearsal sees it: the community digest goes to the playground's first channel when
    app.yaml names no playground channel for it (its real channels are on other platforms); each idea hour
    runs under its rehearsal key."""
    hours = [hour.model_copy(update={"key": rehearsal_key(hour.key)}) for hour in config.idea_hours]
    config = config.model_copy(update={"idea_hours": hours})
    community = config.digests.community
    if community is None or any(ref.startswith(f"{PLATFORM}:") for ref in community.channels):
        return config
    here = community.model_copy(update={"channels": [f"{PLATFORM}:{config.challenges[0].key}"]})
    return config.model_copy(update={"digests": config.digests.model_copy(update={"community": here})})


class RehearsalClock:
    def __init__(self, config: AppConfig, scheduler: Callable[[], Any | None]) -> None:
        self.config = rehearsal_config(config)
        self.scheduler = scheduler  # a getter: the scheduler starts after the adapters are built
        self.rehearsed_until: datetime | None = None  # the last rehearsed fire; None until the first

    def _fires(self, per_job: int) -> list[Upcoming]:
        scheduler = self.scheduler()
        if scheduler is None:
            return []
        # Fires come at or after `after`: one second past the last rehearsed fire moves on from it.
        after = None if self.rehearsed_until is None else self.rehearsed_until + timedelta(seconds=1)
        fires = [Upcoming(job.id, job.description, fire)
                 for job in scheduler.jobs(per_job, after=after) for fire in job.next_fire_times]
        return sorted(fires, key=lambda item: (item.at, item.job_id))

    def _again(self) -> list[Upcoming]:
        """Idea hours whose start the rehearsal time has passed: each one's first step (its first announcement, or
        its start), whose rehearsal rewinds the clock to it and runs the hour again."""
        scheduler = self.scheduler()
        if scheduler is None or self.rehearsed_until is None:
            return []
        steps: dict[str, list[Upcoming]] = {}
        for job in scheduler.jobs(1):
            if job.id.startswith("hour:") and job.next_fire_times:
                hour = ":".join(job.id.split(":", 2)[:2])  # "hour:<key>" of "hour:<key>:remind:15m"
                steps.setdefault(hour, []).append(Upcoming(job.id, job.description, job.next_fire_times[0], True))
        return sorted((min(items, key=lambda item: item.at) for hour, items in steps.items()
                       if any(i.job_id == f"{hour}:start" and i.at <= self.rehearsed_until for i in items)),
                      key=lambda item: item.at)

    def _step_again(self, job_id: str) -> Upcoming | None:
        """Any step of an idea hour the rehearsal time has passed (the page offers each hour's first)."""
        scheduler = self.scheduler()
        if not job_id.startswith("hour:") or scheduler is None:
            return None
        return next((Upcoming(job.id, job.description, job.next_fire_times[0], True) for job in scheduler.jobs(1)
                     if job.id == job_id and job.next_fire_times), None)

    def upcoming(self, limit: int = 8) -> list[Upcoming]:
        """The idea hours that can be rehearsed again, then the next fires after the rehearsal time, soonest first."""
        return (self._again() + self._fires(FIRES_PER_JOB))[:limit]

    async def fire_next(self) -> str:
        if self.scheduler() is None:
            return NOT_RUNNING
        coming = self._fires(1)
        if not coming:
            return "No scheduled job has a fire left."
        return await self._rehearse(coming[0])

    async def run_job(self, job_id: str) -> str:
        """Rehearses one job's next fire after the rehearsal time (jumping the rehearsal time forward to it), or an
        idea hour's start again (back to it: the new rehearsal replaces the previous one's run)."""
        if self.scheduler() is None:
            return NOT_RUNNING
        coming = next((item for item in self._fires(1) if item.job_id == job_id), None) or self._step_again(job_id)
        if coming is None:
            return f"There is no scheduled job {job_id!r} with a fire left."
        return await self._rehearse(coming)

    async def run_digest(self, preview_to: str | None) -> str:
        scheduler = self.scheduler()
        if scheduler is None:
            return NOT_RUNNING
        result = await scheduler.rehearsal(platforms=ONLY_HERE, config=self.config).run_digest_now(preview_to)
        return f"Rehearsal, in the playground only: {result}"

    async def _rehearse(self, item: Upcoming) -> str:
        rehearsal = self.scheduler().rehearsal(platforms=ONLY_HERE, config=self.config)  # type: ignore[union-attr]
        result = await rehearsal.rehearse(rehearsal_job(item.job_id), item.at)
        self.rehearsed_until = item.at
        return (f"{item.description} (due {item.at:%a %d %b %H:%M}), rehearsed in the playground only "
                f"(the real one still runs on time): {result}")
