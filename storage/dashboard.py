"""Read-only queries behind the dashboard and the campaign timeline. The caller owns the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import BigInteger, Integer, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from storage.models import Idea, Participant

QUARTER_HOUR_SECONDS = 900  # every time zone's offset from UTC is a whole number of quarter hours


def _quarter_hour(moment: Any, dialect: str) -> ColumnElement[int]:
    """Quarter hours since 1970-01-01 UTC (SQLite keeps UTC text, which strftime reads; PostgreSQL timestamptz)."""
    if dialect == "postgresql":
        return cast(func.floor(func.extract("epoch", moment) / QUARTER_HOUR_SECONDS), BigInteger)
    return cast(func.strftime("%s", moment), Integer) // QUARTER_HOUR_SECONDS


async def _counted_by_quarter_hour(session: AsyncSession, moment: Any, *where: Any) -> list[tuple[int, int]]:
    bucket = _quarter_hour(moment, session.get_bind().dialect.name).label("quarter_hour")
    statement = select(bucket, func.count()).where(*where).group_by(bucket)
    return [(int(quarter), int(count)) for quarter, count in await session.execute(statement)]


async def first_contributions_by_quarter_hour(session: AsyncSession) -> list[tuple[int, int]]:
    """(quarter hour since the epoch, participants who first shared an idea, voted or commented in it), counted in
    the database so a campaign's 100,000 moments are not loaded to be counted; the caller maps quarter hours to
    its time zone's days."""
    moment = col(Participant.first_contribution_at)
    return await _counted_by_quarter_hour(session, moment, moment.is_not(None))


async def ideas_by_quarter_hour(session: AsyncSession) -> list[tuple[int, int]]:
    """(quarter hour since the epoch, surviving (not merged) ideas shared in it)."""
    return await _counted_by_quarter_hour(session, col(Idea.created_at), col(Idea.merged_into_id).is_(None))


async def ideas_by_horizon_and_status(
    session: AsyncSession, *, horizon: str, statuses: Sequence[str], limit: int = 200
) -> list[Idea]:
    """Surviving ideas in one horizon whose status is one of `statuses`, most voted first."""
    statement = (select(Idea).where(col(Idea.merged_into_id).is_(None), col(Idea.horizon) == horizon,
                                    col(Idea.status).in_(list(statuses)))
                 .order_by(col(Idea.vote_count).desc(), col(Idea.number)).limit(limit))
    return list((await session.execute(statement)).scalars())
