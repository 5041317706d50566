"""The rehearsal clock: fire the next scheduled job or the digest now, when the scheduler runs."""

from __future__ import annotations

from typing import Any

NOT_RUNNING = "The scheduler is not running, so there is no scheduled job to fire."


async def fire_next(scheduler: Any | None) -> str:
    if scheduler is None:
        return NOT_RUNNING
    return str(await scheduler.fire_next())


async def run_digest(scheduler: Any | None, preview_to: str | None) -> str:
    if scheduler is None:
        return NOT_RUNNING
    return str(await scheduler.run_digest_now(preview_to=preview_to))


def upcoming(scheduler: Any | None, limit: int = 8) -> list[str]:
    """The next jobs as "description: first fire time" lines, soonest first."""
    if scheduler is None:
        return []
    lines = []
    for job in scheduler.jobs():
        times = list(getattr(job, "next_fire_times", []) or [])
        if times:
            lines.append((times[0], f"{job.description}: {times[0]:%a %d %b %H:%M}"))
    return [line for _, line in sorted(lines)[:limit]]
