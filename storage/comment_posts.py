"""Where the bot re-posted a comment in an idea's thread (CommentPost). The caller owns the transaction."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Comment, CommentPost


async def record(session: AsyncSession, *, source_ref: str, platform: str, conversation: str, thread: str | None,
                 message_id: str, now: datetime) -> None:
    session.add(CommentPost(source_ref=source_ref, platform=platform, conversation=conversation, thread=thread,
                            message_id=message_id, created_at=now))
    await session.flush()


async def comment_exists(session: AsyncSession, *, source_ref: str) -> bool:
    found = await session.execute(select(col(Comment.id)).where(col(Comment.source_ref) == source_ref))
    return found.first() is not None


async def sources_by(session: AsyncSession, *, author_ref: str) -> list[str]:
    """The source refs of the person's comments that the bot may have re-posted."""
    rows = await session.execute(select(col(Comment.source_ref)).where(
        col(Comment.author_ref) == author_ref, col(Comment.source_ref).is_not(None)))
    return [source for source in rows.scalars() if source]


async def take(session: AsyncSession, *, source_refs: Collection[str]) -> list[CommentPost]:
    """Removes and returns where these comments were re-posted. A copy still in the outbox is blanked once sent
    (bot/comment_posts.py): its comment is gone by then."""
    if not source_refs:
        return []
    posts = list((await session.execute(
        select(CommentPost).where(col(CommentPost.source_ref).in_(source_refs)))).scalars())
    await session.execute(delete(CommentPost).where(col(CommentPost.source_ref).in_(source_refs)))
    return posts
