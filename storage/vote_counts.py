"""Keeps idea.vote_count exact. Every change that touches several idea rows touches them in id order, so two
replicas changing overlapping sets of ideas queue behind each other instead of deadlocking (PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache

from sqlalchemy import Update, bindparam, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Idea, Vote
from storage.upsert import table_of


async def lock_in_id_order(session: AsyncSession, *, idea_ids: Iterable[int]) -> None:
    """Row locks on these ideas, taken lowest id first (a no-op on SQLite, which has one writer anyway)."""
    ids = sorted(set(idea_ids))
    if ids and session.get_bind().dialect.name == "postgresql":
        await session.execute(
            select(col(Idea.id)).where(col(Idea.id).in_(ids)).order_by(col(Idea.id)).with_for_update()
        )


async def apply_vote_deltas(
    session: AsyncSession, *, deltas: Mapping[int, int], merged_into: Mapping[int, int | None],
    grouped: set[int] | None = None,
) -> None:
    """Adds each idea's net change in votes. An idea with duplicates merged into it, and the survivor of a
    merged duplicate, is recounted instead (one person's votes on both count once). `merged_into` names the
    survivor of each idea in `deltas` that is a merged duplicate; `grouped`, when the caller knows it, which
    ideas have duplicates merged into them (else it is looked up)."""
    changed = {idea_id: delta for idea_id, delta in deltas.items() if delta}
    if not changed:
        return
    survivors = {parent for idea_id in changed if (parent := merged_into.get(idea_id)) is not None}
    if grouped is None:
        grouped = await _with_merged_children(session, [i for i in changed if merged_into.get(i) is None])
    shifts: list[dict[str, int]] = []
    for idea_id in sorted(set(changed) | survivors):
        if idea_id in grouped or idea_id in survivors:
            await _shift(session, shifts)  # keep the id order: the shifts below this id go first
            shifts = []
            await recount_votes(session, idea_id=idea_id)
        else:
            shifts.append({"target": idea_id, "delta": changed[idea_id]})
    await _shift(session, shifts)


async def recount(session: AsyncSession, *, idea_ids: Iterable[int]) -> None:
    """Recounts these ideas from the vote table (and the survivors of those that are merged duplicates)."""
    ids = set(idea_ids)
    if not ids:
        return
    rows = (await session.execute(select(col(Idea.id), col(Idea.merged_into_id)).where(col(Idea.id).in_(ids)))).all()
    duplicates = {idea_id for idea_id, parent in rows if idea_id is not None and parent is not None}
    survivors = {parent for _, parent in rows if parent is not None}
    for idea_id in sorted({idea_id for idea_id, _ in rows if idea_id is not None} | survivors):
        if idea_id in duplicates:
            await recount_own_votes(session, idea_id=idea_id)
        else:
            await recount_votes(session, idea_id=idea_id)


async def _with_merged_children(session: AsyncSession, idea_ids: list[int]) -> set[int]:
    if not idea_ids:
        return set()
    rows = await session.execute(
        select(col(Idea.merged_into_id)).where(col(Idea.merged_into_id).in_(idea_ids)).distinct()
    )
    return {idea_id for (idea_id,) in rows.all() if idea_id is not None}


@cache
def _shift_statement() -> Update:
    table = table_of(Idea)  # Core table: a plain executemany, run in list (id) order, one round trip
    return update(table).where(table.c.id == bindparam("target")).values(vote_count=table.c.vote_count
                                                                         + bindparam("delta"))


async def _shift(session: AsyncSession, shifts: list[dict[str, int]]) -> None:
    if shifts:
        connection = await session.connection()  # the vote path's hot statement: past the ORM's execute
        await connection.execute(_shift_statement(), shifts)


async def recount_votes(session: AsyncSession, *, idea_id: int) -> int:
    """Sets an idea's vote_count from the vote table: distinct voters over it and its merged duplicates.
    The row lock (PostgreSQL) keeps two concurrent recounts of one group from interleaving."""
    await session.execute(select(col(Idea.id)).where(col(Idea.id) == idea_id).with_for_update())
    distinct_voters = await session.execute(
        select(func.count(func.distinct(col(Vote.voter_ref)))).join(Idea, col(Idea.id) == col(Vote.idea_id))
        .where(or_(col(Idea.id) == idea_id, col(Idea.merged_into_id) == idea_id)))
    count = int(distinct_voters.scalar_one())
    await session.execute(update(Idea).where(col(Idea.id) == idea_id).values(vote_count=count))
    return count


async def recount_own_votes(session: AsyncSession, *, idea_id: int) -> None:
    own = select(func.count()).where(col(Vote.idea_id) == idea_id).scalar_subquery()
    await session.execute(update(Idea).where(col(Idea.id) == idea_id).values(vote_count=own))
