"""Repository functions over the full-text index (storage/search_index.py): the candidate ideas for a text.
Words arrive already reduced to [a-z0-9]+, so they are safe inside FTS5 and tsquery syntax."""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.search_index import SQLITE_COLUMN_VOCAB, repair_sqlite_index


@dataclass(frozen=True)
class Survivor:
    """The idea a match leads to: itself, or the one it was merged into."""

    idea_id: int
    number: int
    text: str
    votes: int
    status: str
    author_ref: str


@dataclass(frozen=True)
class Candidate:
    idea_id: int
    text: str
    survivor: Survivor


def _is_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _match_expression(words: Sequence[str], postgres: bool) -> str:
    if postgres:
        return " | ".join(words)
    return " OR ".join(f'"{word}"' for word in words)


def _clauses_expression(clauses: Sequence[Sequence[Sequence[str]]], postgres: bool) -> str:
    """Ideas matching any clause; a clause is word groups that must all be present (any word of each)."""
    joiner, both = (" | ", " & ") if postgres else (" OR ", " AND ")
    return joiner.join("(" + both.join(f"({_match_expression(group, postgres)})" for group in clause) + ")"
                       for clause in clauses)


_WORD = re.compile(r"[a-z0-9]+")
_CHECKED: weakref.WeakSet[object] = weakref.WeakSet()  # engines whose SQLite index triggers were checked


async def ensure_index(session: AsyncSession) -> None:
    """SQLite only: puts the index's triggers back if a table rebuild removed them, and adds the per-column
    vocabulary (see search_index). Only a migration rebuilds the table, and the bot refuses to start on an old
    schema, so once per engine suffices."""
    bind = session.get_bind()
    if _is_postgres(session) or bind in _CHECKED:
        return
    await repair_sqlite_index(session)
    await session.execute(text(SQLITE_COLUMN_VOCAB))
    _CHECKED.add(bind)


async def candidates(
    session: AsyncSession, *, clauses: Sequence[Sequence[Sequence[str]]], challenge_key: str | None, limit: int
) -> list[Candidate]:
    """The ideas matching any clause (see _clauses_expression), best first by the database's rank (BM25 on
    SQLite, ts_rank on PostgreSQL); merged duplicates included, each carrying the idea it now lives in."""
    if not clauses:
        return []
    postgres = _is_postgres(session)
    where_challenge = "AND i.challenge_key = :challenge" if challenge_key else ""
    survivor = ("s.id, s.number, s.text, s.vote_count, s.status, s.author_ref FROM {matches} "
                "JOIN idea s ON s.id = coalesce(i.merged_into_id, i.id)")
    if postgres:
        statement = (
            "SELECT i.id, i.text, " + survivor.format(matches="idea i") + ", to_tsquery('english', :q) query "
            f"WHERE i.search_vector @@ query {where_challenge} "
            "ORDER BY ts_rank(i.search_vector, query) DESC, i.id LIMIT :limit")
    else:
        # Rank inside the index first and join only the best: joining every match to read its row cost more
        # than the ranking. The challenge is a column of the index, so FTS5 narrows to it before ranking (its
        # BM25 weight is 0); the outer check of the exact key drops a key that merely shares its words, which
        # the doubled inner limit makes up for.
        statement = (
            "SELECT i.id, i.text, " + survivor.format(
                matches="(SELECT rowid, bm25(idea_fts, 1.0, 0.0) AS r FROM idea_fts WHERE idea_fts MATCH :q "
                        "ORDER BY r LIMIT :inner) m JOIN idea i ON i.id = m.rowid")
            + f" WHERE 1 = 1 {where_challenge} ORDER BY m.r, i.id LIMIT :limit")
    query = _clauses_expression(clauses, postgres)
    if challenge_key and not postgres:
        key_words = " ".join(_WORD.findall(challenge_key.lower()))
        query = f'challenge_key : "{key_words}" AND text : ({query})'
    parameters = {"q": query, "limit": limit, "inner": limit * 2, "challenge": challenge_key}
    rows = await session.execute(text(statement), parameters)
    return [Candidate(int(idea_id), body, Survivor(int(sid), int(number), stext, int(votes), status, author))
            for idea_id, body, sid, number, stext, votes, status, author in rows.all()]


async def recent_texts(session: AsyncSession, *, challenge_key: str | None, limit: int) -> list[str]:
    """The texts of the challenge's latest ideas (merged ones too: they are words people use), newest first."""
    where = "WHERE challenge_key = :challenge" if challenge_key else ""
    rows = await session.execute(text(f"SELECT text FROM idea {where} ORDER BY id DESC LIMIT :limit"),
                                 {"challenge": challenge_key, "limit": limit})
    return [body for (body,) in rows.all()]
