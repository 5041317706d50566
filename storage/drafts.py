"""Idea drafts: a text held for its author between "is this an idea?" and their "Post as idea" press."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import IdeaDraft


async def save_draft(
    session: AsyncSession, *, token: str, author_ref: str, challenge_key: str, text: str, now: datetime
) -> None:
    session.add(IdeaDraft(token=token, author_ref=author_ref, challenge_key=challenge_key, text=text,
                          created_at=now))


async def take_draft(session: AsyncSession, *, token: str, author_ref: str) -> IdeaDraft | None:
    """The author's draft, removed so a second press finds nothing; None for anyone else's token."""
    statement = select(IdeaDraft).where(IdeaDraft.token == token, IdeaDraft.author_ref == author_ref)
    draft = (await session.execute(statement.with_for_update())).scalar_one_or_none()
    if draft is not None:
        result = await session.execute(delete(IdeaDraft).where(IdeaDraft.token == token))
        if not result.rowcount:  # type: ignore[attr-defined]
            return None  # another press took it first
    return draft


async def forget_drafts_before(session: AsyncSession, *, cutoff: datetime) -> int:
    result = await session.execute(delete(IdeaDraft).where(IdeaDraft.created_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
