"""Campaign at national scale: seed 100,000 ideas, 1,000,000 votes, 200,000 comments from 20,000 people,
then time `stats`, top ideas per challenge and the weekly digest against the bare SQL they need (the floor).

Usage: python benchmarks/scale.py [--postgres URL] [--ideas N --votes N --comments N --participants N]

SQLite always runs (in a temporary file); PostgreSQL runs when --postgres (or CROWDBOT_BENCH_POSTGRES_URL)
names an empty database the script may reset. Each database's timings run in a fresh child process, so
its peak RSS is the bot's own, not the seeder's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REPEATS = 5


async def _best(work) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        await work()
        samples.append(time.perf_counter() - started)
    return min(samples) if len(samples) < 3 else statistics.median(samples)


async def measure(url: str) -> dict[str, float]:
    """Runs in the child: the bot's own functions, then the bare SQL floors, on the seeded database."""
    from sqlalchemy import text

    from benchmarks.floors import floor_queries
    from bot.announcements import preview_digest
    from bot.config import load_config
    from bot.context import Core
    from bot.digest import draw_digest_chart
    from bot.services.stats import stats_reply
    from storage import ideas
    from storage.database import Database

    config = load_config(ROOT / "app.yaml", environ={})
    db = Database(url)
    core = Core(config, db, platforms=frozenset({"slack"}))
    keys = [challenge.key for challenge in config.challenges]

    async def in_session(work):  # type: ignore[no-untyped-def]
        async with db.transaction() as session:
            return await work(session)

    async def top_all(session):  # type: ignore[no-untyped-def]
        for key in keys:
            await ideas.top_ideas(session, challenge_key=key, limit=10)

    async def floor(name: str):  # type: ignore[no-untyped-def]
        async def run(session):  # type: ignore[no-untyped-def]
            for statement in floor_queries(db.dialect)[name]:
                (await session.execute(text(statement))).all()
        return await _best(lambda: in_session(run))

    async def digest_with_chart():  # type: ignore[no-untyped-def]
        chart = await draw_digest_chart(core)
        return await in_session(lambda s: preview_digest(core, s, chart=chart))

    results = {
        "stats_s": await _best(lambda: in_session(lambda s: stats_reply(core, s))),
        "stats_floor_s": await floor("stats"),
        "top_s": await _best(lambda: in_session(top_all)),
        "top_floor_s": await floor("top"),
        "digest_s": await _best(lambda: in_session(lambda s: preview_digest(core, s))),
        "digest_floor_s": await floor("digest"),
        # The chart is drawn before the digest's transaction (as the scheduler does), then the digest composed.
        "digest_chart_s": await _best(digest_with_chart),
    }
    await db.dispose()
    results["peak_rss_mb"] = peak_rss_mb()
    return results


def peak_rss_mb() -> float:
    """This process's peak RSS. VmHWM, not getrusage: ru_maxrss survives exec, so a child started by the
    (large) seeding process would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_postgres(url: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    async def reset() -> None:
        engine = create_async_engine(url)
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await engine.dispose()

    asyncio.run(reset())


def prepare(url: str, args: argparse.Namespace) -> float:
    from benchmarks.seed import Scale, seed
    from storage import schema

    if url.startswith("postgresql"):
        reset_postgres(url)
    schema.upgrade(url)
    started = time.perf_counter()
    seed(url, Scale(args.ideas, args.votes, args.comments, args.participants))
    return time.perf_counter() - started


def report(name: str, seed_s: float, figures: dict[str, float]) -> None:
    print(f"\n{name}: seeded in {seed_s:.1f}s; peak RSS of the bot process {figures['peak_rss_mb']:.0f} MB")
    print(f"  {'measure':<22}{'crowdbot':>12}{'bare SQL':>12}{'ratio':>8}")
    for label, key in (("stats", "stats"), ("top ideas x4", "top"), ("weekly digest", "digest")):
        ours, floor = figures[f"{key}_s"], figures[f"{key}_floor_s"]
        print(f"  {label:<22}{ours * 1000:>10.1f}ms{floor * 1000:>10.1f}ms{ours / floor if floor else 0:>8.2f}")
    print(f"  {'digest with its chart':<22}{figures['digest_chart_s'] * 1000:>10.1f}ms  (matplotlib PNG, no SQL floor)")


def main() -> None:
    parser = argparse.ArgumentParser(description="Crowdbot at national scale")
    parser.add_argument("--postgres", default=os.environ.get("CROWDBOT_BENCH_POSTGRES_URL"))
    parser.add_argument("--ideas", type=int, default=100_000)
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--comments", type=int, default=200_000)
    parser.add_argument("--participants", type=int, default=20_000)
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: the child process
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(asyncio.run(measure(args.measure))))
        return
    print(f"Scale: {args.ideas:,} ideas, {args.votes:,} votes, {args.comments:,} comments, "
          f"{args.participants:,} participants")
    with tempfile.TemporaryDirectory() as folder:
        targets = [("SQLite", f"sqlite+aiosqlite:///{folder}/scale.db")]
        if args.postgres:
            targets.append(("PostgreSQL", args.postgres))
        for name, url in targets:
            seed_s = prepare(url, args)
            child = subprocess.run([sys.executable, __file__, "--measure", url], capture_output=True, text=True,
                                   check=True, cwd=ROOT)
            report(name, seed_s, json.loads(child.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
