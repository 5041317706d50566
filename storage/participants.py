"""Participants: everyone who has used the bot, and their notification preference."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.display_names import names_of
from storage.models import Participant
from storage.upsert import insert_ignoring_conflict


async def touch_participant(session: AsyncSession, *, ref: str, display_name: str, now: datetime) -> None:
    inserted = await insert_ignoring_conflict(
        session, Participant, {"ref": ref, "display_name": display_name, "first_seen": now,
                               "notifications": True}, conflict=["ref"],
    )
    if not inserted and display_name:
        await session.execute(
            update(Participant)
            .where(col(Participant.ref) == ref, col(Participant.display_name) != display_name)
            .values(display_name=display_name)
        )


async def record_contribution(session: AsyncSession, *, ref: str, now: datetime) -> None:
    """Marks the person as a participant from their first idea, vote or comment on."""
    inserted = await insert_ignoring_conflict(
        session, Participant, {"ref": ref, "display_name": "", "first_seen": now, "notifications": True,
                               "first_contribution_at": now}, conflict=["ref"],
    )
    if not inserted:
        await session.execute(
            update(Participant)
            .where(col(Participant.ref) == ref, col(Participant.first_contribution_at).is_(None))
            .values(first_contribution_at=now)
        )


async def set_notifications(session: AsyncSession, *, ref: str, enabled: bool) -> None:
    await session.execute(update(Participant).where(col(Participant.ref) == ref).values(notifications=enabled))


async def get_participant(session: AsyncSession, *, ref: str) -> Participant | None:
    return await session.get(Participant, ref)


async def display_names(session: AsyncSession, *, refs: set[str]) -> dict[str, str]:
    """How each person is shown; refs with no known name are left out (callers show the bare id)."""
    return await names_of(session, refs=refs)
