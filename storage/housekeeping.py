"""Housekeeping of delivery bookkeeping: delivered outbox rows after a while, and their chart images at once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, cast, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import IdeaDraft, OutboxMessage, PendingIdea

# Message.to_json writes the chart as base64 PNG, which always starts with the PNG signature "iVBOR".
_HAS_IMAGE = '%"image_png": "iVBOR%'


async def strip_delivered_images(session: AsyncSession, *, batch: int = 500) -> int:
    """Drops the chart image from every delivered message; returns how many were stripped."""
    stripped = 0
    while True:
        rows = (await session.execute(
            select(OutboxMessage).where(col(OutboxMessage.state) == "sent",
                                        cast(col(OutboxMessage.payload), Text).like(_HAS_IMAGE))
            .order_by(col(OutboxMessage.id)).limit(batch))).scalars().all()
        for row in rows:
            row.payload = {**(row.payload or {}), "image_png": None}
        await session.flush()
        stripped += len(rows)
        if len(rows) < batch:
            return stripped


async def purge_delivered(session: AsyncSession, *, sent_before: datetime) -> int:
    result = await session.execute(delete(OutboxMessage).where(
        col(OutboxMessage.state) == "sent", col(OutboxMessage.sent_at) < sent_before))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def purge_pending_ideas(session: AsyncSession, *, created_before: datetime) -> int:
    """Texts held for a "Post as idea" answer that never came."""
    result = await session.execute(delete(PendingIdea).where(col(PendingIdea.created_at) < created_before))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def purge_drafts(session: AsyncSession, *, created_before: datetime) -> int:
    """Ideas held for an "Is your idea one of these?" answer, answered or not, once they are old."""
    result = await session.execute(delete(IdeaDraft).where(col(IdeaDraft.created_at) < created_before))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
