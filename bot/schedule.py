"""What the running scheduler offers the rest of the bot (playground buttons, CLI), without importing it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class ScheduledJob:
    id: str
    description: str
    next_fire_times: list[datetime]  # aware, in the campaign's time zone


class Scheduler(Protocol):
    def jobs(self) -> list[ScheduledJob]:
        ...

    async def fire_next(self) -> str:
        """Runs the job due next right now, claimed under its real next fire time; describes what ran."""
        ...

    async def run_job(self, job_id: str) -> str:
        ...

    async def run_digest_now(self, preview_to: str | None = None) -> str:
        ...

    def shutdown(self) -> None:
        ...
