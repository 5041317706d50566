"""Every statement that changes several ideas' vote counts touches them lowest id first, so two replicas changing
overlapping ideas wait for each other rather than deadlock (PostgreSQL aborts one of them after a second)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bot.context import Core
from bot.erasure import forget_person
from bot.handler import Bot
from tests.core.test_erasure import PERSON, campaign_with_the_person
from tests.core.test_votes import assert_counts_match_votes, posted
from tests.factories import react, say
from tests.sql_watch import watching_writes


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


async def test_a_burst_of_votes_updates_ideas_in_id_order(bot: Bot, core: Core) -> None:
    for number in range(1, 9):
        await say(bot, f"slack:A{number}", f"Idea {number}")
        await posted(core, number, f"{number}00.1")
    with idea_rows_updated(core) as touched:
        await asyncio.gather(*(react(bot, f"slack:V{number}", f"{number}00.1", event_id=f"E{number}")
                               for number in range(8, 0, -1)))  # arriving highest idea first
    assert len(touched) == 8 and touched == sorted(touched)
    await assert_counts_match_votes(core)


async def test_erasure_recounts_a_merged_pair_in_id_order(bot: Bot, core: Core) -> None:
    await campaign_with_the_person(bot, core)  # the person voted for #3 and #4, and #4 is merged into #3
    with idea_rows_updated(core) as touched:
        async with core.db.transaction() as session:
            await forget_person(core, session, PERSON, requested_by="cli")
    assert touched and touched == sorted(touched)  # recounting #4 then its survivor #3 again went back down
    await assert_counts_match_votes(core)
