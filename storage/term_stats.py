"""How many ideas there are and how many hold each term, for rarity weights: one round trip on SQLite, two on
PostgreSQL. Words arrive reduced to [a-z0-9]+, so they are safe inside tsquery syntax."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

import snowballstemmer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.similarity import ensure_index

_PORTER = snowballstemmer.stemmer("porter")  # the algorithm of FTS5's porter tokenizer: the index's own terms

# The total is the highest idea id, one index step instead of a count: ideas are almost never deleted, and
# the weights need the size, not the exact figure.
_SQLITE = ("SELECT (SELECT coalesce(max(id), 0) FROM idea), v.term, v.doc FROM (SELECT 1) "
           "LEFT JOIN idea_fts_vocol v ON v.col = 'text' AND v.term IN (SELECT value FROM json_each(:terms))")
# PostgreSQL keeps, per column, the share of rows holding each of its most common lexemes (ANALYZE samples
# them for the planner). Counting such a lexeme through the GIN index visits thousands of rows; the sampled
# share is close enough for a weight. Rarer lexemes are not in that list and are counted exactly, cheaply.
_POSTGRES_SAMPLED = (
    "WITH wanted AS (SELECT w.word, (SELECT lexeme FROM unnest(to_tsvector('english', w.word)) LIMIT 1) AS lexeme "
    "FROM unnest(CAST(:words AS text[])) AS w(word)), "
    "sampled AS (SELECT e.elem, e.freq FROM pg_stats s CROSS JOIN LATERAL "
    "unnest(CAST(CAST(s.most_common_elems AS text) AS text[]), s.most_common_elem_freqs) AS e(elem, freq) "
    "WHERE s.schemaname = current_schema() AND s.tablename = 'idea' AND s.attname = 'search_vector') "
    "SELECT (SELECT coalesce(max(id), 0) FROM idea), w.word, w.lexeme, m.freq "
    "FROM (SELECT 1) AS one LEFT JOIN (wanted w LEFT JOIN sampled m ON m.elem = w.lexeme) ON true")
# A sampled share is used only for a lexeme it puts in this many ideas or more: counting rarer ones is cheap, and
# their weights matter most, so a sample taken before the table changed (ANALYZE runs now and then) cannot
# make a rare word look common or absent.
SAMPLED_FROM = 100


async def term_statistics(session: AsyncSession, *, groups: Mapping[str, Sequence[str]]) -> tuple[int, dict[str, int]]:
    """(about how many ideas, {term: ideas holding any of its words}). A synonym group's count is the sum of
    its words' (an upper bound)."""
    if session.get_bind().dialect.name == "postgresql":
        return await _postgres(session, groups)
    await ensure_index(session)  # the per-column vocabulary is created on first use
    stems = {term: {_PORTER.stemWord(word) for word in words} for term, words in groups.items()}
    wanted = sorted(set().union(*stems.values())) if stems else []
    rows = (await session.execute(text(_SQLITE), {"terms": json.dumps(wanted)})).all()
    counts = {str(term): int(doc) for _, term, doc in rows if term is not None}
    total = int(rows[0][0]) if rows else 0
    return total, {term: sum(counts.get(stem, 0) for stem in term_stems) for term, term_stems in stems.items()}


async def _postgres(session: AsyncSession, groups: Mapping[str, Sequence[str]]) -> tuple[int, dict[str, int]]:
    words = sorted({word for group in groups.values() for word in group})
    rows = (await session.execute(text(_POSTGRES_SAMPLED), {"words": words})).all()
    total = int(rows[0][0]) if rows else 0
    lexeme_of = {word: lexeme for _, word, lexeme, _ in rows if lexeme}  # a stopword has none (nor the empty row)
    counts = {lexeme: round(float(freq) * total) for _, _, lexeme, freq in rows
              if lexeme and freq is not None and float(freq) * total >= SAMPLED_FROM}
    unsampled = sorted(set(lexeme_of.values()) - counts.keys())
    if unsampled:
        counts.update(await _count_exactly(session, unsampled))
    return total, {term: sum(counts.get(lexeme, 0) for lexeme in {lexeme_of[w] for w in group if w in lexeme_of})
                   for term, group in groups.items()}


async def _count_exactly(session: AsyncSession, lexemes: Sequence[str]) -> dict[str, int]:
    """One scan of the ideas holding any of these (rare) lexemes, counting each."""
    columns = ", ".join(f"count(*) FILTER (WHERE search_vector @@ CAST(:l{i} AS tsquery))"
                        for i in range(len(lexemes)))
    parameters = {f"l{i}": f"'{lexeme}'" for i, lexeme in enumerate(lexemes)}
    parameters["any"] = " | ".join(f"'{lexeme}'" for lexeme in lexemes)
    row = (await session.execute(text(
        f"SELECT {columns} FROM idea WHERE search_vector @@ CAST(:any AS tsquery)"), parameters)).one()
    return {lexeme: int(count) for lexeme, count in zip(lexemes, row, strict=True)}
