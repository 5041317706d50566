"""Display names: how each person is shown, one row per person reference, with when the platform last said so."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import DisplayName, Idea, Participant
from storage.upsert import insert_ignoring_conflict

MAX_NAME = 200  # characters kept; platforms allow shorter names than this (Slack 80, Teams 256 with spaces)


def _clean(name: str) -> str:
    # Line breaks and tabs would break the one-line surfaces a name appears on (list lines, CSV cells).
    return " ".join(name.split())[:MAX_NAME]


async def save_names(session: AsyncSession, *, names: dict[str, str], now: datetime,
                     refreshed: bool = False) -> set[str]:
    """Stores each person's name; returns the refs whose shown name changed. With `refreshed`, an unchanged
    name still gets `updated_at = now` (a lookup that confirmed it); otherwise unchanged rows are not written."""
    changed: set[str] = set()
    for ref in sorted(names):  # id order: two replicas saving overlapping names lock rows in the same order
        name = _clean(names[ref])
        if not name:
            continue
        if await insert_ignoring_conflict(session, DisplayName, {"ref": ref, "name": name, "updated_at": now},
                                          conflict=["ref"]):
            changed.add(ref)
            continue
        renamed = await session.execute(
            update(DisplayName)
            .where(col(DisplayName.ref) == ref, col(DisplayName.name) != name)
            .values(name=name, updated_at=now)
        )
        if renamed.rowcount:  # type: ignore[attr-defined]
            changed.add(ref)
        elif refreshed:
            await session.execute(update(DisplayName).where(col(DisplayName.ref) == ref).values(updated_at=now))
    return changed


async def names_of(session: AsyncSession, *, refs: set[str]) -> dict[str, str]:
    """The stored name of each ref that has one; the participant row's name is the fallback for older rows."""
    if not refs:
        return {}
    rows = await session.execute(
        select(col(DisplayName.ref), col(DisplayName.name)).where(col(DisplayName.ref).in_(refs))
    )
    found = {ref: name for ref, name in rows.all() if name}
    missing = refs - found.keys()
    if missing:
        rows = await session.execute(select(col(Participant.ref), col(Participant.display_name))
                                     .where(col(Participant.ref).in_(missing)))
        found.update({ref: name for ref, name in rows.all() if name})
    return found


async def confirmed_since(session: AsyncSession, *, refs: set[str], since: datetime) -> dict[str, datetime]:
    """When each of these refs' name was stored or last confirmed, for those at or after `since`."""
    if not refs:
        return {}
    rows = await session.execute(select(col(DisplayName.ref), col(DisplayName.updated_at))
                                 .where(col(DisplayName.ref).in_(refs), col(DisplayName.updated_at) >= since))
    return dict(rows.all())


async def participants_among(session: AsyncSession, *, refs: set[str]) -> set[str]:
    """The refs that are still participants (an erased person is not, and must not get a name back)."""
    if not refs:
        return set()
    return set((await session.execute(select(col(Participant.ref)).where(col(Participant.ref).in_(refs)))).scalars())


async def named_idea_ids(session: AsyncSession, *, refs: set[str]) -> set[int]:
    """Ideas that show one of these people as author (anonymous ideas never do)."""
    if not refs:
        return set()
    rows = await session.execute(
        select(col(Idea.id)).where(col(Idea.author_ref).in_(refs), col(Idea.anonymous).is_(False))
    )
    return {idea_id for idea_id in rows.scalars() if idea_id is not None}
