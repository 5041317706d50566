"""The rows a Polis-format export needs: every vote, and the order in which people first appeared."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Participant, Vote


async def all_votes(session: AsyncSession) -> list[tuple[int, str, datetime]]:
    """(idea id, voter ref, when) for every vote, by idea then voter."""
    rows = await session.execute(select(col(Vote.idea_id), col(Vote.voter_ref), col(Vote.created_at))
                                 .order_by(col(Vote.idea_id), col(Vote.voter_ref)))
    return [(int(idea_id), ref, created) for idea_id, ref, created in rows.all()]


async def participants_in_order(session: AsyncSession) -> list[str]:
    """Everyone who has used the bot, earliest first: a newcomer never changes an earlier person's position."""
    rows = await session.execute(
        select(col(Participant.ref)).order_by(col(Participant.first_seen), col(Participant.ref))
    )
    return list(rows.scalars())
