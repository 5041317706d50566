"""Campaign at national scale: seed 100,000 ideas, 1,000,000 votes, 200,000 comments from 20,000 people,
then time `stats`, top ideas per challenge, the weekly digest and the chart's timeline against the bare SQL they
need (the floor), and an export of every idea (time, peak memory, and how long a vote waits meanwhile).

Each figure is the median of REPEATS runs with their range (min-max). The campaign configuration is app.yaml with
its audience sized to the seeded people (seeded decisions and themes are by app.yaml's community managers).

Usage: python benchmarks/scale.py [--postgres URL] [--ideas N --votes N --comments N --participants N]

SQLite always runs (in a temporary file); PostgreSQL runs when --postgres (or CROWDBOT_BENCH_POSTGRES_URL)
names an empty database the script may reset. Each database's timings run in a fresh child process, so
its peak RSS is the bot's own, not the seeder's.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
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


async def _timed(work) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        await work()
        samples.append(time.perf_counter() - started)
    return samples


def scale_config(participants: int):  # type: ignore[no-untyped-def]
    from bot.config import load_config

    config = load_config(ROOT / "app.yaml", environ={})
    # Everyone seeded was invited, plus a quarter who never took part: participation then reads like a campaign.
    campaign = config.campaign.model_copy(update={"audience_size": participants + participants // 4})
    return config.model_copy(update={"campaign": campaign})


async def measure(url: str, participants: int) -> dict[str, object]:
    """Runs in the child: the bot's own functions, then the bare SQL floors, on the seeded database."""
    from sqlalchemy import text

    from benchmarks.floors import floor_queries
    from bot.announcements import preview_digest
    from bot.context import Core
    from bot.digest import draw_digest_chart
    from bot.services.stats import stats_reply
    from bot.services.timeline import campaign_timeline
    from storage import ideas
    from storage.database import Database

    config = scale_config(participants)
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
        return await _timed(lambda: in_session(run))

    async def digest_with_chart():  # type: ignore[no-untyped-def]
        chart = await draw_digest_chart(core)
        return await in_session(lambda s: preview_digest(core, s, chart=chart))

    results: dict[str, object] = {
        "stats_s": await _timed(lambda: in_session(lambda s: stats_reply(core, s))),
        "stats_floor_s": await floor("stats"),
        "top_s": await _timed(lambda: in_session(top_all)),
        "top_floor_s": await floor("top"),
        "digest_s": await _timed(lambda: in_session(lambda s: preview_digest(core, s))),
        "digest_floor_s": await floor("digest"),
        "chart_s": await _timed(lambda: in_session(lambda s: campaign_timeline(core, s))),
        "chart_floor_s": await floor("chart"),
        # The chart is drawn before the digest's transaction (as the scheduler does), then the digest composed.
        "digest_chart_s": await _timed(digest_with_chart),
        "participation": next((line for line in (await in_session(lambda s: stats_reply(core, s))).text.splitlines()
                               if "articipation" in line), "")[:120],
    }
    await db.dispose()
    results["peak_rss_mb"] = peak_rss_mb()
    return results


