"""Repository functions over the full-text index (storage/search_index.py): candidate ideas and how many ideas
use a word. Words arrive already reduced to [a-z0-9]+, so they are safe inside FTS5 and tsquery syntax."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Idea
from storage.search_index import repair_sqlite_index


@dataclass(frozen=True)
class Candidate:
    idea_id: int
    survivor_id: int  # the idea itself, or the one it was merged into
    text: str


def _is_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _match_expression(words: Sequence[str], postgres: bool) -> str:
    if postgres:
        return " | ".join(words)
    return " OR ".join(f'"{word}"' for word in words)


async def ensure_index(session: AsyncSession) -> None:
    """SQLite only: puts the index's triggers back if a table rebuild removed them (see search_index)."""
    if not _is_postgres(session):
        await repair_sqlite_index(session)


async def count_ideas(session: AsyncSession) -> int:
    return int((await session.execute(select(func.count()).select_from(Idea))).scalar_one())


async def ideas_using(session: AsyncSession, *, words: Sequence[str]) -> int:
    """How many ideas contain any of the words (after the database's own stemming)."""
    postgres = _is_postgres(session)
    statement = (
        "SELECT count(*) FROM idea WHERE search_vector @@ to_tsquery('english', :q)" if postgres
        else "SELECT count(*) FROM idea_fts WHERE idea_fts MATCH :q")
    return int((await session.execute(text(statement), {"q": _match_expression(words, postgres)})).scalar_one())


async def candidates(
    session: AsyncSession, *, words: Sequence[str], challenge_key: str | None, limit: int
) -> list[Candidate]:
    """The ideas sharing most of the words, best first by the database's rank (BM25 on SQLite, ts_rank on
    PostgreSQL); merged duplicates included, each naming the idea it now lives in."""
    if not words:
        return []
    postgres = _is_postgres(session)
    where_challenge = "AND i.challenge_key = :challenge" if challenge_key else ""
    if postgres:
        statement = (
            "SELECT i.id, coalesce(i.merged_into_id, i.id), i.text FROM idea i, to_tsquery('english', :q) query "
            f"WHERE i.search_vector @@ query {where_challenge} "
            "ORDER BY ts_rank(i.search_vector, query) DESC, i.id LIMIT :limit")
    else:
        statement = (
            "SELECT i.id, coalesce(i.merged_into_id, i.id), i.text FROM idea_fts JOIN idea i ON i.id = idea_fts.rowid "
            f"WHERE idea_fts MATCH :q {where_challenge} ORDER BY bm25(idea_fts), i.id LIMIT :limit")
    parameters = {"q": _match_expression(words, postgres), "limit": limit, "challenge": challenge_key}
    rows = await session.execute(text(statement), parameters)
    return [Candidate(int(idea_id), int(survivor), body) for idea_id, survivor, body in rows.all()]


async def ideas_by_ids(session: AsyncSession, *, idea_ids: Sequence[int]) -> dict[int, Idea]:
    if not idea_ids:
        return {}
    rows = await session.execute(select(Idea).where(Idea.id.in_(list(idea_ids))))
    return {idea.id: idea for idea in rows.scalars()}  # type: ignore[misc]
