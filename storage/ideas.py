"""Repository functions for ideas and what hangs off them. The caller owns the transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Campaign, Comment, Idea, IdeaTheme, StatusChange, Vote, VoteReaction
from storage.upsert import insert_ignoring_conflict
from storage.vote_counts import apply_vote_deltas


async def allocate_number(session: AsyncSession, *, campaign_name: str) -> int:
    """The next short idea number; the row lock serialises concurrent submissions on PostgreSQL."""
    await insert_ignoring_conflict(
        session, Campaign, {"id": 1, "name": campaign_name, "next_idea_number": 1}, conflict=["id"]
    )
    result = await session.execute(
        update(Campaign).where(col(Campaign.id) == 1)
        .values(next_idea_number=col(Campaign.next_idea_number) + 1)
        .returning(col(Campaign.next_idea_number))
    )
    return int(result.scalar_one()) - 1


async def create_idea(
    session: AsyncSession, *, number: int, challenge_key: str, text: str, author_ref: str,
    anonymous: bool, now: datetime,
) -> Idea:
    idea = Idea(number=number, challenge_key=challenge_key, text=text, author_ref=author_ref,
                anonymous=anonymous, created_at=now, updated_at=now)
    session.add(idea)
    await session.flush()
    return idea


async def get_idea(session: AsyncSession, *, number: int, for_update: bool = False) -> Idea | None:
    statement = select(Idea).where(col(Idea.number) == number)
    if for_update:
        statement = statement.with_for_update()
    return (await session.execute(statement)).scalar_one_or_none()


async def get_idea_by_id(session: AsyncSession, *, idea_id: int) -> Idea | None:
    return await session.get(Idea, idea_id)


async def lock_idea(session: AsyncSession, *, idea_id: int) -> Idea | None:
    """The idea, its row locked until the transaction ends (PostgreSQL; SQLite has one writer anyway)."""
    statement = select(Idea).where(col(Idea.id) == idea_id).with_for_update().execution_options(populate_existing=True)
    return (await session.execute(statement)).scalar_one_or_none()


async def ideas_by_author(session: AsyncSession, *, author_ref: str, limit: int = 50) -> list[Idea]:
    statement = select(Idea).where(col(Idea.author_ref) == author_ref).order_by(col(Idea.number).desc()).limit(limit)
    return list((await session.execute(statement)).scalars())


async def merged_children(session: AsyncSession, *, idea_id: int) -> list[Idea]:
    return list((await session.execute(select(Idea).where(col(Idea.merged_into_id) == idea_id))).scalars())


async def vote_counts(session: AsyncSession, *, idea_ids: Iterable[int]) -> dict[int, int]:
    """Distinct voters per idea, counting votes on duplicates merged into it once per person."""
    ids = list(idea_ids)
    if not ids:
        return {}
    rows = await session.execute(select(col(Idea.id), col(Idea.vote_count)).where(col(Idea.id).in_(ids)))
    counts = {k: int(v) for k, v in rows.all() if k is not None}
    return {idea_id: counts.get(idea_id, 0) for idea_id in ids}


async def has_merged_children(session: AsyncSession, *, idea_id: int) -> bool:
    result = await session.execute(select(col(Idea.id)).where(col(Idea.merged_into_id) == idea_id).limit(1))
    return result.first() is not None


async def after_vote_change(session: AsyncSession, *, idea: Idea, delta: int) -> None:
    """Keeps vote_count in step after one vote on `idea` was added (+1) or removed (-1)."""
    await apply_vote_deltas(session, deltas={idea.id: delta},  # type: ignore[dict-item]
                            merged_into={idea.id: idea.merged_into_id})  # type: ignore[dict-item]


async def comment_counts(session: AsyncSession, *, idea_ids: Iterable[int]) -> dict[int, int]:
    ids = list(idea_ids)
    if not ids:
        return {}
    statement = (
        select(col(Comment.idea_id), func.count()).where(col(Comment.idea_id).in_(ids)).group_by(col(Comment.idea_id))
    )
    counts = dict((await session.execute(statement)).all())
    return {idea_id: int(counts.get(idea_id, 0)) for idea_id in ids}


async def top_ideas(
    session: AsyncSession, *, challenge_key: str | None = None, limit: int = 5
) -> list[tuple[Idea, int]]:
    """Surviving (not merged) ideas with the most distinct voters, newest first among equals."""
    statement = (select(Idea).where(col(Idea.merged_into_id).is_(None))
                 .order_by(col(Idea.vote_count).desc(), col(Idea.number).desc()).limit(limit)
                 .execution_options(populate_existing=True))
    if challenge_key:
        statement = statement.where(col(Idea.challenge_key) == challenge_key)
    return [(idea, idea.vote_count) for idea in (await session.execute(statement)).scalars()]


async def add_vote(session: AsyncSession, *, idea: Idea, voter_ref: str, now: datetime) -> bool:
    """Adds one vote and keeps vote_count in step; False when this voter's vote was already there."""
    added = await insert_ignoring_conflict(
        session, Vote, {"idea_id": idea.id, "voter_ref": voter_ref, "created_at": now},
        conflict=["idea_id", "voter_ref"],
    )
    if added:
        await after_vote_change(session, idea=idea, delta=1)
    return added


