"""Reads never wait for writes: exports and the dashboard read a snapshot, page by page."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from bot.exports import COLUMNS, idea_pages, idea_rows
from bot.handler import Bot
from storage.database import Database
from tests.factories import say


async def test_a_snapshot_reads_while_a_write_transaction_holds_the_lock(db: Database, bot: Bot) -> None:
    await say(bot, "slack:U1", "/idea Keep spare bleeps at the nurses' station")
    writer_holds = asyncio.Event()
    release_writer = asyncio.Event()

    async def long_write() -> None:
        async with db.transaction() as session:
            await session.execute(text("UPDATE idea SET text = text || '' WHERE number = 1"))
            writer_holds.set()
            await release_writer.wait()

    writing = asyncio.create_task(long_write())
    await writer_holds.wait()
    async def read() -> int | None:
        async with db.snapshot() as session:
            return await session.scalar(text("SELECT count(*) FROM idea"))

    # The writer still holds its transaction (on SQLite, the write lock): the read must finish regardless.
    assert await asyncio.wait_for(read(), timeout=30) == 1
    assert not writing.done()
    release_writer.set()
    await writing


async def test_a_write_commits_while_an_export_snapshot_is_open(db: Database, bot: Bot) -> None:
    await say(bot, "slack:U1", "/idea Keep spare bleeps at the nurses' station")
    async with db.snapshot() as reading:
        before = await reading.scalar(text("SELECT count(*) FROM idea"))
        await asyncio.wait_for(say(bot, "slack:U2", "/idea A second handover board on ward 7"), timeout=30)
        # The snapshot keeps its own consistent view; the new idea is committed for everyone else.
        assert await reading.scalar(text("SELECT count(*) FROM idea")) == before
    async with db.snapshot() as session:
        assert await session.scalar(text("SELECT count(*) FROM idea")) == before + 1


async def test_a_snapshot_refuses_to_write(db: Database) -> None:
    with pytest.raises(Exception, match="(?i)read.only|readonly"):
        async with db.snapshot() as session:
            await session.execute(text("UPDATE idea SET text = 'x'"))
            await session.flush()


async def test_an_export_pages_through_every_idea_once_in_order(db: Database, bot: Bot) -> None:
    for number in range(1, 24):
        await say(bot, f"slack:U{number % 5}", f"/idea Improvement number {number} for the discharge lounge")
    core = bot.core
    async with db.snapshot() as session:
        pages = [page async for page in idea_pages(core, session, page_size=5)]
        everything = await idea_rows(core, session)
    assert [len(page) for page in pages] == [5, 5, 5, 5, 3]
    numbers = [row[COLUMNS.index("number")] for page in pages for row in page]
    assert numbers == list(range(1, 24))
    assert [row["number"] for row in everything] == numbers
