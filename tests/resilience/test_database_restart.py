"""PostgreSQL restarted while the bot runs: clean errors during the outage, reconnection without help,
nothing acknowledged lost, retried events counted once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp

from bot.config import load_config
from tests.resilience.private_postgres import private_postgres
from tests.resilience.process import BotProcess, reaction_body, send_event, slack_campaign
from tests.resilience.seeding import migrate, seed_posted_ideas, stored_votes
from tests.slack.fake_slack import FakeSlack

SLACK_PATIENCE = 3.0  # Slack gives up on an acknowledgement after 3 s


async def test_bot_survives_a_database_restart(tmp_path: Path, fake_slack: FakeSlack) -> None:
    postgres = private_postgres()
    await asyncio.to_thread(postgres.init)
    bot: BotProcess | None = None
    try:
        await asyncio.to_thread(migrate, postgres.url)
        config_path = slack_campaign(tmp_path, postgres.url)
        stamps = await seed_posted_ideas(load_config(config_path, environ={}), 5)
        bot = BotProcess(config_path, fake_slack.base_url, tmp_path / "bot.log")
        await bot.start()
        before = [(f"UB{i}", stamps[i % 5], f"EvBefore{i}") for i in range(30)]
        during = [(f"UD{i}", stamps[i % 5], f"EvDuring{i}") for i in range(10)]
        after = [(f"UA{i}", stamps[i % 5], f"EvAfter{i}") for i in range(30)]
        async with aiohttp.ClientSession() as session:
            async def deliver(events: list[tuple[str, str, str]], retry: int = 0) -> list[int | None]:
                return list(await asyncio.gather(*(
                    send_event(session, bot.url, reaction_body(*event), retry=retry, patience=SLACK_PATIENCE)
                    for event in events)))

            assert await deliver(before) == [200] * len(before)
            await asyncio.to_thread(postgres.stop)
            outage = await deliver(during)
            # A clean, prompt failure (Slack will retry), never a hang past Slack's patience (None).
            assert all(status is not None and status >= 500 for status in outage), outage
            await asyncio.to_thread(postgres.start)
            assert await deliver(during, retry=1) == [200] * len(during)  # Slack's retries now succeed
            assert await deliver(after) == [200] * len(after)
            assert await deliver(before, retry=2) == [200] * len(before)  # late replays change nothing
        expected = {(stamps.index(ts) + 1, voter) for voter, ts, _ in before + during + after}
        assert await stored_votes(postgres.url) == expected
    finally:
        if bot is not None:
            bot.stop()
        await asyncio.to_thread(postgres.destroy)
