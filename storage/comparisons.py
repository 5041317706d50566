"""Repository functions for "A or B?": answers stored once per person per pair, and what pair choice needs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from storage.models import Comparison, Idea
from storage.upsert import insert_ignoring_conflict

OUTCOMES = ("first", "second", "tie")


@dataclass(frozen=True)
class Outcome:
    """One stored answer with both ideas mapped to the idea they now live in (a merged duplicate's survivor)."""

    challenge_key: str
    idea_a_id: int
    idea_b_id: int
    outcome: str  # "a", "b" or "tie"


async def record_comparison(session: AsyncSession, *, person_ref: str, challenge_key: str, first_id: int,
                            second_id: int, chose: str, now: datetime) -> bool:
    """Stores an answer about (first, second) as shown; False when this person had already answered that pair."""
    if chose not in OUTCOMES or first_id == second_id:
        raise ValueError(f"not an answer: {chose!r} about {first_id} and {second_id}")
    low, high = sorted((first_id, second_id))
    if chose == "tie":
        outcome = "tie"
    else:
        winner = first_id if chose == "first" else second_id
        outcome = "a" if winner == low else "b"
    values = {"person_ref": person_ref, "challenge_key": challenge_key, "idea_a_id": low, "idea_b_id": high,
              "outcome": outcome, "at": now}
    return await insert_ignoring_conflict(session, Comparison, values,
                                          conflict=["person_ref", "idea_a_id", "idea_b_id"])


async def seen_pairs(session: AsyncSession, *, person_ref: str, challenge_key: str) -> set[tuple[int, int]]:
    """The pairs (lower id first) this person has already answered in the challenge."""
    statement = select(col(Comparison.idea_a_id), col(Comparison.idea_b_id)).where(
        col(Comparison.person_ref) == person_ref, col(Comparison.challenge_key) == challenge_key)
    return {(a, b) for a, b in (await session.execute(statement)).all()}


async def answers_by(session: AsyncSession, *, person_ref: str, challenge_key: str) -> int:
    statement = select(func.count()).select_from(Comparison).where(
        col(Comparison.person_ref) == person_ref, col(Comparison.challenge_key) == challenge_key)
    return int((await session.execute(statement)).scalar_one())


async def comparison_counts(session: AsyncSession, *, idea_ids: Iterable[int]) -> dict[int, int]:
    """How many answers (everyone's, ties included) each idea has been part of."""
    ids = list(idea_ids)
    if not ids:
        return {}
    sides = union_all(select(col(Comparison.idea_a_id).label("idea_id")).where(col(Comparison.idea_a_id).in_(ids)),
                      select(col(Comparison.idea_b_id).label("idea_id")).where(col(Comparison.idea_b_id).in_(ids))).subquery()
    statement = select(sides.c.idea_id, func.count()).group_by(sides.c.idea_id)
    counts: dict[int, int] = dict((await session.execute(statement)).all())
    return {idea_id: int(counts.get(idea_id, 0)) for idea_id in ids}


async def comparable_ideas(session: AsyncSession, *, challenge_key: str, not_by: str, closed: Iterable[str],
                           removed_text: str) -> list[Idea]:
    """Ideas a person may be asked about: the challenge's surviving ideas, open, not erased, not their own."""
    statement = select(Idea).where(
        col(Idea.challenge_key) == challenge_key, col(Idea.merged_into_id).is_(None), col(Idea.author_ref) != not_by,
        col(Idea.status).not_in(list(closed)), col(Idea.text) != removed_text).order_by(col(Idea.id))
    return list((await session.execute(statement)).scalars())


async def outcomes(session: AsyncSession, *, challenge_key: str | None = None, removed_text: str | None = None
                   ) -> list[Outcome]:
    """Every answer, each idea mapped to its survivor; answers whose two ideas are now one are left out, and with
    `removed_text` answers about an idea (a survivor) that was erased: it is no longer one of the challenge's ideas."""
    first, second = aliased(Idea), aliased(Idea)
    a_id = func.coalesce(first.merged_into_id, first.id)
    b_id = func.coalesce(second.merged_into_id, second.id)
    statement = (
        select(col(Comparison.challenge_key), a_id, b_id, col(Comparison.outcome))
        .join(first, col(first.id) == col(Comparison.idea_a_id))
        .join(second, col(second.id) == col(Comparison.idea_b_id))
        .where(a_id != b_id)
        .order_by(col(Comparison.id))
    )
    if removed_text is not None:
        # The survivor's text decides: a merged duplicate erased since still speaks for the idea it joined.
        survivor_a, survivor_b = aliased(Idea), aliased(Idea)
        statement = (statement.join(survivor_a, col(survivor_a.id) == a_id)
                     .join(survivor_b, col(survivor_b.id) == b_id)
                     .where(col(survivor_a.text) != removed_text, col(survivor_b.text) != removed_text))
    if challenge_key:
        statement = statement.where(col(Comparison.challenge_key) == challenge_key)
    return [Outcome(key, int(a), int(b), outcome) for key, a, b, outcome in (await session.execute(statement)).all()]


async def ideas_by_ids(session: AsyncSession, *, idea_ids: Iterable[int]) -> dict[int, Idea]:
    ids = list(idea_ids)
    if not ids:
        return {}
    statement = select(Idea).where(col(Idea.id).in_(ids))
    return {idea.id: idea for idea in (await session.execute(statement)).scalars()}  # type: ignore[misc]
