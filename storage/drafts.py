"""Ideas held back while their author answers "Is your idea one of these?". The caller owns the transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import IdeaDraft


async def create_draft(
    session: AsyncSession, *, author_ref: str, challenge_key: str, text: str, anonymous: bool,
    suggested: list[int], now: datetime,
) -> IdeaDraft:
    draft = IdeaDraft(author_ref=author_ref, challenge_key=challenge_key, text=text, anonymous=anonymous,
                      suggested=",".join(str(number) for number in suggested), created_at=now)
    session.add(draft)
    await session.flush()
    return draft


async def get_draft(session: AsyncSession, *, draft_id: int) -> IdeaDraft | None:
    statement = select(IdeaDraft).where(col(IdeaDraft.id) == draft_id).with_for_update()
    return (await session.execute(statement.execution_options(populate_existing=True))).scalar_one_or_none()


async def resolve_draft(session: AsyncSession, *, draft_id: int, resolution: str, now: datetime) -> bool:
    """Marks the choice made and clears the held text; False when another request already resolved it."""
    result = await session.execute(
        update(IdeaDraft).where(col(IdeaDraft.id) == draft_id, col(IdeaDraft.resolved_at).is_(None))
        .values(resolved_at=now, resolution=resolution, text=""))
    return bool(result.rowcount)  # type: ignore[attr-defined]
