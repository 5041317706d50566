"""A campaign whose ideas are already posted in Slack, so reactions on them are votes."""

from __future__ import annotations

from sqlalchemy import func, select

from benchmarks import campaign
from bot.config import AppConfig
from storage import schema
from storage.database import Database
from storage.models import Idea, Vote


async def seed_posted_ideas(config: AppConfig, count: int) -> list[str]:
    """Creates `count` ideas posted in the campaign channel; returns their message ts."""
    return await campaign.seed_posted_ideas(config.storage.url, count, ts_prefix="1690000000")


async def stored_votes(url: str) -> set[tuple[int, str]]:
    """Every vote as (idea number, voter id)."""
    db = Database(url)
    async with db.transaction() as session:
        rows = await session.execute(select(Idea.number, Vote.voter_ref).join(Idea, Idea.id == Vote.idea_id))
        votes = {(int(number), voter.removeprefix("slack:")) for number, voter in rows.all()}
    await db.dispose()
    return votes


async def vote_total(url: str) -> int:
    db = Database(url)
    async with db.transaction() as session:
        total = int((await session.execute(select(func.count()).select_from(Vote))).scalar_one())
    await db.dispose()
    return total


def migrate(url: str) -> None:
    schema.upgrade(url)


async def displayed_counts(url: str) -> dict[int, int]:
    """The vote count each idea's post shows, by idea number."""
    db = Database(url)
    async with db.transaction() as session:
        rows = await session.execute(select(Idea.number, Idea.vote_count))
        counts = {int(number): int(count) for number, count in rows.all()}
    await db.dispose()
    return counts
