"""Campaign-wide aggregates, in the terms real campaigns report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import CompoundSelect, Select, and_, case, func, or_, select, union, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Comment, Idea, IdeaTheme, Participant, StatusChange, Vote


@dataclass(frozen=True)
class CampaignFigures:
    ideas: int
    comments: int
    votes: int
    participants: int
    community_managers_active: int
    decided: int
    by_status: dict[str, int] = field(default_factory=dict)
    by_horizon: dict[str, int] = field(default_factory=dict)
    by_challenge: dict[str, int] = field(default_factory=dict)


async def _scalar(session: AsyncSession, statement: Select) -> int:
    return int((await session.execute(statement)).scalar_one() or 0)


async def campaign_figures(
    session: AsyncSession, *, community_managers: Sequence[str], decided_statuses: Sequence[str]
) -> CampaignFigures:
    surviving = col(Idea.merged_into_id).is_(None)
    managers = list(community_managers)
    # Filter each source before the union, so each reads its index instead of every comment.
    actions: CompoundSelect = union(
        select(col(StatusChange.by_ref).label("ref")).where(col(StatusChange.by_ref).in_(managers)),
        select(col(IdeaTheme.added_by)).where(col(IdeaTheme.added_by).in_(managers)),
        select(col(Comment.author_ref)).where(col(Comment.author_ref).in_(managers)),
    )
    by_status = dict((await session.execute(
        select(col(Idea.status), func.count()).where(surviving).group_by(col(Idea.status)))).all())
    by_horizon = dict(
        (
            await session.execute(
                select(col(Idea.horizon), func.count())
                .where(surviving, col(Idea.horizon).is_not(None))
                .group_by(col(Idea.horizon))
            )
        ).all()
    )
    by_challenge = dict((await session.execute(
        select(col(Idea.challenge_key), func.count()).where(surviving).group_by(col(Idea.challenge_key)))).all())
    cms_active = await _scalar(session, select(func.count()).select_from(actions.subquery())) if managers else 0
    return CampaignFigures(
        ideas=sum(by_status.values()),
        comments=await _scalar(session, select(func.count()).select_from(Comment)),
        votes=await _scalar(session, select(func.count()).select_from(Vote)),
        participants=await _scalar(session, select(func.count()).select_from(Participant).where(
            col(Participant.first_contribution_at).is_not(None))),
        community_managers_active=cms_active,
        decided=sum(count for status, count in by_status.items() if status in decided_statuses),
        by_status={k: int(v) for k, v in by_status.items()},
        by_horizon={k: int(v) for k, v in by_horizon.items() if k is not None},
        by_challenge={k: int(v) for k, v in by_challenge.items()},
    )


def _first_response_subquery(community_managers: Sequence[str]):
    responses = union_all(
        select(col(StatusChange.idea_id).label("idea_id"), col(StatusChange.created_at).label("at")),
        select(col(IdeaTheme.idea_id), col(IdeaTheme.created_at)),
        select(col(Comment.idea_id), col(Comment.created_at)).where(
            col(Comment.author_ref).in_(list(community_managers) or [""])
        ),
    ).subquery()
    return select(responses.c.idea_id, func.min(responses.c.at).label("first_at")).group_by(
        responses.c.idea_id).subquery()


async def unanswered(
    session: AsyncSession, *, community_managers: Sequence[str], created_before: datetime, limit: int
) -> tuple[list[Idea], int]:
    """Surviving ideas with no response that were shared before the cut-off, oldest first (at most `limit`),
    and how many there are in all: filtered in SQL, so 100,000 ideas never leave the database."""
    first = _first_response_subquery(community_managers)
    waiting = (col(Idea.merged_into_id).is_(None), col(Idea.created_at) <= created_before, first.c.first_at.is_(None))
    total = await _scalar(session, select(func.count()).select_from(Idea).outerjoin(
        first, first.c.idea_id == col(Idea.id)).where(*waiting))
    statement = (select(Idea).outerjoin(first, first.c.idea_id == col(Idea.id)).where(*waiting)
                 .order_by(col(Idea.created_at), col(Idea.number)).limit(limit))
    return list((await session.execute(statement)).scalars()), total


async def acknowledgement_counts(
    session: AsyncSession, *, community_managers: Sequence[str], within: timedelta, now: datetime
) -> tuple[int, int]:
    """(eligible, answered in time): ideas whose response window has passed or that were answered, and of
    those, the ones answered within `within`. Computed in SQL so 100,000 ideas never leave the database."""
    first = _first_response_subquery(community_managers)
    first_at = first.c.first_at
    if session.get_bind().dialect.name == "sqlite":
        in_time = func.julianday(first_at) - func.julianday(col(Idea.created_at)) <= within.total_seconds() / 86400
    else:
        in_time = first_at - col(Idea.created_at) <= within
    eligible = or_(first_at.is_not(None), col(Idea.created_at) <= now - within)
    statement = (
        select(func.coalesce(func.sum(case((eligible, 1), else_=0)), 0),
               func.coalesce(func.sum(case((and_(first_at.is_not(None), in_time), 1), else_=0)), 0))
        .select_from(Idea).outerjoin(first, first.c.idea_id == col(Idea.id))
        .where(col(Idea.merged_into_id).is_(None))
    )
    counted, answered = (await session.execute(statement)).one()
    return int(counted), int(answered)


def _aware(value: datetime | str | None) -> datetime | None:
    # A MIN() over a UNION loses the column type on SQLite, so the value may come back as text.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value
