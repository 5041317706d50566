import asyncio

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from storage import schema


async def table_names(url: str) -> set[str]:
    engine = create_async_engine(url)
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    await engine.dispose()
    return names


async def schema_problem(url: str) -> str | None:
    engine = create_async_engine(url)
    try:
        await schema.ensure_current(engine)
        return None
    except schema.SchemaOutOfDate as error:
        return str(error)
    finally:
        await engine.dispose()


def test_upgrade_then_downgrade(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Alembic drives its own event loop, as `crowdbot db upgrade` does, so this test is synchronous.
    url = f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"
    assert "has no Crowdbot tables yet" in (asyncio.run(schema_problem(url)) or "")
    schema.upgrade(url)
    assert {"idea", "vote", "comment", "outboxmessage", "inboundevent"} <= asyncio.run(table_names(url))
    assert asyncio.run(schema_problem(url)) is None
    schema.downgrade(url, "base")
    assert asyncio.run(table_names(url)) == {"alembic_version"}
    assert "crowdbot db upgrade" in (asyncio.run(schema_problem(url)) or "")


def test_models_and_migrations_agree(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A model change without its migration (or the reverse) fails here, not in production."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine
    from sqlmodel import SQLModel

    import storage.models  # noqa: F401
    from storage.search_index import is_index_table

    path = tmp_path / "compare.db"
    schema.upgrade(f"sqlite+aiosqlite:///{path}")
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        # The full-text index (FTS5 and its shadow tables) is the database's own, not a SQLModel table.
        context = MigrationContext.configure(connection, opts={
            "include_name": lambda name, kind, _parent: kind != "table" or not is_index_table(name)})
        differences = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert differences == []
