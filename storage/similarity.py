"""Repository functions over the full-text index (storage/search_index.py): candidate ideas and how many ideas
use a word. Words arrive already reduced to [a-z0-9]+, so they are safe inside FTS5 and tsquery syntax."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import snowballstemmer
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


def _pairs_expression(groups: Sequence[Sequence[str]], postgres: bool) -> str:
    """Ideas sharing at least two of the groups (any word of each): the scoring needs two shared terms anyway,
    and pairs keep the match set small where a plain OR of common words would rank half the table."""
    if len(groups) < 2:
        return _match_expression(groups[0], postgres) if groups else ""
    joiner, both = (" | ", " & ") if postgres else (" OR ", " AND ")
    parts = [f"({_match_expression(a, postgres)}){both}({_match_expression(b, postgres)})"
             for index, a in enumerate(groups) for b in groups[index + 1:]]
    return joiner.join(f"({part})" for part in parts)


_WORD = re.compile(r"[a-z0-9]+")
_PORTER = snowballstemmer.stemmer("porter")  # the algorithm of FTS5's porter tokenizer: the index's own terms


async def document_frequencies(session: AsyncSession, *, groups: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """For each term, how many ideas hold any of its words. SQLite reads FTS5's vocabulary table (one query;
    a synonym group's count is the sum of its words', an upper bound); PostgreSQL counts through the GIN index."""
    if _is_postgres(session):
        return {term: await ideas_using(session, words=words) for term, words in groups.items()}
    stems = {term: {_PORTER.stemWord(word) for word in words} for term, words in groups.items()}
    wanted = sorted(set().union(*stems.values())) if stems else []
    rows = await session.execute(text(
        "SELECT term, doc FROM idea_fts_vocab WHERE term IN (SELECT value FROM json_each(:terms))"),
        {"terms": json.dumps(wanted)})
    counts: dict[str, int] = {str(term): int(doc) for term, doc in rows.all()}
    return {term: sum(int(counts.get(stem, 0)) for stem in term_stems) for term, term_stems in stems.items()}


async def ensure_index(session: AsyncSession) -> None:
    """SQLite only: puts the index's triggers back if a table rebuild removed them (see search_index)."""
    if not _is_postgres(session):
        await repair_sqlite_index(session)


async def count_ideas(session: AsyncSession) -> int:
    """About how many ideas there are, for rarity weights: the highest id, one index step instead of a count
    (ideas are almost never deleted, and the weights need the size, not the exact figure)."""
    return int((await session.execute(select(func.coalesce(func.max(Idea.id), 0)))).scalar_one())


async def ideas_using(session: AsyncSession, *, words: Sequence[str]) -> int:
    """How many ideas contain any of the words (after the database's own stemming)."""
    postgres = _is_postgres(session)
    statement = (
        "SELECT count(*) FROM idea WHERE search_vector @@ to_tsquery('english', :q)" if postgres
        else "SELECT count(*) FROM idea_fts WHERE idea_fts MATCH :q")
    return int((await session.execute(text(statement), {"q": _match_expression(words, postgres)})).scalar_one())


async def candidates(
    session: AsyncSession, *, groups: Sequence[Sequence[str]], challenge_key: str | None, limit: int
) -> list[Candidate]:
    """The ideas sharing at least two of the word groups (or the one group), best first by the database's rank
    (BM25 on SQLite, ts_rank on PostgreSQL); merged duplicates included, each naming the idea it now lives in."""
    if not groups:
        return []
    postgres = _is_postgres(session)
    where_challenge = "AND i.challenge_key = :challenge" if challenge_key else ""
    if postgres:
        statement = (
            "SELECT i.id, coalesce(i.merged_into_id, i.id), i.text FROM idea i, to_tsquery('english', :q) query "
            f"WHERE i.search_vector @@ query {where_challenge} "
            "ORDER BY ts_rank(i.search_vector, query) DESC, i.id LIMIT :limit")
    else:
        # The challenge is also a column of the index, so FTS5 narrows to it before ranking (the join still
        # checks the exact key); its weight in BM25 is 0.
        statement = (
            "SELECT i.id, coalesce(i.merged_into_id, i.id), i.text FROM idea_fts JOIN idea i ON i.id = idea_fts.rowid "
            f"WHERE idea_fts MATCH :q {where_challenge} ORDER BY bm25(idea_fts, 1.0, 0.0), i.id LIMIT :limit")
    query = _pairs_expression(groups, postgres)
    if challenge_key and not postgres:
        key_words = " ".join(_WORD.findall(challenge_key.lower()))
        query = f'challenge_key : "{key_words}" AND text : ({query})'
    parameters = {"q": query, "limit": limit, "challenge": challenge_key}
    rows = await session.execute(text(statement), parameters)
    return [Candidate(int(idea_id), int(survivor), body) for idea_id, survivor, body in rows.all()]


async def ideas_by_ids(session: AsyncSession, *, idea_ids: Sequence[int]) -> dict[int, Idea]:
    if not idea_ids:
        return {}
    rows = await session.execute(select(Idea).where(Idea.id.in_(list(idea_ids))))
    return {idea.id: idea for idea in rows.scalars()}  # type: ignore[misc]
