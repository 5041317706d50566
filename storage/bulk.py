"""Set-at-a-time writes for the vote ingestion path: one statement per table for a whole batch of events."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from storage.models import Idea, IdeaPost, InboundEvent, OutboxMessage, Participant, Vote, VoteReaction


async def insert_many_ignoring_conflict(
    session: AsyncSession, table: Any, rows: Sequence[dict[str, Any]], *, conflict: list[str],
    returning: Sequence[Any] = (),
) -> list[tuple[Any, ...]]:
    """Inserts the rows that don't break the unique constraint on `conflict`; returns `returning` of those.

    One cached single-row statement run as an executemany (SQLAlchemy batches it into multi-row VALUES
    itself): building a fresh N-row statement per batch cost more in compilation than the insert did.
    """
    if not rows:
        return []
    # Sorted by the conflict key: two replicas inserting overlapping batches take the unique index's locks in
    # the same order and wait for each other instead of deadlocking (PostgreSQL).
    rows = sorted(rows, key=lambda row: tuple(row[column] for column in conflict))
    target = getattr(table, "__table__", table)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(target).on_conflict_do_nothing(index_elements=conflict)
    if returning:
        statement = statement.returning(*(target.c[column.key] for column in returning))
        result = await session.execute(statement, list(rows))
        return [tuple(row) for row in result.all()]
    await session.execute(statement, list(rows))
    return []


async def claim_events(session: AsyncSession, *, keys: Iterable[str], now: datetime) -> set[str]:
    """Records event ids; returns those not seen before (the rest are retries or replays)."""
    rows = [{"key": key, "received_at": now} for key in dict.fromkeys(keys)]
    claimed = await insert_many_ignoring_conflict(session, InboundEvent, rows, conflict=["key"],
                                                  returning=[col(InboundEvent.key)])
    return {key for (key,) in claimed}


async def ensure_participants(session: AsyncSession, *, names: dict[str, str], now: datetime) -> None:
    rows = [{"ref": ref, "display_name": name, "notifications": True, "first_seen": now} for ref, name in names.items()]
    await insert_many_ignoring_conflict(session, Participant, rows, conflict=["ref"])


async def mark_contributors(session: AsyncSession, *, refs: Iterable[str], now: datetime) -> None:
    chosen = list(set(refs))
    if chosen:
        await session.execute(
            update(Participant)
            .where(col(Participant.ref).in_(chosen), col(Participant.first_contribution_at).is_(None))
            .values(first_contribution_at=now)
        )


async def ideas_for_messages(
    session: AsyncSession, *, platform: str, message_ids: Iterable[str]
) -> tuple[dict[tuple[str, str], Idea], set[int]]:
    """Ideas posted as these messages, keyed by (conversation, message id), and which of them have duplicates
    merged into them (their counts are recounted, not shifted), in one statement."""
    ids = list(set(message_ids))
    if not ids:
        return {}, set()
    duplicate = aliased(Idea)
    has_duplicates = exists().where(col(duplicate.merged_into_id) == col(Idea.id)).correlate(Idea)
    statement = (select(col(IdeaPost.conversation), col(IdeaPost.message_id), Idea, has_duplicates)
                 .join(Idea, col(Idea.id) == col(IdeaPost.idea_id))
                 .where(col(IdeaPost.platform) == platform, col(IdeaPost.message_id).in_(ids)))
    found, grouped = {}, set()
    for conversation, message_id, idea, merged_into_it in await session.execute(statement):
        found[(conversation, message_id)] = idea
        if merged_into_it and idea.id is not None:
            grouped.add(idea.id)
    return found, grouped


async def add_reactions(session: AsyncSession, *, rows: Sequence[tuple[int, str, str]]) -> None:
    values = [{"idea_id": idea_id, "voter_ref": voter, "emoji": emoji} for idea_id, voter, emoji in dict.fromkeys(rows)]
    await insert_many_ignoring_conflict(session, VoteReaction, values, conflict=["idea_id", "voter_ref", "emoji"])


async def add_votes(
    session: AsyncSession, *, pairs: Sequence[tuple[int, str]], now: datetime
) -> set[tuple[int, str]]:
    """Inserts (idea id, voter) votes; returns the pairs that were new."""
    values = [{"idea_id": idea_id, "voter_ref": voter, "created_at": now} for idea_id, voter in dict.fromkeys(pairs)]
    added = await insert_many_ignoring_conflict(session, Vote, values, conflict=["idea_id", "voter_ref"],
                                                returning=[col(Vote.idea_id), col(Vote.voter_ref)])
    return {(int(idea_id), str(voter)) for idea_id, voter in added}


async def posts_of_ideas(session: AsyncSession, *, idea_ids: Iterable[int]) -> list[IdeaPost]:
    ids = list(set(idea_ids))
    if not ids:
        return []
    return list((await session.execute(select(IdeaPost).where(col(IdeaPost.idea_id).in_(ids)))).scalars())


async def enqueue_post_updates(
    session: AsyncSession, *, posts: Sequence[IdeaPost], due: datetime, now: datetime
) -> None:
    """One pending update per post: a post that already has one waiting is left alone (the coalescing)."""
    rows = [{
        "platform": post.platform, "kind": "idea_update", "conversation": post.conversation, "user_ref": None,
        "lane": post.conversation,
        "thread": None, "idea_id": post.idea_id, "payload": {"message_id": post.message_id},
        "coalesce_key": f"update:{post.id}", "state": "pending", "attempts": 0, "next_attempt_at": due,
        "created_at": now,
    } for post in posts]
    await insert_many_ignoring_conflict(session, OutboxMessage, rows, conflict=["coalesce_key"])
