"""INSERT ... ON CONFLICT DO NOTHING for both SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel


async def insert_ignoring_conflict(
    session: AsyncSession, table: Any, values: dict[str, Any], *, conflict: list[str]
) -> bool:
    """Inserts a row unless it would break the unique constraint on `conflict`; True when inserted."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(**values).on_conflict_do_nothing(index_elements=conflict)
    result = await session.execute(statement)
    return bool(result.rowcount)  # type: ignore[attr-defined]


def table_of(model: type[SQLModel]) -> Table:
    """A model's Core table, for plain executemany inserts (the ORM's bulk path goes row by row on SQLite)."""
    return SQLModel.metadata.tables[str(model.__tablename__)]
