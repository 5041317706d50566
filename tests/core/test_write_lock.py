"""SQLite's write lock held by another process: requests give up quickly as unavailable and store nothing."""

import asyncio

import pytest
from sqlalchemy import func, select

from bot.context import Core
from bot.handler import Bot
from storage.database import DatabaseUnavailable
from storage.models import Idea
from tests.conftest import BACKENDS
from tests.factories import say
from tests.sqlite_lock import write_lock_held


@pytest.mark.parametrize("database_url", [b for b in BACKENDS if b == "sqlite"], indirect=True)
async def test_requests_queued_behind_a_foreign_write_lock_are_refused_and_store_nothing(
    bot: Bot, core: Core, database_url: str
) -> None:
    await say(bot, "slack:U1", "Warm the connection pool")
    async with write_lock_held(database_url):
        outcomes = await asyncio.gather(*(say(bot, f"slack:U{i}", f"Idea {i} while locked") for i in range(3)),
                                        return_exceptions=True)
    assert all(isinstance(outcome, DatabaseUnavailable) for outcome in outcomes), outcomes
    async with core.db.transaction() as session:
        assert (await session.execute(select(func.count()).select_from(Idea))).scalar_one() == 1
