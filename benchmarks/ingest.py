"""Event ingestion: signed Slack reaction_added events against `crowdbot run` and against a bare slack-bolt
app that only acknowledges (the framework's ceiling on this machine), on SQLite and PostgreSQL.

Usage: python benchmarks/ingest.py [--postgres URL] [--events 20000] [--concurrency 64] [--rate 200]

Prints events/s, ack latency p50/p99/max, the ratio crowdbot / bare bolt, and checks after the load that
votes stored equal distinct votes sent (retries included, never double counted).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.campaign import CHANNEL, CLOCK_START, free_port, seed_posted_ideas, slack_only_config  # noqa: E402
from benchmarks.fake_slack_api import TOKEN, FakeSlackApi, serve  # noqa: E402
from benchmarks.load import LoadResult, closed_loop, open_loop, reaction_event  # noqa: E402

SECRET = "bench-signing-secret"
IDEAS = 500


async def wait_healthy(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(url) as response:
                    if response.status in (200, 404, 405):
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise TimeoutError(f"{url} did not come up")


async def count_votes(url: str) -> int:
    from sqlalchemy import func, select

    from storage.database import Database
    from storage.models import Vote

    db = Database(url)
    async with db.transaction() as session:
        count = int((await session.execute(select(func.count()).select_from(Vote))).scalar_one())
    await db.dispose()
    return count


async def bare_bolt_handled(url: str) -> int:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return int((await response.json())["handled"])


def make_events(stamps: list[str], count: int, offset: int) -> list[str]:
    """`count` distinct (voter, idea) reactions; ids continue from `offset` so runs never collide."""
    rng = random.Random(offset)
    bodies = []
    for index in range(offset, offset + count):
        ts = stamps[index % len(stamps)]
        voter = f"UV{index // len(stamps)}x{index % 7}"
        bodies.append(reaction_event(user=voter, channel=CHANNEL, ts=ts, event_id=f"Ev{index}",
                                     reaction=rng.choice(["+1", "thumbsup", "heart"])))
    return bodies


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT)


async def run_target(name: str, url: str, bodies: list[str], paced: list[str], concurrency: int,
                     rate: float) -> tuple[LoadResult, LoadResult]:
    await closed_loop(url, SECRET, bodies[:500], concurrency)  # warm up connections and caches
    burst = await closed_loop(url, SECRET, bodies[500:], concurrency)
    steady = await open_loop(url, SECRET, paced, rate)
    print(f"  {name:<10} burst : {burst.summary()}")
    print(f"  {name:<10} {rate:.0f}/s: {steady.summary()}")
    return burst, steady


async def bench_database(label: str, database_url: str, args: argparse.Namespace, folder: Path) -> None:
    from storage import schema

    if database_url.startswith("postgresql"):
        from benchmarks.scale import reset_postgres

        await asyncio.to_thread(reset_postgres, database_url)
    await asyncio.to_thread(schema.upgrade, database_url)
    stamps = await seed_posted_ideas(database_url, IDEAS)
    fake = FakeSlackApi(method_per_second=10_000, channel_burst=10**9, tiered=False)  # measures ingestion only
    runner, api_port = await serve(fake)
    api_url = f"http://127.0.0.1:{api_port}/api/"
    env = {**os.environ, "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": api_url,
           "DATABASE_URL": database_url, "CROWDBOT_CLOCK_START": CLOCK_START}
    bodies = make_events(stamps, args.events + 500, 0)
    paced = make_events(stamps, int(args.rate * args.seconds), 10_000_000)
    print(f"\n{label}: {len(bodies) + len(paced):,} distinct votes on {IDEAS} ideas, concurrency {args.concurrency}")

    bolt_port = free_port()
    bolt = start([sys.executable, "-m", "benchmarks.bare_bolt", "--port", str(bolt_port), "--secret", SECRET,
                  "--api-url", api_url], env, folder / "bolt.log")
    crowdbot_port = free_port()
    crowdbot = start([sys.executable, "-m", "bot", "run", "--port", str(crowdbot_port), "--log-level", "WARNING",
                      "--config", str(slack_only_config(folder))], env, folder / f"crowdbot-{label}.log")
    try:
        await wait_healthy(f"http://127.0.0.1:{bolt_port}/slack/events")
        try:
            await wait_healthy(f"http://127.0.0.1:{crowdbot_port}/healthz")
        except TimeoutError:
            print((folder / f"crowdbot-{label}.log").read_text()[-3000:])
            raise
        bare, bare_steady = await run_target("bare bolt", f"http://127.0.0.1:{bolt_port}/slack/events", bodies,
                                             paced, args.concurrency, args.rate)
        handled = await bare_bolt_handled(f"http://127.0.0.1:{bolt_port}/handled")
        print(f"  bare bolt ran its listener for {handled:,} of {len(bodies) + len(paced):,} events")
        if handled != len(bodies) + len(paced):
            raise SystemExit("the baseline did not handle every event: its figures would not be a ceiling")
        ours, _ = await run_target("crowdbot", f"http://127.0.0.1:{crowdbot_port}/slack/events", bodies, paced,
                                   args.concurrency, args.rate)
        retried = await closed_loop(f"http://127.0.0.1:{crowdbot_port}/slack/events", SECRET, bodies[:1000],
                                    args.concurrency)
        stored = await count_votes(database_url)
        sent = len(bodies) + len(paced)
        print(f"  ratio crowdbot / bare bolt: {ours.rate / bare.rate:.2f}")
        print(f"  votes sent {sent:,} (+{retried.ok:,} replayed), stored {stored:,}: "
              f"lost {max(sent - stored, 0)}, double-counted {max(stored - sent, 0)}")
    finally:
        for process in (bolt, crowdbot):
            process.terminate()
            process.wait(timeout=10)
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description="Crowdbot event ingestion benchmark")
    parser.add_argument("--postgres", default=os.environ.get("CROWDBOT_BENCH_POSTGRES_URL"))
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=15.0)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="crowdbot-ingest-"))
    try:
        targets = [("SQLite", f"sqlite+aiosqlite:///{folder}/ingest.db")]
        if args.postgres:
            targets.append(("PostgreSQL", args.postgres))
        for label, url in targets:
            asyncio.run(bench_database(label, url, args, folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
