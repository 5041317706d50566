"""Suggested themes and the ideas they were computed from. The caller owns the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Idea, SuggestedTheme


async def surviving_ideas(session: AsyncSession, *, challenge_key: str, removed_text: str | None = None
                          ) -> list[tuple[int, str]]:
    """(number, text) of the challenge's ideas that were not merged into another; with `removed_text`, not
    erased either (erased ideas all carry that text: they would look like duplicates and group as a theme)."""
    statement = select(col(Idea.number), col(Idea.text)).where(
        col(Idea.challenge_key) == challenge_key, col(Idea.merged_into_id).is_(None)).order_by(col(Idea.number))
    if removed_text is not None:
        statement = statement.where(col(Idea.text) != removed_text)
    rows = await session.execute(statement)
    return [(int(number), text) for number, text in rows.all()]


async def save(session: AsyncSession, *, challenge_key: str, theme: str, numbers: Sequence[int], suggested_to: str,
               now: datetime) -> SuggestedTheme:
    row = SuggestedTheme(challenge_key=challenge_key, theme=theme, idea_numbers=",".join(map(str, numbers)),
                         suggested_to=suggested_to, created_at=now)
    session.add(row)
    await session.flush()
    return row


async def get(session: AsyncSession, *, suggestion_id: int) -> SuggestedTheme | None:
    statement = select(SuggestedTheme).where(col(SuggestedTheme.id) == suggestion_id).with_for_update()
    return (await session.execute(statement.execution_options(populate_existing=True))).scalar_one_or_none()


async def mark_applied(session: AsyncSession, *, suggestion_id: int, now: datetime) -> bool:
    result = await session.execute(update(SuggestedTheme).where(
        col(SuggestedTheme.id) == suggestion_id, col(SuggestedTheme.applied_at).is_(None)).values(applied_at=now))
    return bool(result.rowcount)  # type: ignore[attr-defined]
