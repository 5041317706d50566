"""Two `crowdbot run` replicas on one PostgreSQL, events spread over both (Slack's retries landing on the
other replica included): every vote counted exactly once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp

from bot.config import load_config
from tests.resilience.private_postgres import private_postgres
from tests.resilience.process import BotProcess, reaction_body, send_event, slack_campaign
from tests.resilience.seeding import displayed_counts, migrate, seed_posted_ideas, stored_votes, vote_total
from tests.slack.fake_slack import FakeSlack

VOTERS, IDEAS = 60, 6


async def test_two_replicas_count_every_vote_once(tmp_path: Path, fake_slack: FakeSlack) -> None:
    postgres = private_postgres()
    await asyncio.to_thread(postgres.init)
    replicas: list[BotProcess] = []
    try:
        await asyncio.to_thread(migrate, postgres.url)
        config_path = slack_campaign(tmp_path, postgres.url)
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
    finally:
        for replica in replicas:
            replica.stop()
        await asyncio.to_thread(postgres.destroy)
