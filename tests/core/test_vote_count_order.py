"""Every statement that changes several ideas' vote counts touches them lowest id first, so two replicas changing
overlapping ideas wait for each other rather than deadlock (PostgreSQL aborts one of them after a second).

On PostgreSQL a batch that only adds votes to plain ideas runs as one statement (storage/vote_batch.py) and any
other batch on the general path, so the lock order is checked there on the rows themselves: while another
transaction holds one idea, the batch must hold exactly the ideas below it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from bot.app import platform_traits
from bot.config import AppConfig
from bot.context import Core
from bot.erasure import forget_person
from bot.handler import Bot
from storage.database import Database
from tests.conftest import POSTGRES_URL
from tests.core.test_erasure import PERSON, campaign_with_the_person
from tests.core.test_votes import assert_counts_match_votes, posted
from tests.factories import FixedClock, react, say
from tests.sql_watch import watching_writes

IDEAS = 9
HELD = 5  # the idea another transaction holds while a burst arrives


@contextmanager
def idea_rows_updated(core: Core) -> Iterator[list[int]]:
    """The id of each idea whose vote count an UPDATE sets, in the order the database is asked to (the id is the last
    bound value of every such statement; an executemany lists its rows in the order they run)."""
    touched: list[int] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, executemany: bool) -> None:
        if " ".join(statement.split()).upper().startswith("UPDATE IDEA SET VOTE_COUNT"):
            for row in (parameters if executemany else [parameters]):
                touched.append(int(list(row.values() if isinstance(row, dict) else row)[-1]))

    with watching_writes(core, record):
        yield touched


async def _campaign(bot: Bot, core: Core) -> None:
    """Ideas #1-#9, posted; slack:VX has voted for #9 (so a burst can take that vote back)."""
    for number in range(1, IDEAS + 1):
        await say(bot, f"slack:A{number}", f"Idea {number}")
        await posted(core, number, f"{number}00.1")
    await react(bot, "slack:VX", f"{IDEAS}00.1", event_id="E-before")


async def _burst(bot: Bot, *, voter: str, with_removal: bool) -> list[Any]:
    """A vote for each of #1-#8 arriving highest idea first, and slack:VX's vote for #9 taken back if asked."""
    votes = [react(bot, f"slack:{voter}{number}", f"{number}00.1", event_id=f"E-{voter}{number}")
             for number in range(IDEAS - 1, 0, -1)]
    removal = [react(bot, "slack:VX", f"{IDEAS}00.1", added=False, event_id=f"E-{voter}-off")] if with_removal else []
    return await asyncio.gather(*votes, *removal)


async def test_a_burst_with_a_removal_updates_ideas_in_id_order(bot: Bot, core: Core) -> None:
    await _campaign(bot, core)
    with idea_rows_updated(core) as touched:
        await _burst(bot, voter="V", with_removal=True)  # a removal keeps the batch on the general path
    assert len(touched) == IDEAS and touched == sorted(touched)
    await assert_counts_match_votes(core)


async def test_erasure_recounts_a_merged_pair_in_id_order(bot: Bot, core: Core) -> None:
    await campaign_with_the_person(bot, core)  # the person voted for #3 and #4, and #4 is merged into #3
    with idea_rows_updated(core) as touched:
        async with core.db.transaction() as session:
            await forget_person(core, session, PERSON, requested_by="cli")
    assert touched and touched == sorted(touched)  # recounting #4 then its survivor #3 again went back down
    await assert_counts_match_votes(core)


@asynccontextmanager
async def _holding_an_idea(url: str, number: int) -> AsyncIterator[AsyncConnection]:
    """Another transaction holding idea `number` as an UPDATE would; yields a second connection to look with."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as holder, engine.connect() as looker:
            await holder.execute(text("SELECT id FROM idea WHERE number = :n FOR NO KEY UPDATE"), {"n": number})
            try:
                yield looker
            finally:
                await holder.rollback()
    finally:
        await engine.dispose()


async def _until_waiting(looker: AsyncConnection, transactions: int) -> None:
    """Returns once `transactions` other transactions wait for a lock (fails after about ten seconds)."""
    for _ in range(400):
        waiting = await looker.scalar(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"))
        await looker.rollback()
        if waiting >= transactions:
            return
        await asyncio.sleep(0.025)
    raise AssertionError(f"expected {transactions} transaction(s) waiting for a lock, saw {waiting}")


async def _ideas_locked(looker: AsyncConnection) -> set[int]:
    """The numbers of the ideas some transaction holds for update (those a SKIP LOCKED read cannot take)."""
    free = (await looker.execute(text("SELECT number FROM idea FOR NO KEY UPDATE SKIP LOCKED"))).scalars().all()
    await looker.rollback()
    return set(range(1, IDEAS + 1)) - set(free)


@pytest.mark.parametrize("database_url", ["postgres"] if POSTGRES_URL else [], indirect=True)
@pytest.mark.parametrize("with_removal", [False, True], ids=["one-statement path", "general path"])
async def test_a_waiting_burst_holds_only_the_ideas_below_the_one_it_waits_for(
    bot: Bot, core: Core, database_url: str, with_removal: bool
) -> None:
    await _campaign(bot, core)
    async with _holding_an_idea(database_url, HELD) as looker:
        burst = asyncio.create_task(_burst(bot, voter="V", with_removal=with_removal))
        await _until_waiting(looker, 1)
        assert await _ideas_locked(looker) == set(range(1, HELD + 1))  # #1-#4 by the burst, #5 by the holder
    await burst
    await assert_counts_match_votes(core)


@pytest.mark.parametrize("database_url", ["postgres"] if POSTGRES_URL else [], indirect=True)
async def test_replicas_on_either_path_queue_rather_than_deadlock(
    bot: Bot, core: Core, config: AppConfig, database_url: str, clock: FixedClock
) -> None:
    await _campaign(bot, core)
    platforms = frozenset({"slack", "playground"})
    other = Core(config, Database(database_url), platforms=platforms, clock=clock, traits=platform_traits(platforms))
    try:
        async with _holding_an_idea(database_url, HELD) as looker:
            one_statement = asyncio.create_task(_burst(bot, voter="V", with_removal=False))
            await _until_waiting(looker, 1)
            general = asyncio.create_task(_burst(Bot(other), voter="W", with_removal=True))
            await _until_waiting(looker, 2)
        await asyncio.gather(one_statement, general)
    finally:
        await other.db.dispose()
    await assert_counts_match_votes(core)
    async with core.db.transaction() as session:
        counts = (await session.execute(text("SELECT number, vote_count FROM idea ORDER BY number"))).all()
    assert counts == [(number, 2) for number in range(1, IDEAS)] + [(IDEAS, 0)]
