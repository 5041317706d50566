"""Kill -9 in the middle of a burst of votes: everything acknowledged survives; retries count once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp

from bot.config import load_config
from tests.resilience.process import BotProcess, reaction_body, send_event, slack_campaign
from tests.resilience.seeding import migrate, seed_posted_ideas, stored_votes, vote_total
from tests.slack.fake_slack import FakeSlack

IDEAS, EVENTS, KILL_AFTER = 10, 400, 150


async def test_acknowledged_votes_survive_a_kill_and_retries_count_once(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'crowdbot.db'}"
    await asyncio.to_thread(migrate, url)
    config_path = slack_campaign(tmp_path, url)
    stamps = await seed_posted_ideas(load_config(config_path, environ={}), IDEAS)
    events = [(f"UK{i}", stamps[i % IDEAS], f"EvKill{i}") for i in range(EVENTS)]
    bot = BotProcess(config_path, fake_slack.base_url, tmp_path / "bot.log")
    await bot.start()
    statuses: dict[int, int | None] = {}
    try:
        async with aiohttp.ClientSession() as session:
            gate = asyncio.Semaphore(16)

            async def send(index: int) -> None:
                voter, ts, event_id = events[index]
                async with gate:
                    statuses[index] = await send_event(session, bot.url, reaction_body(voter, ts, event_id))
                if sum(status == 200 for status in statuses.values()) == KILL_AFTER:
                    bot.kill()

            await asyncio.gather(*(send(index) for index in range(EVENTS)))
        acknowledged = {index for index, status in statuses.items() if status == 200}
        assert KILL_AFTER <= len(acknowledged) < EVENTS  # the kill really landed mid-burst
        expected = {(stamps.index(events[i][1]) + 1, events[i][0]) for i in acknowledged}
        assert expected <= await stored_votes(url), "an acknowledged vote was lost"

        await bot.start()  # Slack retries everything it has no 200 for; replay the acknowledged ones too
        async with aiohttp.ClientSession() as session:
            retried = await asyncio.gather(*(send_event(session, bot.url, reaction_body(*events[i]), retry=1)
                                             for i in range(EVENTS)))
        assert retried == [200] * EVENTS
        assert await vote_total(url) == EVENTS
        assert len(await stored_votes(url)) == EVENTS
    finally:
        bot.stop()
