"""Fan-out: a digest to 5,000 people by direct message, a prompt to 200 channels and several messages to one
busy channel, delivered by the outbox through the real Slack Messenger to a fake Slack that enforces Slack's
documented limits (each method's tier, about one message per second per channel with bursts, a workspace
allowance for chat.postMessage; 429 with Retry-After beyond).

Usage: python benchmarks/fanout.py [--recipients 5000] [--channels 200] [--busy 20] [--method-rate 50]

Prints total time against the best the limits allow (the floor), Web API calls and 429s per method, messages
lost and duplicated, and whether the busy channel's messages arrived in order.
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
    from slack_sdk.web.async_client import AsyncWebClient

    from adapters.slack.messenger import SlackMessenger
    from bot.config import load_config
    from bot.context import Core
    from bot.message import Message
    from bot.outbox import OutboxDispatcher
    from bot.services.delivery import queue_channel_post, queue_direct
    from storage import outbox, schema
    from storage.database import Database

    await asyncio.to_thread(schema.upgrade, url)
    fake = FakeSlackApi(method_per_second=args.method_rate)
    runner, port = await serve(fake)
    db = Database(url)
    core = Core(load_config(ROOT / "app.yaml", environ={}), db, platforms=frozenset({"slack"}))
    people = [f"U{n:05d}" for n in range(args.recipients)]
    channels = [f"C{n:04d}" for n in range(args.channels)]
    busy = [f"Busy channel message {n}" for n in range(args.busy)]
    async with db.transaction() as session:
        for user in people:
            await queue_direct(core, session, f"slack:{user}", Message(text=f"Digest for {user}"))
        for channel in channels:
            await queue_channel_post(core, session, f"slack:{channel}", Message(text=f"Prompt for {channel}"))
        for text in busy:
            await queue_channel_post(core, session, "slack:CBUSY", Message(text=text))
    messenger = SlackMessenger(AsyncWebClient(token=TOKEN, base_url=f"http://127.0.0.1:{port}/api/"))
    # The workspace allowance as configured, with a 5% margin so network jitter keeps inside Slack's window.
    messenger.global_limits = ((args.method_rate, 1.05),)
    dispatcher = OutboxDispatcher(core, {"slack": messenger})
    started = time.perf_counter()
    dispatcher.start()
    expected = len(people) + len(channels) + len(busy)
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

    # The floor: the workspace allowance for every post, or the busy channel's pace after its burst.
    floor = max(expected / args.method_rate, (len(busy) - fake.limits.channel_burst) / fake.limits.channel_rate)
    delivered = sum(1 for count in fake.delivered.values() if count)
    duplicated = sum(count - 1 for count in fake.delivered.values() if count > 1)
    in_order = [text for channel, text in fake.accepted if channel == "CBUSY"] == busy
    calls = sum(fake.calls.values())
    print(f"{args.recipients:,} direct messages + {args.channels} channel posts + {len(busy)} to one channel; "
          f"limits: chat.postMessage {args.method_rate}/s per workspace and 1/s per channel (bursts of "
          f"{fake.limits.channel_burst}), Tier 3 methods 50/min")
    print(f"  total {elapsed:.1f}s, floor {floor:.1f}s, ratio {elapsed / floor:.2f}")
    print(f"  Web API calls {calls:,}: " + ", ".join(f"{m} {n:,}" for m, n in sorted(fake.calls.items())))
    print(f"  429s {fake.rate_limited} ({100 * fake.rate_limited / max(calls, 1):.2f}% of calls): "
          + (", ".join(f"{m} {n}" for m, n in sorted(fake.limits.rate_limited.items())) or "none"))
    print(f"  delivered {delivered:,} of {expected:,}: lost {expected - delivered}, duplicated {duplicated}; "
          f"busy channel in order: {in_order}")


def main() -> None:
    logging.basicConfig(level=logging.ERROR)  # each 429 is a warning; the summary counts them
    parser = argparse.ArgumentParser(description="Crowdbot fan-out benchmark")
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument("--channels", type=int, default=200)
    parser.add_argument("--busy", type=int, default=20, help="messages to one channel")
    parser.add_argument("--method-rate", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(run(args, f"sqlite+aiosqlite:///{folder}/fanout.db"))


if __name__ == "__main__":
    main()
