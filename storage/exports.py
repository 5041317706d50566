"""The export's rows read as plain tuples, a page of ideas per statement (no ORM objects: 100,000 ideas export
in seconds rather than tens of seconds)."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from storage.models import Comment, Idea, StatusChange


class ExportedIdea(NamedTuple):
    id: int
    number: int
    challenge_key: str
    text: str
    author_ref: str
    anonymous: bool
    status: str
    horizon: str | None
    votes: int
    comments: int
    created_at: datetime
    last_decision_note: str | None
    merged_into_number: int | None


async def export_page(session: AsyncSession, *, after_number: int, limit: int) -> list[ExportedIdea]:
    survivor = aliased(Idea)
    comments = (select(func.count()).select_from(Comment).where(col(Comment.idea_id) == col(Idea.id))
                .correlate(Idea).scalar_subquery())
    last_note = (
        select(col(StatusChange.note))
        .where(col(StatusChange.idea_id) == col(Idea.id), col(StatusChange.note) != "")
        .order_by(col(StatusChange.id).desc())
        .limit(1)
        .correlate(Idea)
        .scalar_subquery()
    )
    statement = (
        select(
            col(Idea.id),
            col(Idea.number),
            col(Idea.challenge_key),
            col(Idea.text),
            col(Idea.author_ref),
            col(Idea.anonymous),
            col(Idea.status),
            col(Idea.horizon),
            col(Idea.vote_count),
            comments,
            col(Idea.created_at),
            last_note,
            col(survivor.number),
        )
        .outerjoin(survivor, col(survivor.id) == col(Idea.merged_into_id))
        .where(col(Idea.number) > after_number)
        .order_by(col(Idea.number))
        .limit(limit)
    )
    return [ExportedIdea(*row) for row in (await session.execute(statement)).all()]
