"""Fika repository functions: people and their choices, rounds, groups, outcomes; the caller commits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.fika_models import FikaGroup, FikaIdea, FikaMember, FikaPerson, FikaRound
from storage.upsert import insert_ignoring_conflict, table_of

ATTRIBUTES = ("team", "site", "profession")


async def upsert_people(session: AsyncSession, *, rows: Sequence[dict[str, Any]], now: datetime) -> int:
    """Sets name and attributes of each person (ref, name, team, site, profession); keeps their choices."""
    for row in rows:
        values = {key: row.get(key) for key in ("name", "email", *ATTRIBUTES)}
        values["name"] = values["name"] or ""
        inserted = await insert_ignoring_conflict(session, FikaPerson, {
            "ref": row["ref"], **values, "opted_in": False, "skip_next": False, "updated_at": now}, conflict=["ref"])
        if not inserted:
            await session.execute(update(FikaPerson).where(col(FikaPerson.ref) == row["ref"]).values(
                **values, updated_at=now))
    return len(rows)


async def set_choice(session: AsyncSession, *, ref: str, now: datetime, name: str = "", **choice: Any) -> None:
    """Sets opted_in / skip_next (and clears the stay-in question) for a person, creating their row if new."""
    inserted = await insert_ignoring_conflict(session, FikaPerson, {
        "ref": ref, "name": name, "opted_in": False, "skip_next": False, "updated_at": now, **choice},
        conflict=["ref"])
    if not inserted:
        await session.execute(update(FikaPerson).where(col(FikaPerson.ref) == ref).values(**choice, updated_at=now))


async def set_email_if_missing(session: AsyncSession, *, ref: str, email: str, now: datetime) -> bool:
    """Stores a sign-in address the platform gave for an opted-in person who has none (the people CSV's wins)."""
    result = await session.execute(update(FikaPerson).where(
        col(FikaPerson.ref) == ref, col(FikaPerson.email).is_(None) | (col(FikaPerson.email) == "")).values(
        email=email[:200], updated_at=now))
    return bool(getattr(result, "rowcount", 0))


async def get_person(session: AsyncSession, *, ref: str) -> FikaPerson | None:
    return await session.get(FikaPerson, ref)


async def opted_in(session: AsyncSession) -> list[FikaPerson]:
    statement = select(FikaPerson).where(col(FikaPerson.opted_in).is_(True)).order_by(col(FikaPerson.ref))
    return list((await session.execute(statement)).scalars())


async def people(session: AsyncSession, *, refs: Iterable[str]) -> dict[str, FikaPerson]:
    wanted = list(set(refs))
    if not wanted:
        return {}
    rows = await session.execute(select(FikaPerson).where(col(FikaPerson.ref).in_(wanted)))
    return {person.ref: person for person in rows.scalars()}


async def clear_skips(session: AsyncSession, *, now: datetime) -> None:
    await session.execute(update(FikaPerson).where(col(FikaPerson.skip_next).is_(True)).values(skip_next=False,
                                                                                           updated_at=now))


async def history(session: AsyncSession) -> list[tuple[str, str, int]]:
    """Every pair ever grouped: (person, person, round number)."""
    statement = (select(col(FikaMember.group_id), col(FikaMember.person_ref), col(FikaRound.number))
                 .join(FikaRound, col(FikaRound.id) == col(FikaMember.round_id)).order_by(col(FikaMember.group_id)))
    pairs: list[tuple[str, str, int]] = []
    group: list[str] = []
    current = None
    for group_id, ref, round_number in (await session.execute(statement)).all():
        if group_id != current:
            current, group = group_id, []
        pairs.extend((other, ref, round_number) for other in group)
        group.append(ref)
    return pairs


async def rounds_with_challenge(session: AsyncSession, *, challenge_key: str) -> int:
    statement = select(func.count()).select_from(FikaRound).where(col(FikaRound.challenge_key) == challenge_key)
    return int((await session.execute(statement)).scalar_one())


async def next_round_number(session: AsyncSession) -> int:
    return int((await session.execute(select(func.coalesce(func.max(col(FikaRound.number)), 0)))).scalar_one()) + 1


async def create_round(session: AsyncSession, *, number: int, seed: int, challenge_key: str, question: str,
                       started_by: str, now: datetime, follow_up_at: datetime,
                       groups: Sequence[Sequence[str]]) -> tuple[FikaRound, list[int]]:
    """Stores the round, its groups and members; returns the round and the group ids in drawn order."""
    fika_round = FikaRound(number=number, seed=seed, challenge_key=challenge_key, question=question,
                           started_by=started_by, started_at=now, follow_up_at=follow_up_at)
    session.add(fika_round)
    await session.flush()
    group_ids: list[int] = []
    if groups:
        # One executemany on the table (the ORM's bulk path, or RETURNING in parameter order, goes row by row on
        # SQLite), then the ids read back by position.
        await session.execute(insert(table_of(FikaGroup)), [{"round_id": fika_round.id, "position": p}
                                                            for p in range(len(groups))])
        rows = await session.execute(select(col(FikaGroup.id)).where(col(FikaGroup.round_id) == fika_round.id)
                                     .order_by(col(FikaGroup.position)))
        group_ids = [group_id for group_id in rows.scalars() if group_id is not None]
    members = [{"group_id": group_id, "round_id": fika_round.id, "person_ref": ref}
               for group_id, group in zip(group_ids, groups, strict=True) for ref in group]
    if members:
        await session.execute(insert(table_of(FikaMember)), members)
    return fika_round, group_ids


async def rounds_to_follow_up(session: AsyncSession, *, now: datetime) -> list[FikaRound]:
    statement = (select(FikaRound).where(col(FikaRound.follow_up_at) <= now, col(FikaRound.followed_up_at).is_(None))
                 .order_by(col(FikaRound.number)).with_for_update())
    return list((await session.execute(statement)).scalars())


async def mark_followed_up(session: AsyncSession, *, round_id: int, now: datetime) -> None:
    await session.execute(update(FikaRound).where(col(FikaRound.id) == round_id).values(followed_up_at=now))


async def members_of_round(session: AsyncSession, *, round_id: int) -> list[FikaMember]:
    statement = select(FikaMember).where(col(FikaMember.round_id) == round_id).order_by(col(FikaMember.group_id),
                                                                                   col(FikaMember.id))
    return list((await session.execute(statement)).scalars())


async def group_members(session: AsyncSession, *, group_id: int) -> list[FikaMember]:
    statement = select(FikaMember).where(col(FikaMember.group_id) == group_id).order_by(col(FikaMember.id))
    return list((await session.execute(statement)).scalars())


async def get_round(session: AsyncSession, *, round_id: int) -> FikaRound | None:
    return await session.get(FikaRound, round_id)


async def record_outcome(session: AsyncSession, *, round_id: int, person_ref: str, outcome: str,
                         now: datetime) -> bool:
    """Records a person's answer for a round; False when they were not in that round."""
    result = await session.execute(update(FikaMember).where(
        col(FikaMember.round_id) == round_id, col(FikaMember.person_ref) == person_ref).values(outcome=outcome,
                                                                                    answered_at=now))
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def recent_answers(session: AsyncSession, *, refs: Sequence[str], before_number: int, last: int
                         ) -> dict[str, list[tuple[int, str | None]]]:
    """For each person, their latest `last` rounds before `before_number` that were followed up:
    (round number, outcome), newest first."""
    if not refs:
        return {}
    statement = (select(col(FikaMember.person_ref), col(FikaRound.number), col(FikaMember.outcome))
                 .join(FikaRound, col(FikaRound.id) == col(FikaMember.round_id))
                 .where(col(FikaMember.person_ref).in_(list(refs)), col(FikaRound.number) < before_number,
                        col(FikaRound.followed_up_at).is_not(None))
                 .order_by(col(FikaMember.person_ref), col(FikaRound.number).desc()))
    answers: dict[str, list[tuple[int, str | None]]] = {}
    for ref, number, outcome in (await session.execute(statement)).all():
        mine = answers.setdefault(ref, [])
        if len(mine) < last:
            mine.append((number, outcome))
    return answers


async def mark_stay_asked(session: AsyncSession, *, refs: Sequence[str], round_number: int) -> None:
    if refs:
        await session.execute(update(FikaPerson).where(col(FikaPerson.ref).in_(list(refs)))
                              .values(stay_asked_round=round_number))


async def link_idea(session: AsyncSession, *, idea_id: int, group_id: int) -> None:
    await insert_ignoring_conflict(session, FikaIdea, {"idea_id": idea_id, "group_id": group_id},
                                   conflict=["idea_id"])


async def get_group(session: AsyncSession, *, group_id: int) -> FikaGroup | None:
    return await session.get(FikaGroup, group_id)
