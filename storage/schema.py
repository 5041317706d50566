"""Schema versioning with Alembic: upgrade, downgrade, and the check `crowdbot run` makes at start."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).with_name("migrations")


class SchemaOutOfDate(Exception):
    """The database is not at the newest migration."""


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


async def current_revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        return await connection.run_sync(lambda sync: MigrationContext.configure(sync).get_current_revision())


async def ensure_current(engine: AsyncEngine) -> None:
    """Raises SchemaOutOfDate, with the command that fixes it, unless the schema is at head."""
    current, head = await current_revision(engine), head_revision()
    if current != head:
        state = "has no Crowdbot tables yet" if current is None else f"is at revision {current}"
        raise SchemaOutOfDate(
            f"The database {state}; this version needs {head}. Run `crowdbot db upgrade` (same --config) first."
        )
