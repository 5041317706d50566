"""Pending ideas: a text held for its author between "is this an idea?" and their "Post as idea" press."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import PendingIdea


async def hold_text(
    session: AsyncSession, *, token: str, author_ref: str, challenge_key: str, text: str, now: datetime
) -> None:
    session.add(PendingIdea(token=token, author_ref=author_ref, challenge_key=challenge_key, text=text,
                          created_at=now))


async def take_pending(session: AsyncSession, *, token: str, author_ref: str) -> PendingIdea | None:
    """The author's held text, removed so a second press finds nothing; None for anyone else's token."""
    statement = select(PendingIdea).where(col(PendingIdea.token) == token, col(PendingIdea.author_ref) == author_ref)
    pending = (await session.execute(statement.with_for_update())).scalar_one_or_none()
    if pending is not None:
        result = await session.execute(delete(PendingIdea).where(col(PendingIdea.token) == token))
        if not result.rowcount:  # type: ignore[attr-defined]
            return None  # another press took it first
    return pending


async def forget_pending_before(session: AsyncSession, *, cutoff: datetime) -> int:
    result = await session.execute(delete(PendingIdea).where(col(PendingIdea.created_at) < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
