"""Read-only queries behind the dashboard and the campaign timeline. The caller owns the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Idea, Participant


async def first_contribution_times(session: AsyncSession) -> list[datetime]:
    """When each participant first shared an idea, voted or commented."""
    statement = select(col(Participant.first_contribution_at)).where(
        col(Participant.first_contribution_at).is_not(None)
    )
    return [moment for moment in (await session.execute(statement)).scalars() if moment is not None]


async def idea_creation_times(session: AsyncSession) -> list[datetime]:
    """When each surviving (not merged) idea was shared."""
    return list(
        (await session.execute(select(col(Idea.created_at)).where(col(Idea.merged_into_id).is_(None)))).scalars()
    )


async def ideas_by_horizon_and_status(
    session: AsyncSession, *, horizon: str, statuses: Sequence[str], limit: int = 200
) -> list[Idea]:
    """Surviving ideas in one horizon whose status is one of `statuses`, most voted first."""
    statement = (select(Idea).where(col(Idea.merged_into_id).is_(None), col(Idea.horizon) == horizon,
                                    col(Idea.status).in_(list(statuses)))
                 .order_by(col(Idea.vote_count).desc(), col(Idea.number)).limit(limit))
    return list((await session.execute(statement)).scalars())
