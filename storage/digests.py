"""Reads behind prompts and digests: reach per challenge, ideas awaiting a decision, who backed what."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, select, union
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Comment, Idea, IdeaTheme, Participant, Vote


async def challenge_reach(session: AsyncSession, *, challenge_key: str) -> tuple[int, int]:
    """(ideas, people) in one challenge: surviving ideas, and everyone who shared, voted or commented."""
    in_challenge = select(col(Idea.id)).where(col(Idea.challenge_key) == challenge_key)
    ideas = await session.execute(select(func.count()).select_from(Idea).where(
        col(Idea.challenge_key) == challenge_key, col(Idea.merged_into_id).is_(None)))
    people = union(
        select(col(Idea.author_ref).label("ref")).where(col(Idea.challenge_key) == challenge_key),
        select(col(Vote.voter_ref)).where(col(Vote.idea_id).in_(in_challenge)),
        select(col(Comment.author_ref)).where(col(Comment.idea_id).in_(in_challenge)),
    ).subquery()
    count = await session.execute(select(func.count()).select_from(people))
    return int(ideas.scalar_one()), int(count.scalar_one())


async def awaiting_decision(
    session: AsyncSession, *, created_before: datetime, undecided: Sequence[str], limit: int = 20
) -> list[Idea]:
    """Surviving ideas still undecided that were shared before the cut-off, oldest first."""
    statement = (select(Idea).where(col(Idea.merged_into_id).is_(None), col(Idea.status).in_(list(undecided)),
                                    col(Idea.created_at) <= created_before)
                 .order_by(col(Idea.created_at), col(Idea.number)).limit(limit))
    return list((await session.execute(statement)).scalars())


async def backers_of(session: AsyncSession, *, idea_ids: Iterable[int]) -> set[tuple[str, int]]:
    """(person, idea id) for everyone who voted for or commented on these ideas."""
    ids = list(idea_ids)
    if not ids:
        return set()
    statement = union(select(col(Vote.voter_ref), col(Vote.idea_id)).where(col(Vote.idea_id).in_(ids)),
                      select(col(Comment.author_ref), col(Comment.idea_id)).where(col(Comment.idea_id).in_(ids)))
    return {(ref, idea_id) for ref, idea_id in (await session.execute(statement)).all()}


async def notifications_off(session: AsyncSession, *, refs: Iterable[str]) -> set[str]:
    wanted = list(refs)
    if not wanted:
        return set()
    statement = select(col(Participant.ref)).where(
        col(Participant.ref).in_(wanted), col(Participant.notifications).is_(False)
    )
    return set((await session.execute(statement)).scalars())


async def themes_added_between(
    session: AsyncSession, *, start: datetime, end: datetime, limit: int
) -> list[tuple[str, int, Idea]]:
    """Themes managers gave to ideas in the period, most ideas first: (theme, surviving ideas that carry it,
    the most-voted of them). A theme given this period counts all its ideas, older ones too."""
    added = (
        select(col(IdeaTheme.theme))
        .join(Idea, col(Idea.id) == col(IdeaTheme.idea_id))
        .where(col(IdeaTheme.created_at) >= start, col(IdeaTheme.created_at) < end, col(Idea.merged_into_id).is_(None))
        .distinct()
        .subquery()
    )
    counts = await session.execute(
        select(col(IdeaTheme.theme), func.count(col(IdeaTheme.idea_id)))
        .join(Idea, col(Idea.id) == col(IdeaTheme.idea_id))
        .where(col(IdeaTheme.theme).in_(select(added.c.theme)), col(Idea.merged_into_id).is_(None))
        .group_by(col(IdeaTheme.theme))
        .order_by(func.count(col(IdeaTheme.idea_id)).desc(), col(IdeaTheme.theme))
        .limit(limit)
    )
    result = []
    for theme, count in counts.all():
        leader = await session.execute(
            select(Idea).join(IdeaTheme, col(IdeaTheme.idea_id) == col(Idea.id))
            .where(col(IdeaTheme.theme) == theme, col(Idea.merged_into_id).is_(None))
            .order_by(col(Idea.vote_count).desc(), col(Idea.number)).limit(1))
        result.append((str(theme), int(count), leader.scalar_one()))
    return result
