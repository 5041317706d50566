"""A fika round end to end: drawn, stored and queued in one transaction, then its group messages delivered
through the outbox and the real Slack Messenger to a fake Slack enforcing rate limits (429 beyond them).

Usage: python benchmarks/fika_delivery.py [--people 2000] [--method-rate 50] [--open-per-minute 50]

Each group DM costs a conversations.open (Tier 3: about 50 a minute per workspace) and a chat.postMessage
(about `--method-rate` a second), so the floor the limits allow is the slower of the two:
max(groups / method rate, groups / opens a second). With Slack's real Tier 3 a 20,000-person round
(10,000 groups) has a floor of 12,000 s; `--open-per-minute` compresses that tier (fake and messenger
alike) so the full-size round can be measured in minutes. Prints the time to draw, store and queue the
round, the delivery time against that floor, 429s per method, lost and duplicated messages.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.fake_slack_api import TOKEN, FakeSlackApi, serve  # noqa: E402


async def run(args: argparse.Namespace, url: str) -> None:
    import aiohttp
    import yaml
    from slack_sdk.web.async_client import AsyncWebClient
    from sqlalchemy import insert

    from adapters.slack.messenger import SlackMessenger
    from bot.config import parse_config
    from bot.context import Core
    from bot.fika.rounds import run_round
    from bot.outbox import OutboxDispatcher
    from storage import outbox, schema
    from storage.database import Database
    from storage.fika_models import FikaPerson

    await asyncio.to_thread(schema.upgrade, url)
    raw = yaml.safe_load((ROOT / "app.yaml").read_text())
    raw["fika"] = {"cron": "0 9 * * mon", "challenge": raw["challenges"][0]["key"]}
    raw["roles"] = {}
    db = Database(url)
    core = Core(parse_config(raw, environ={}), db, platforms=frozenset({"slack"}))
    async with db.transaction() as session:
        await session.execute(insert(FikaPerson), [
            {"ref": f"slack:U{i:06d}", "name": f"Person {i}", "opted_in": True, "skip_next": False,
             "updated_at": core.now()} for i in range(args.people)])
    started = time.perf_counter()
    async with db.transaction() as session:
        summary = await run_round(core, session, started_by="benchmark", at=core.now())
    queued_in = time.perf_counter() - started
    async with db.transaction() as session:
        expected = await outbox.pending_count(session)
    fake = FakeSlackApi(method_per_second=args.method_rate, tier_per_minute={3: args.open_per_minute})
    runner, port = await serve(fake)
    http = aiohttp.ClientSession()  # as the Slack adapter gives its posting client from start() to stop()
    messenger = SlackMessenger(AsyncWebClient(token=TOKEN, base_url=f"http://127.0.0.1:{port}/api/",
                                              session=http))
    messenger.global_limits = ((args.method_rate, 1.05),)
    messenger.method_limits = {"conversations.open": ((args.open_per_minute, 63.0),)}
    dispatcher = OutboxDispatcher(core, {"slack": messenger})
    started, cpu_started = time.perf_counter(), time.process_time()
    dispatcher.start()
    try:
        while True:
            async with db.transaction() as session:
                if await outbox.pending_count(session) == 0:
                    break
            await asyncio.sleep(0.2)
    finally:
        await dispatcher.stop()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    await http.close()
    await db.dispose()
    await runner.cleanup()
    post_floor, open_floor = expected / args.method_rate, expected / (args.open_per_minute / 60)
    floor = max(post_floor, open_floor)
    delivered = sum(1 for count in fake.delivered.values() if count)
    duplicated = sum(count - 1 for count in fake.delivered.values() if count > 1)
    print(f"{args.people:,} people opted in: {summary.text.splitlines()[0]}")
    print(f"  drawn, stored and queued in {queued_in:.2f} s")
    print(f"  delivered in {elapsed:.1f} s, floor {floor:.1f} s (posts {post_floor:.0f} s at {args.method_rate}/s, "
          f"opens {open_floor:.0f} s at {args.open_per_minute}/min), ratio {elapsed / floor:.2f}")
    print(f"  CPU time of this process (bot and fake Slack) while delivering: {cpu:.1f} s "
          f"({cpu / max(expected, 1) * 1000:.1f} ms a group)")
    print(f"  Web API calls {dict(fake.calls)}, 429s {fake.limits.rate_limited or 0}")
    print(f"  at Slack's real Tier 3 (50 opens a minute) the floor of this round is {expected / 50 * 60:,.0f} s")
    print(f"  load average (1, 5, 15 min) at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"  group messages delivered {delivered:,} of {expected:,}: lost {expected - delivered}, "
          f"duplicated {duplicated}")


def main() -> None:
    logging.basicConfig(level=logging.ERROR)
    parser = argparse.ArgumentParser(description="Crowdbot fika round delivery benchmark")
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--method-rate", type=int, default=50)
    parser.add_argument("--open-per-minute", type=int, default=50, help="Tier 3 allowance (Slack: 50)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(args, f"sqlite+aiosqlite:///{folder}/fika.db"))


if __name__ == "__main__":
    main()
