"""Retention: nothing happens before the day; on it every person is anonymised and every figure stays."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from bot.context import Core
from bot.handler import Bot
from bot.housekeeping import run_housekeeping
from storage.models import Idea, Vote
from tests.core.test_erasure import rows_naming
from tests.factories import CM, FixedClock, make_config, say

CLOSED_CAMPAIGN = [{"key": "rotas", "title": "Fairer rotas", "questions": ["Q1?"], "channels": ["slack:CROTA"],
                    "opens": "2026-01-01", "closes": "2026-11-30"}]


async def figures(core: Core) -> tuple[list[tuple[int, int]], int, int]:
    async with core.db.transaction() as session:
        counts = list((await session.execute(select(Idea.number, Idea.vote_count).order_by(Idea.number))).all())
        votes = int((await session.execute(select(func.count()).select_from(Vote))).scalar_one())
        voters = int((await session.execute(select(func.count(func.distinct(Vote.voter_ref))))).scalar_one())
    return [tuple(row) for row in counts], votes, voters  # type: ignore[misc]


async def test_people_are_anonymised_on_the_day_and_figures_stay(core: Core, clock: FixedClock) -> None:
    core.config = make_config(challenges=CLOSED_CAMPAIGN, data_protection={"retention_days_after_close": 30})
    bot = Bot(core)
    clock.now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    await say(bot, "slack:UALICE", "Self-rostering app")
    await say(bot, "slack:UBOB", "anon Rota swaps online")
    for voter in ("slack:UCAROL", "slack:UBOB"):
        await say(bot, voter, "vote #1")
    await say(bot, "slack:UCAROL", "vote #2")
    await say(bot, CM, "merge #2 into #1")
    before = await figures(core)

    clock.now = datetime(2026, 12, 29, 12, 0, tzinfo=UTC)  # 29 days after the close
    assert (await run_housekeeping(core)).anonymised_people == 0
    assert await rows_naming(core, "UALICE")

    clock.now = datetime(2026, 12, 30, 12, 0, tzinfo=UTC)
    report = await run_housekeeping(core)

    assert report.anonymised_people == 4  # three staff and the community manager
    assert "anonymised 4 people" in report.summary()
    assert await figures(core) == before
    for who in ("UALICE", "UBOB", "UCAROL", CM.partition(":")[2]):
        assert await rows_naming(core, who) == [], who
