"""Reads behind prompts and digests: reach per challenge, ideas awaiting a decision, who backed what."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Comment, Idea, Participant, Vote


async def challenge_reach(session: AsyncSession, *, challenge_key: str) -> tuple[int, int]:
    """(ideas, people) in one challenge: surviving ideas, and everyone who shared, voted or commented."""
    in_challenge = select(Idea.id).where(Idea.challenge_key == challenge_key)
    ideas = await session.execute(select(func.count()).select_from(Idea).where(
        Idea.challenge_key == challenge_key, Idea.merged_into_id.is_(None)))
    people = union(
        select(Idea.author_ref.label("ref")).where(Idea.challenge_key == challenge_key),
        select(Vote.voter_ref).where(Vote.idea_id.in_(in_challenge)),
        select(Comment.author_ref).where(Comment.idea_id.in_(in_challenge)),
    ).subquery()
    count = await session.execute(select(func.count()).select_from(people))
    return int(ideas.scalar_one()), int(count.scalar_one())


async def awaiting_decision(
    session: AsyncSession, *, created_before: datetime, undecided: Sequence[str], limit: int = 20
) -> list[Idea]:
    """Surviving ideas still undecided that were shared before the cut-off, oldest first."""
    statement = (select(Idea).where(Idea.merged_into_id.is_(None), Idea.status.in_(list(undecided)),
                                    Idea.created_at <= created_before)
                 .order_by(Idea.created_at, Idea.number).limit(limit))
    return list((await session.execute(statement)).scalars())


async def backers_of(session: AsyncSession, *, idea_ids: Iterable[int]) -> set[tuple[str, int]]:
    """(person, idea id) for everyone who voted for or commented on these ideas."""
    ids = list(idea_ids)
    if not ids:
        return set()
    statement = union(select(Vote.voter_ref, Vote.idea_id).where(Vote.idea_id.in_(ids)),
                      select(Comment.author_ref, Comment.idea_id).where(Comment.idea_id.in_(ids)))
    return {(ref, idea_id) for ref, idea_id in (await session.execute(statement)).all()}


async def notifications_off(session: AsyncSession, *, refs: Iterable[str]) -> set[str]:
    wanted = list(refs)
    if not wanted:
        return set()
    statement = select(Participant.ref).where(Participant.ref.in_(wanted), Participant.notifications.is_(False))
    return set((await session.execute(statement)).scalars())
