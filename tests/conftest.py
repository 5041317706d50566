"""Shared fixtures: a migrated database per test on SQLite and, where configured, PostgreSQL."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import platform_traits
from bot.config import AppConfig
from bot.context import Core
from bot.handler import Bot
from storage import schema
from storage.database import Database
from tests.factories import FixedClock, make_config


@pytest.fixture(autouse=True)
def root_logging_restored() -> Iterator[None]:
    """A test that runs `crowdbot run` in-process leaves the root logger writing to its runner's closed stream;
    every later log line in that worker would then print "--- Logging error ---". Each test ends as it began."""
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    yield
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]


def _worker_database(url: str | None) -> str | None:
    """Under pytest-xdist each worker gets its own database, named after the configured one plus the worker id."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


SHARED_POSTGRES_URL = os.environ.get("CROWDBOT_TEST_POSTGRES_URL") or None
POSTGRES_URL = _worker_database(SHARED_POSTGRES_URL)
BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated once per run; each test gets a copy of the file."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    schema.upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_migrated() -> str | None:
    if not POSTGRES_URL or not SHARED_POSTGRES_URL:
        return None
    if POSTGRES_URL != SHARED_POSTGRES_URL:
        asyncio.run(_create_database(SHARED_POSTGRES_URL, make_url(POSTGRES_URL).database or ""))
    asyncio.run(_reset_postgres(POSTGRES_URL))
    schema.upgrade(POSTGRES_URL)
    return POSTGRES_URL


async def _create_database(existing_url: str, name: str) -> None:
    """CREATE DATABASE cannot run in a transaction, so this connection autocommits."""
    engine = create_async_engine(existing_url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        found = await connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
        if not found:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()


async def _reset_postgres(url: str) -> None:
    """Starts each run from an empty schema, whatever an earlier run or branch left behind."""
    engine = create_async_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


def truncate_postgres(url: str) -> None:
    async def _truncate() -> None:
        engine = create_async_engine(url)
        async with engine.begin() as connection:
            existing = (await connection.execute(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
            ))).scalars().all()
            if existing:
                await connection.execute(text(f"TRUNCATE {', '.join(existing)} RESTART IDENTITY CASCADE"))
        await engine.dispose()

    asyncio.run(_truncate())


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_migrated")
        truncate_postgres(url)
        return url
    path = tmp_path / "crowdbot.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    database = Database(database_url)
    yield database
    await database.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def config() -> AppConfig:
    return make_config()


@pytest.fixture
def core(config: AppConfig, db: Database, clock: FixedClock) -> Core:
    platforms = frozenset({"slack", "playground"})
    return Core(config, db, platforms=platforms, clock=clock, traits=platform_traits(platforms))


@pytest.fixture
def bot(core: Core) -> Bot:
    return Bot(core)

