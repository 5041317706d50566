"""Scheduled-fire claims: the first process to insert (job, fire time) does the work; the others skip."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import ScheduleClaim
from storage.upsert import insert_ignoring_conflict


def _utc(moment: datetime) -> datetime:
    # Claims compare by value across processes: store every fire time as UTC, to the second.
    return moment.astimezone(UTC).replace(microsecond=0)


async def claim_fire(
    session: AsyncSession, *, job_id: str, fire_time: datetime, claimed_by: str, now: datetime
) -> bool:
    """True when this caller won the fire; False when someone already claimed it."""
    values = {"job_id": job_id, "fire_time": _utc(fire_time), "claimed_by": claimed_by, "claimed_at": now}
    return await insert_ignoring_conflict(session, ScheduleClaim, values, conflict=["job_id", "fire_time"])


async def is_claimed(session: AsyncSession, *, job_id: str, fire_time: datetime) -> bool:
    statement = select(col(ScheduleClaim.id)).where(col(ScheduleClaim.job_id) == job_id,
                                               col(ScheduleClaim.fire_time) == _utc(fire_time)).limit(1)
    return (await session.execute(statement)).first() is not None


async def claims_before(session: AsyncSession, *, job_id: str, fire_time: datetime) -> int:
    """How many fires of this job were claimed before this one (rotates prompts deterministically)."""
    statement = select(func.count()).select_from(ScheduleClaim).where(
        col(ScheduleClaim.job_id) == job_id, col(ScheduleClaim.fire_time) < _utc(fire_time))
    return int((await session.execute(statement)).scalar_one())


async def previous_fire(session: AsyncSession, *, job_id: str, before: datetime) -> datetime | None:
    """The latest claimed fire of this job before `before` (a digest covers the time since then)."""
    statement = select(func.max(col(ScheduleClaim.fire_time))).where(
        col(ScheduleClaim.job_id) == job_id, col(ScheduleClaim.fire_time) < _utc(before))
    value = (await session.execute(statement)).scalar_one_or_none()
    if isinstance(value, str):  # MAX() loses the column type on SQLite
        value = datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value
