"""The audit log: append-only rows of manager and admin actions, read back oldest first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry
from storage.upsert import table_of

DETAIL_LIMIT = 500


async def record(session: AsyncSession, *, actor_ref: str, action: str, now: datetime,
                 idea_number: int | None = None, detail: str = "") -> None:
    session.add(AuditEntry(at=now, actor_ref=actor_ref, action=action, idea_number=idea_number,
                           detail=detail[:DETAIL_LIMIT]))
    await session.flush()


async def record_many(session: AsyncSession, *, actor_ref: str, action: str, now: datetime,
                      numbered: list[tuple[int, str]]) -> None:
    """One entry per (idea number, detail), in one executemany."""
    if numbered:
        await session.execute(insert(table_of(AuditEntry)), [
            {"at": now, "actor_ref": actor_ref, "action": action, "idea_number": number,
             "detail": detail[:DETAIL_LIMIT]} for number, detail in numbered])


async def entries(session: AsyncSession, *, since: datetime | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id)  # type: ignore[arg-type]
    if since is not None:
        query = query.where(AuditEntry.at >= since)  # type: ignore[arg-type]
    return list((await session.execute(query)).scalars())