async def remove_vote(session: AsyncSession, *, idea: Idea, voter_ref: str) -> bool:
    removed = await delete_vote(session, idea_id=idea.id, voter_ref=voter_ref)  # type: ignore[arg-type]
    if removed:
        await after_vote_change(session, idea=idea, delta=-1)
    return removed


async def delete_vote(session: AsyncSession, *, idea_id: int, voter_ref: str) -> bool:
    """Deletes the vote and its reactions, leaving vote_count to the caller; True when there was one."""
    await session.execute(
        delete(VoteReaction).where(col(VoteReaction.idea_id) == idea_id, col(VoteReaction.voter_ref) == voter_ref)
    )
    result = await session.execute(delete(Vote).where(col(Vote.idea_id) == idea_id, col(Vote.voter_ref) == voter_ref))
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def add_reaction(session: AsyncSession, *, idea_id: int, voter_ref: str, emoji: str) -> None:
    await insert_ignoring_conflict(
        session, VoteReaction, {"idea_id": idea_id, "voter_ref": voter_ref, "emoji": emoji},
        conflict=["idea_id", "voter_ref", "emoji"],
    )


async def remove_reaction(session: AsyncSession, *, idea_id: int, voter_ref: str, emoji: str) -> int:
    """Removes one vote emoji; returns how many vote emoji that person still has on the idea."""
    await session.execute(
        delete(VoteReaction).where(
            col(VoteReaction.idea_id) == idea_id,
            col(VoteReaction.voter_ref) == voter_ref,
            col(VoteReaction.emoji) == emoji,
        )
    )
    remaining = await session.execute(select(func.count()).where(
        col(VoteReaction.idea_id) == idea_id, col(VoteReaction.voter_ref) == voter_ref))
    return int(remaining.scalar_one())


async def has_voted(session: AsyncSession, *, idea_id: int, voter_ref: str) -> bool:
    result = await session.execute(
        select(col(Vote.id)).where(col(Vote.idea_id) == idea_id, col(Vote.voter_ref) == voter_ref).limit(1))
    return result.first() is not None


async def add_comment(
    session: AsyncSession, *, idea_id: int, author_ref: str, text: str, source_ref: str | None, now: datetime
) -> bool:
    """Stores a comment; False when its source message was already stored (an edit or a retry)."""
    values: dict[str, Any] = {"idea_id": idea_id, "author_ref": author_ref, "text": text, "source_ref": source_ref,
                              "created_at": now}
    if source_ref is None:
        session.add(Comment(**values))
        return True
    return await insert_ignoring_conflict(session, Comment, values, conflict=["source_ref"])


async def add_theme(session: AsyncSession, *, idea_id: int, theme: str, added_by: str, now: datetime) -> bool:
    return await insert_ignoring_conflict(
        session, IdeaTheme, {"idea_id": idea_id, "theme": theme, "added_by": added_by, "created_at": now},
        conflict=["idea_id", "theme"],
    )


