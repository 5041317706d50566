"""The rows a Polis-format export needs (every vote, when people first appeared) and each person's Polis pid:
assigned once, never reused, cleared when they are erased or anonymised, carried over when two ids are linked."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Idea, Participant, PolisPseudonym, Vote

CHUNK = 500  # refs per IN (...): well under SQLite's bound-parameter limit
# PostgreSQL: assigning pids and clearing them take this transaction-scoped advisory lock, so an erasure
# committed while an export assigns pids can never leave the erased person's ref behind (see `assign_pids`).
_LOCK_KEY = 0x706F6C6973  # "polis"


class PersonGone(Exception):
    """A person in the export's snapshot was erased or linked to another id before their pid was assigned."""


async def all_votes(session: AsyncSession) -> list[tuple[int, str, datetime]]:
    """(idea id, voter ref, when) for every vote, by idea then voter."""
    rows = await session.execute(select(col(Vote.idea_id), col(Vote.voter_ref), col(Vote.created_at))
                                 .order_by(col(Vote.idea_id), col(Vote.voter_ref)))
    return [(int(idea_id), ref, created) for idea_id, ref, created in rows.all()]


async def first_seen(session: AsyncSession) -> dict[str, datetime]:
    """When each participant first used the bot."""
    rows = await session.execute(select(col(Participant.ref), col(Participant.first_seen)))
    return {ref: seen for ref, seen in rows.all()}


async def pids_of(session: AsyncSession, *, refs: Sequence[str]) -> dict[str, int]:
    """The pids these people already have (someone without one is left out)."""
    found: dict[str, int] = {}
    for chunk in _chunks(refs):
        rows = await session.execute(select(col(PolisPseudonym.ref), col(PolisPseudonym.pid))
                                     .where(col(PolisPseudonym.ref).in_(chunk)))
        found.update({ref: pid for ref, pid in rows.all() if ref is not None})
    return found


async def assign_pids(session: AsyncSession, *, refs: Sequence[str]) -> dict[str, int]:
    """Every ref's pid, giving those without one the next pids in the order given (in the caller's write
    transaction). Raises PersonGone when a ref without a pid no longer votes or authors anything (erased or
    linked since the caller read them): storing it would keep an erased person's id; read again and retry."""
    await _lock(session)
    found = await pids_of(session, refs=refs)
    missing = [ref for ref in refs if ref not in found]
    if not missing:
        return found
    if set(missing) - await _still_present(session, missing):
        raise PersonGone()
    highest = (await session.execute(select(func.max(col(PolisPseudonym.pid))))).scalar_one()
    start = -1 if highest is None else int(highest)
    fresh = {ref: start + offset for offset, ref in enumerate(missing, start=1)}
    await session.execute(insert(PolisPseudonym), [{"pid": pid, "ref": ref} for ref, pid in fresh.items()])
    return found | fresh


async def forget(session: AsyncSession, *, ref: str) -> None:
    """The person's pid no longer names them (erasure, retention); it stays taken, so it is never reused."""
    await _lock(session)
    await session.execute(update(PolisPseudonym).where(col(PolisPseudonym.ref) == ref).values(ref=None))


async def move(session: AsyncSession, *, alias_ref: str, ref: str) -> None:
    """Two ids are one person: `ref` keeps its pid (the second id's is retired) or, if only the second id had
    one, takes that."""
    await _lock(session)
    if await pids_of(session, refs=[ref]):
        await forget(session, ref=alias_ref)
    else:
        await session.execute(update(PolisPseudonym).where(col(PolisPseudonym.ref) == alias_ref).values(ref=ref))


async def _still_present(session: AsyncSession, refs: Sequence[str]) -> set[str]:
    present: set[str] = set()
    for chunk in _chunks(refs):
        for column in (col(Vote.voter_ref), col(Idea.author_ref)):
            present |= set((await session.execute(select(column).where(column.in_(chunk)).distinct())).scalars())
    return present


async def _lock(session: AsyncSession) -> None:
    if session.get_bind().dialect.name == "postgresql":  # SQLite: BEGIN IMMEDIATE already serialises writers
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def _chunks(refs: Sequence[str]) -> Iterator[list[str]]:
    for start in range(0, len(refs), CHUNK):
        yield list(refs[start:start + CHUNK])
