"""Idea hours' "Remind me" requests: stored once per person and hour, taken once when the reminders go out."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import IdeaHourReminderRequest
from storage.upsert import insert_ignoring_conflict


async def request_reminder(session: AsyncSession, *, hour_key: str, person_ref: str, now: datetime) -> bool:
    """True when this is the person's first request for this hour (a second press changes nothing)."""
    values = {"hour_key": hour_key, "person_ref": person_ref, "requested_at": now}
    return await insert_ignoring_conflict(session, IdeaHourReminderRequest, values, conflict=["hour_key", "person_ref"])


async def take_unsent(session: AsyncSession, *, hour_key: str, now: datetime) -> list[str]:
    """Marks the hour's unsent requests as sent and returns who made them. The UPDATE's own condition makes
    each row taken once: a second transaction doing the same waits for the row lock, then finds it sent."""
    statement = (
        update(IdeaHourReminderRequest)
        .where(col(IdeaHourReminderRequest.hour_key) == hour_key, col(IdeaHourReminderRequest.sent_at).is_(None))
        .values(sent_at=now)
        .returning(col(IdeaHourReminderRequest.person_ref))
    )
    return sorted((await session.execute(statement)).scalars())


async def requested(session: AsyncSession, *, hour_key: str) -> list[IdeaHourReminderRequest]:
    statement = (select(IdeaHourReminderRequest).where(col(IdeaHourReminderRequest.hour_key) == hour_key)
                 .order_by(col(IdeaHourReminderRequest.id)))
    return list((await session.execute(statement)).scalars())