async def remove_theme(session: AsyncSession, *, idea_id: int, theme: str) -> bool:
    result = await session.execute(
        delete(IdeaTheme).where(col(IdeaTheme.idea_id) == idea_id, col(IdeaTheme.theme) == theme)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def themes_of(session: AsyncSession, *, idea_ids: Iterable[int]) -> dict[int, list[str]]:
    ids = list(idea_ids)
    themes: dict[int, list[str]] = {idea_id: [] for idea_id in ids}
    if ids:
        rows = await session.execute(
            select(col(IdeaTheme.idea_id), col(IdeaTheme.theme))
            .where(col(IdeaTheme.idea_id).in_(ids))
            .order_by(col(IdeaTheme.id))
        )
        for idea_id, theme in rows.all():
            themes[idea_id].append(theme)
    return themes


async def record_status_change(
    session: AsyncSession, *, idea: Idea, to_status: str, note: str, by_ref: str, now: datetime
) -> StatusChange:
    assert idea.id is not None, "a status change is for a stored idea"
    change = StatusChange(idea_id=idea.id, from_status=idea.status, to_status=to_status, note=note,
                          by_ref=by_ref, created_at=now)
    idea.status = to_status
    idea.updated_at = now
    session.add(change)
    await session.flush()
    return change


async def last_decisions(session: AsyncSession, *, idea_ids: Iterable[int]) -> dict[int, StatusChange]:
    """The latest status change with a note, per idea."""
    ids = list(idea_ids)
    if not ids:
        return {}
    latest = (
        select(func.max(col(StatusChange.id)))
        .where(col(StatusChange.idea_id).in_(ids), col(StatusChange.note) != "")
        .group_by(col(StatusChange.idea_id))
    )
    rows = await session.execute(select(StatusChange).where(col(StatusChange.id).in_(latest)))
    return {change.idea_id: change for change in rows.scalars()}


async def status_changes_between(
    session: AsyncSession, *, start: datetime, end: datetime
) -> list[tuple[StatusChange, Idea]]:
    statement = (
        select(StatusChange, Idea).join(Idea, col(Idea.id) == col(StatusChange.idea_id))
        .where(col(StatusChange.created_at) >= start, col(StatusChange.created_at) < end)
        .order_by(col(StatusChange.id))
    )
    return [(change, idea) for change, idea in (await session.execute(statement)).all()]


async def latest_decisions_between(
    session: AsyncSession, *, start: datetime, end: datetime, limit: int
) -> tuple[list[tuple[StatusChange, Idea]], int]:
    """Each idea's latest status change in the period (moves back to "new" left out), newest first, at most
    `limit` of them; and how many ideas had one. Bounded, so a national campaign's week stays one query."""
    latest = (
        select(func.max(col(StatusChange.id)).label("id"))
        .where(
            col(StatusChange.created_at) >= start,
            col(StatusChange.created_at) < end,
            col(StatusChange.to_status) != "new",
        )
        .group_by(col(StatusChange.idea_id))
        .subquery()
    )
    total = int((await session.execute(select(func.count()).select_from(latest))).scalar_one())
    statement = (select(StatusChange, Idea).join(Idea, col(Idea.id) == col(StatusChange.idea_id))
                 .where(col(StatusChange.id).in_(select(latest.c.id))).order_by(col(StatusChange.id).desc()).limit(limit))
    return [(change, idea) for change, idea in (await session.execute(statement)).all()], total


async def count_ideas_created_between(session: AsyncSession, *, start: datetime, end: datetime) -> int:
    statement = select(func.count()).select_from(Idea).where(
        col(Idea.created_at) >= start, col(Idea.created_at) < end, col(Idea.merged_into_id).is_(None))
    return int((await session.execute(statement)).scalar_one())


async def ideas_created_between(
    session: AsyncSession, *, start: datetime, end: datetime, limit: int | None = None
) -> list[Idea]:
    statement = (
        select(Idea)
        .where(col(Idea.created_at) >= start, col(Idea.created_at) < end, col(Idea.merged_into_id).is_(None))
        .order_by(col(Idea.number))
        .limit(limit)
    )
    return list((await session.execute(statement)).scalars())


async def all_ideas(session: AsyncSession) -> list[Idea]:
    return list((await session.execute(select(Idea).order_by(col(Idea.number)))).scalars())


async def ideas_after(session: AsyncSession, *, after_number: int, limit: int) -> list[Idea]:
    """One page of ideas by number (keyset paging: each page costs the same however far in it is)."""
    statement = select(Idea).where(col(Idea.number) > after_number).order_by(col(Idea.number)).limit(limit)
    return list((await session.execute(statement)).scalars())


async def numbers_of(session: AsyncSession, *, idea_ids: Iterable[int]) -> dict[int, int]:
    ids = list(idea_ids)
    if not ids:
        return {}
    rows = await session.execute(select(col(Idea.id), col(Idea.number)).where(col(Idea.id).in_(ids)))
    return {idea_id: number for idea_id, number in rows.all() if idea_id is not None}


async def recent_voters(session: AsyncSession, *, idea_id: int, limit: int) -> list[str]:
    """The idea's latest voters, newest first (at most `limit`)."""
    rows = await session.execute(select(col(Vote.voter_ref)).where(col(Vote.idea_id) == idea_id)
                                 .order_by(col(Vote.created_at).desc(), col(Vote.id).desc()).limit(limit))
    return [str(ref) for (ref,) in rows.all()]


async def voters_moved_by_merge(session: AsyncSession, *, duplicate_id: int, survivor_id: int
                                ) -> tuple[set[str], set[str]]:
    """(who voted for the duplicate, which of them voted for the survivor too)."""
    on_duplicate = select(col(Vote.voter_ref)).where(col(Vote.idea_id) == duplicate_id)
    rows = await session.execute(select(col(Vote.voter_ref), col(Vote.idea_id)).where(
        col(Vote.idea_id).in_([duplicate_id, survivor_id]), col(Vote.voter_ref).in_(on_duplicate)))
    pairs = [(str(ref), idea_id) for ref, idea_id in rows.all()]
    return ({ref for ref, _ in pairs}, {ref for ref, idea_id in pairs if idea_id == survivor_id})
