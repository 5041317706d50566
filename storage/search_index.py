"""The database's own full-text index of idea text: SQLite FTS5 (porter stemming, BM25) kept in step by
triggers, PostgreSQL a generated tsvector column with a GIN index. Either follows every insert, edit, merge and
delete of an idea whoever makes it (a service, an import, a migration, psql), with no application code."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

FTS_TABLE = "idea_fts"
SQLITE_TRIGGERS = ("idea_fts_after_insert", "idea_fts_after_delete", "idea_fts_after_update")

SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "text, challenge_key, content='idea', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    # How many ideas hold each (stemmed) term, read straight from the index: the rarity weights come from here.
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE}_vocab USING fts5vocab({FTS_TABLE}, 'row')",
)
# External content: the index stores no second copy of the text; these triggers keep it in step with `idea`.
SQLITE_TRIGGER_DDL = (
    f"CREATE TRIGGER IF NOT EXISTS idea_fts_after_insert AFTER INSERT ON idea BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, text, challenge_key) VALUES (new.id, new.text, new.challenge_key); END",
    f"CREATE TRIGGER IF NOT EXISTS idea_fts_after_delete AFTER DELETE ON idea BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text, challenge_key) "
    f"VALUES ('delete', old.id, old.text, old.challenge_key); END",
    f"CREATE TRIGGER IF NOT EXISTS idea_fts_after_update AFTER UPDATE OF text, challenge_key ON idea BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, text, challenge_key) "
    f"VALUES ('delete', old.id, old.text, old.challenge_key); "
    f"INSERT INTO {FTS_TABLE}(rowid, text, challenge_key) VALUES (new.id, new.text, new.challenge_key); END",
)
# Per-column counts: the 'row' table above also counts a term found only in challenge_key (every idea of the
# "rotas" challenge "holds" rota), which made the challenge's own word look common. A view over the index with
# no storage of its own, so it is created when first needed (storage/similarity.ensure_index), not migrated.
SQLITE_COLUMN_VOCAB = f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE}_vocol USING fts5vocab({FTS_TABLE}, 'col')"
SQLITE_REBUILD = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')"
SQLITE_DROP = (*(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
               f"DROP TABLE IF EXISTS {FTS_TABLE}_vocol", f"DROP TABLE IF EXISTS {FTS_TABLE}_vocab",
               f"DROP TABLE IF EXISTS {FTS_TABLE}")

POSTGRES_CREATE = (
    "ALTER TABLE idea ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('english', text)) STORED",
    "CREATE INDEX IF NOT EXISTS ix_idea_search_vector ON idea USING gin (search_vector)",
)
POSTGRES_DROP = ("DROP INDEX IF EXISTS ix_idea_search_vector", "ALTER TABLE idea DROP COLUMN IF EXISTS search_vector")


def is_index_table(name: str | None) -> bool:
    """FTS5's virtual table and its shadow tables: not SQLModel tables, so schema comparisons skip them."""
    return bool(name) and (name == FTS_TABLE or name.startswith(FTS_TABLE + "_"))  # type: ignore[union-attr]


async def repair_sqlite_index(session: AsyncSession) -> bool:
    """Recreates the triggers and rebuilds the index if a table rebuild dropped them (SQLite's batch
    migrations copy `idea` into a new table, and triggers die with the old one). True when it had to."""
    rows = await session.execute(text(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN "
        "('idea_fts_after_insert', 'idea_fts_after_delete', 'idea_fts_after_update')"))
    if rows.scalar_one() == len(SQLITE_TRIGGERS):
        return False
    for statement in (*SQLITE_CREATE, *SQLITE_TRIGGER_DDL, SQLITE_REBUILD):
        await session.execute(text(statement))
    return True
