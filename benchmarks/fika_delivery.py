"""A fika round end to end: drawn, stored and queued in one transaction, then its group messages delivered
through the outbox and the real Slack Messenger to a fake Slack enforcing rate limits (429 beyond them).

Usage: python benchmarks/fika_delivery.py [--people 2000] [--method-rate 50]

Prints the time to draw, store and queue the round, then the delivery time against the floor the rate
limit allows (one chat.postMessage per group at `--method-rate` per second), 429s, lost and duplicated
messages. `--people 20000` is the full-size round (a floor of 200 s at 50 per second).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.fake_slack_api import TOKEN, FakeSlackApi, serve  # noqa: E402


async def run(args: argparse.Namespace, url: str) -> None:
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
    fake = FakeSlackApi(method_per_second=args.method_rate, channel_interval=1.0)
    runner, port = await serve(fake)
    messenger = SlackMessenger(AsyncWebClient(token=TOKEN, base_url=f"http://127.0.0.1:{port}/api/"))
    messenger.global_limits = ((args.method_rate, 1.05),)
    dispatcher = OutboxDispatcher(core, {"slack": messenger})
    started = time.perf_counter()
    dispatcher.start()
    try:
        while True:
            async with db.transaction() as session:
                if await outbox.pending_count(session) == 0:
                    break
            await asyncio.sleep(0.2)
    finally:
        await dispatcher.stop()
    elapsed = time.perf_counter() - started
    await db.dispose()
    await runner.cleanup()
    floor = expected / args.method_rate
    delivered = sum(1 for count in fake.delivered.values() if count)
    duplicated = sum(count - 1 for count in fake.delivered.values() if count > 1)
    print(f"{args.people:,} people opted in: {summary.text.splitlines()[0]}")
    print(f"  drawn, stored and queued in {queued_in:.2f} s")
    print(f"  delivered in {elapsed:.1f} s, floor {floor:.1f} s at {args.method_rate}/s, "
          f"ratio {elapsed / floor:.2f}")
    print(f"  Web API calls {fake.calls:,} (conversations.open and chat.postMessage), 429s {fake.rate_limited}")
    print(f"  group messages delivered {delivered:,} of {expected:,}: lost {expected - delivered}, "
          f"duplicated {duplicated}")


def main() -> None:
    logging.basicConfig(level=logging.ERROR)
    parser = argparse.ArgumentParser(description="Crowdbot fika round delivery benchmark")
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--method-rate", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(args, f"sqlite+aiosqlite:///{folder}/fika.db"))


if __name__ == "__main__":
    main()
