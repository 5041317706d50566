"""Stored conversation references, so a platform can be messaged without anyone speaking first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import ConversationReference


async def save_reference(
    session: AsyncSession, *, key: str, platform: str, reference: dict, now: datetime
) -> None:
    existing = await session.get(ConversationReference, key)
    if existing is None:
        session.add(ConversationReference(key=key, platform=platform, reference=reference, updated_at=now))
    elif existing.reference != reference:
        existing.reference = reference
        existing.updated_at = now


async def get_reference(session: AsyncSession, *, key: str) -> dict | None:
    row = await session.get(ConversationReference, key)
    return row.reference if row else None


async def references_for(session: AsyncSession, *, platform: str) -> list[ConversationReference]:
    statement = select(ConversationReference).where(col(ConversationReference.platform) == platform)
    return list((await session.execute(statement)).scalars())
