"""The fika trial's figures: rounds, people paired, groups that met, ideas from fika, and participation of
people who took part in fika against everyone else the bot knows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, distinct, func, select, union
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.fika_models import FikaIdea, FikaMember, FikaPerson, FikaRound
from storage.models import Comment, Idea, Participant, Vote


@dataclass(frozen=True)
class Participation:
    people: int
    contributors: int  # people with at least one named idea, comment or vote
    ideas: int  # named ideas only: counting anonymous ones per group could reveal a small group's authors
    comments: int
    votes: int


@dataclass(frozen=True)
class FikaFigures:
    rounds: int
    people_paired: int
    opted_in: int
    groups: int
    groups_met: int
    answers: dict[str, int]
    ideas_from_fika: int
    fika: Participation
    others: Participation


async def _count(session: AsyncSession, statement: Select) -> int:
    return int((await session.execute(statement)).scalar_one() or 0)


async def _participation(session: AsyncSession, people: Select, size: int) -> Participation:
    ideas: Select[tuple[str]] = select(col(Idea.author_ref).label("ref")).where(
        col(Idea.author_ref).in_(people), col(Idea.anonymous).is_(False)
    )
    comments: Select[tuple[str]] = select(col(Comment.author_ref).label("ref")).where(
        col(Comment.author_ref).in_(people)
    )
    votes: Select[tuple[str]] = select(col(Vote.voter_ref).label("ref")).where(col(Vote.voter_ref).in_(people))
    contributors = union(ideas, comments, votes).subquery()
    return Participation(
        people=size,
        contributors=await _count(session, select(func.count()).select_from(contributors)),
        ideas=await _count(session, select(func.count()).select_from(ideas.subquery())),
        comments=await _count(session, select(func.count()).select_from(comments.subquery())),
        votes=await _count(session, select(func.count()).select_from(votes.subquery())),
    )


async def fika_figures(session: AsyncSession) -> FikaFigures:
    paired = select(col(FikaMember.person_ref)).distinct()
    known = union(select(col(Participant.ref)), select(col(FikaPerson.ref))).subquery()
    others = select(known.c.ref).where(known.c.ref.not_in(paired))
    met_groups = select(col(FikaMember.group_id)).where(col(FikaMember.outcome) == "met").distinct().subquery()
    answers = dict((await session.execute(select(col(FikaMember.outcome), func.count()).where(
        col(FikaMember.outcome).is_not(None)).group_by(col(FikaMember.outcome)))).all())
    people_paired = await _count(session, select(func.count()).select_from(paired.subquery()))
    others_count = await _count(session, select(func.count()).select_from(others.subquery()))
    return FikaFigures(
        rounds=await _count(session, select(func.count()).select_from(FikaRound)),
        people_paired=people_paired,
        opted_in=await _count(session, select(func.count()).select_from(FikaPerson).where(
            col(FikaPerson.opted_in).is_(True))),
        groups=await _count(session, select(func.count(distinct(col(FikaMember.group_id))))),
        groups_met=await _count(session, select(func.count()).select_from(met_groups)),
        answers={str(k): int(v) for k, v in answers.items()},
        ideas_from_fika=await _count(session, select(func.count()).select_from(FikaIdea)),
        fika=await _participation(session, paired, people_paired),
        others=await _participation(session, others, others_count),
    )
