"""Where idea posts live on each platform, to map reactions and replies back to ideas."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Idea, IdeaPost
from storage.upsert import insert_ignoring_conflict


async def record_post(
    session: AsyncSession, *, idea_id: int, platform: str, conversation: str, message_id: str, now: datetime
) -> IdeaPost | None:
    """Records where the idea was posted; returns the post's row (None if that message is another idea's)."""
    await insert_ignoring_conflict(
        session, IdeaPost, {"idea_id": idea_id, "platform": platform, "conversation": conversation,
                            "message_id": message_id, "created_at": now},
        conflict=["platform", "conversation", "message_id"],
    )
    statement = select(IdeaPost).where(col(IdeaPost.platform) == platform, col(IdeaPost.conversation) == conversation,
                                       col(IdeaPost.message_id) == message_id, col(IdeaPost.idea_id) == idea_id)
    return (await session.execute(statement)).scalar_one_or_none()


async def idea_for_message(
    session: AsyncSession, *, platform: str, message_id: str, conversation: str | None = None
) -> Idea | None:
    """The idea posted as this message (conversation may be omitted where message ids are global)."""
    statement = select(Idea).join(IdeaPost, col(IdeaPost.idea_id) == col(Idea.id)).where(
        col(IdeaPost.platform) == platform, col(IdeaPost.message_id) == message_id)
    if conversation is not None:
        statement = statement.where(col(IdeaPost.conversation) == conversation)
    return (await session.execute(statement.limit(1))).scalar_one_or_none()


async def posts_of(session: AsyncSession, *, idea_id: int) -> list[IdeaPost]:
    return list((await session.execute(select(IdeaPost).where(col(IdeaPost.idea_id) == idea_id))).scalars())


async def find_post(
    session: AsyncSession, *, idea_id: int, platform: str, conversation: str
) -> IdeaPost | None:
    statement = select(IdeaPost).where(
        col(IdeaPost.idea_id) == idea_id, col(IdeaPost.platform) == platform, col(IdeaPost.conversation) == conversation
    )
    return (await session.execute(statement.limit(1))).scalar_one_or_none()
