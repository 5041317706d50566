"""Giving one theme to many ideas in a few statements: an Apply over a large group must not hold SQLite's write
lock for the seconds that a round trip per idea took (ideas submitted meanwhile would time out)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import and_, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import Idea, IdeaTheme
from storage.upsert import table_of

# Ids per statement: well under SQLite's and asyncpg's bound-parameter limits (32,766 and 32,767).
CHUNK = 2000


def _chunks(values: Sequence[int]) -> Iterable[Sequence[int]]:
    return (values[start:start + CHUNK] for start in range(0, len(values), CHUNK))


async def themeable_ideas(session: AsyncSession, numbers: Sequence[int], *, challenge_key: str,
                         removed_text: str) -> dict[int, int | None]:
    """For each of `numbers` that exists, by number: its id, or None when it cannot take a theme (merged into
    another idea, erased, or in another challenge). Columns only: loading thousands of ideas whole cost more."""
    found: dict[int, int | None] = {}
    themeable = and_(col(Idea.merged_into_id).is_(None), col(Idea.text) != removed_text,
                     col(Idea.challenge_key) == challenge_key)
    for chunk in _chunks(list(numbers)):
        query = select(col(Idea.number), col(Idea.id), themeable).where(col(Idea.number).in_(chunk))
        rows = await session.execute(query)
        found.update((number, idea_id if ok else None) for number, idea_id, ok in rows)
    return found


async def add_theme_to_ideas(session: AsyncSession, *, idea_ids: Sequence[int], theme: str, added_by: str,
                             now: datetime) -> set[int]:
    """Gives `theme` to each idea; the ids of those that did not have it (a concurrent Apply's rows count as
    theirs, not ours: the conflict clause and RETURNING decide, not an earlier read)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    table = table_of(IdeaTheme)
    added: set[int] = set()
    for chunk in _chunks(list(idea_ids)):
        # INSERT ... SELECT binds only the ids: a VALUES list of 500 rows took longer to compile than to run.
        rows = select(col(Idea.id), literal(theme), literal(added_by), literal(now)).where(col(Idea.id).in_(chunk))
        statement = (dialect.insert(table).from_select(["idea_id", "theme", "added_by", "created_at"], rows)
                     .on_conflict_do_nothing(index_elements=["idea_id", "theme"]).returning(table.c.idea_id))
        added.update((await session.execute(statement)).scalars())
    return added