async def measure_export(url: str, participants: int) -> dict[str, object]:
    """Runs in its own child (its peak RSS is the export's): every idea to CSV, while a one-statement write
    transaction runs every 20 ms, as votes would; reports how long those writes waited."""
    from sqlalchemy import text

    from bot.context import Core
    from bot.exports import idea_pages, write_csv
    from storage.database import Database

    db = Database(url)
    core = Core(scale_config(participants), db, platforms=frozenset({"slack"}))
    waits: list[float] = []
    exporting = True

    async def votes_meanwhile() -> None:
        while exporting:
            started = time.perf_counter()
            async with db.transaction() as session:
                await session.execute(text("UPDATE idea SET vote_count = vote_count WHERE number = 1"))
            waits.append(time.perf_counter() - started)
            await asyncio.sleep(0.02)

    # This child has just imported everything: the full collection that owes (about 50 ms of one core) would fall
    # in the export and stall the writes, as it stalls whatever runs first in a fresh process. A server has long
    # paid it by the time someone exports.
    gc.collect()
    writer = asyncio.create_task(votes_meanwhile())
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as out:
        started, cpu_started = time.perf_counter(), time.process_time()
        async with db.snapshot() as session:
            rows = await write_csv(idea_pages(core, session), out)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        size_mb = out.tell() / 1e6
    exporting = False
    await writer
    await db.dispose()
    waits.sort()
    return {"export_s": elapsed, "export_cpu_s": cpu, "load": os.getloadavg()[0], "rows": rows, "size_mb": size_mb,
            "peak_rss_mb": peak_rss_mb(),
            "writes": len(waits), "write_p50_ms": waits[len(waits) // 2] * 1000 if waits else 0.0,
            "write_p99_ms": waits[int(len(waits) * 0.99)] * 1000 if waits else 0.0,
            "write_max_ms": waits[-1] * 1000 if waits else 0.0}


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


def _median_range(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:>8.1f}ms ({min(samples) * 1000:.0f}-{max(samples) * 1000:.0f})"


def report(name: str, seed_s: float, figures: dict, export: dict) -> None:  # type: ignore[type-arg]
    print(f"\n{name}: seeded in {seed_s:.1f}s; peak RSS of the bot process {figures['peak_rss_mb']:.0f} MB; "
          f"stats say: {figures['participation']}")
    print(f"  {'measure (median of ' + str(REPEATS) + ', range)':<34}{'crowdbot':>22}{'bare SQL':>22}{'ratio':>7}")
    for label, key in (("stats", "stats"), ("top ideas x4", "top"), ("weekly digest", "digest"),
                       ("chart timeline", "chart")):
        ours, floor = figures[f"{key}_s"], figures[f"{key}_floor_s"]
        ratio = statistics.median(ours) / statistics.median(floor)
        print(f"  {label:<34}{_median_range(ours):>22}{_median_range(floor):>22}{ratio:>7.2f}")
    print(f"  {'digest with its chart (PNG)':<34}{_median_range(figures['digest_chart_s']):>22}")
    print(f"  export of {export['rows']:,} ideas to CSV ({export['size_mb']:.1f} MB): {export['export_s']:.2f}s "
          f"(this process's CPU {export['export_cpu_s']:.2f}s, load average {export['load']:.1f}), "
          f"peak RSS {export['peak_rss_mb']:.0f} MB; {export['writes']} one-statement writes meanwhile, "
          f"p50 {export['write_p50_ms']:.1f} ms, p99 {export['write_p99_ms']:.1f} ms, "
          f"max {export['write_max_ms']:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description="Crowdbot at national scale")
    parser.add_argument("--postgres", default=os.environ.get("CROWDBOT_BENCH_POSTGRES_URL"))
    parser.add_argument("--ideas", type=int, default=100_000)
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--comments", type=int, default=200_000)
    parser.add_argument("--participants", type=int, default=20_000)
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # internal: the child process
    parser.add_argument("--measure-export", help=argparse.SUPPRESS)  # internal: the export's child process
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(asyncio.run(measure(args.measure, args.participants))))
        return
    if args.measure_export:
        print(json.dumps(asyncio.run(measure_export(args.measure_export, args.participants))))
        return
    print(f"Scale: {args.ideas:,} ideas, {args.votes:,} votes, {args.comments:,} comments, "
          f"{args.participants:,} participants")
    with tempfile.TemporaryDirectory() as folder:
        targets = [("SQLite", f"sqlite+aiosqlite:///{folder}/scale.db")]
        if args.postgres:
            targets.append(("PostgreSQL", args.postgres))
        for name, url in targets:
            seed_s = prepare(url, args)
            figures, export = (
                json.loads(subprocess.run(
                    [sys.executable, __file__, flag, url, "--participants", str(args.participants)],
                    capture_output=True, text=True, check=True, cwd=ROOT).stdout.strip().splitlines()[-1])
                for flag in ("--measure", "--measure-export"))
            report(name, seed_s, figures, export)


if __name__ == "__main__":
    main()
