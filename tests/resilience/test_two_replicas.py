"""Two `crowdbot run` replicas on one PostgreSQL, events spread over both (Slack's retries landing on the
other replica included): every vote counted exactly once, and a due prompt posted once."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp
import yaml
from sqlalchemy import func, select

from bot.config import load_config
from storage.database import Database
from storage.models import OutboxMessage
from tests.factories import QUIET_MOMENT
from tests.resilience.private_postgres import private_postgres
from tests.resilience.process import CHANNEL, BotProcess, reaction_body, send_event, slack_campaign
from tests.resilience.seeding import displayed_counts, migrate, seed_posted_ideas, stored_votes, vote_total
from tests.slack.fake_slack import FakeSlack

VOTERS, IDEAS = 60, 6
QUESTION = "What one change would make handovers between shifts safer or quicker?"


def prompt_due_minutes_ago(config_path: Path, *, minutes: int) -> None:
    """Moves the first challenge's daily prompt to a few minutes before the replicas' clock starts, inside the
    catch-up grace period."""
    raw = yaml.safe_load(config_path.read_text())
    due = QUIET_MOMENT.astimezone(ZoneInfo(raw["campaign"]["timezone"])) - timedelta(minutes=minutes)
    raw["challenges"][0]["prompts"] = {"cron": f"{due.minute} {due.hour} * * *"}
    config_path.write_text(yaml.safe_dump(raw))


async def queued_posts(url: str, channel: str) -> int:
    db = Database(url)
    async with db.transaction() as session:
        count = (await session.execute(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.kind == "post", OutboxMessage.conversation == channel))).scalar_one()
    await db.dispose()
    return int(count)


async def test_two_replicas_count_every_vote_once(tmp_path: Path, fake_slack: FakeSlack) -> None:
    postgres = private_postgres()
    await asyncio.to_thread(postgres.init)
    replicas: list[BotProcess] = []
    try:
        await asyncio.to_thread(migrate, postgres.url)
        config_path = slack_campaign(tmp_path, postgres.url)
        prompt_due_minutes_ago(config_path, minutes=2)
        stamps = await seed_posted_ideas(load_config(config_path, environ={}), IDEAS)
        replicas = [BotProcess(config_path, fake_slack.base_url, tmp_path / f"replica{n}.log") for n in (1, 2)]
        await asyncio.gather(*(replica.start() for replica in replicas))
        events = [(f"UR{v}", stamps[i], f"EvRep{v}-{i}") for v in range(VOTERS) for i in range(IDEAS)]
        async with aiohttp.ClientSession() as session:
            # Each event goes to one replica and, at the same moment, its retry to the other.
            statuses = await asyncio.gather(*(
                send_event(session, replicas[(n + hop) % 2].url, reaction_body(*event), retry=hop)
                for n, event in enumerate(events) for hop in (0, 1)))
        assert set(statuses) == {200}
        assert await vote_total(postgres.url) == len(events)
        assert await stored_votes(postgres.url) == {(stamps.index(ts) + 1, voter) for voter, ts, _ in events}
        assert await displayed_counts(postgres.url) == {number: VOTERS for number in range(1, IDEAS + 1)}
        # Both replicas found the prompt missed while they were down; one claim, one post.
        prompts = await fake_slack.wait_for(lambda: [a for a in fake_slack.of("chat.postMessage")
                                                     if a.get("channel") == CHANNEL and QUESTION in str(a)])
        assert len(prompts) == 1
        assert await queued_posts(postgres.url, CHANNEL) == 1
    finally:
        for replica in replicas:
            replica.stop()
        await asyncio.to_thread(postgres.destroy)
