"""De-duplication of platform retries: an event id is processed once, whichever replica receives it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import InboundEvent
from storage.upsert import insert_ignoring_conflict


async def claim_event(session: AsyncSession, *, key: str, now: datetime) -> bool:
    """Records the event id; False when it was already recorded (a retry or a replay)."""
    return await insert_ignoring_conflict(
        session, InboundEvent, {"key": key[:300], "received_at": now}, conflict=["key"]
    )


async def forget_events_before(session: AsyncSession, *, cutoff: datetime) -> int:
    result = await session.execute(delete(InboundEvent).where(col(InboundEvent.received_at) < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def forget_event(session: AsyncSession, *, key: str) -> None:
    """Un-records an event id, so the platform's redelivery of it is processed."""
    await session.execute(delete(InboundEvent).where(col(InboundEvent.key) == key[:300]))
