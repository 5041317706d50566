"""Event ingestion: signed Slack reaction_added events against `crowdbot run` and against a bare slack-bolt
app that only acknowledges (the framework's ceiling on this machine), on SQLite and PostgreSQL.

Usage: python benchmarks/ingest.py [--postgres URL] [--events 20000] [--concurrency 32,64] [--clients 2]
                                   [--workers 1] [--rate 200] [--rounds 3] [--profile] [--target-root PATH]

The load generator signs every request before a burst (one timestamp) and spreads the workers over `--clients`
processes; each run first drives bare bolt with one client process and with `--clients`, and every burst prints
the clients' own CPU, so a run shows whether the sender limits the figures.
Bare bolt and crowdbot take turns (`--rounds` bursts each, alternately, at each concurrency), so noise on a
shared machine hits both; prints each round's events/s and ack latency, the median ratio crowdbot / bare bolt
with its spread, `uptime`, and checks after the load that votes stored equal distinct votes sent (retries
included, never double counted). `--workers N` runs `crowdbot run --workers N` on PostgreSQL (SQLite has one
writer, so its runs always use one).
`--profile` samples `crowdbot run` with py-spy during its bursts (the `bench` extra) and prints its top costs;
`--target-root` runs another checkout's crowdbot (e.g. main, for a before/after profile).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import statistics
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
from benchmarks.load import LoadResult, open_loop, reaction_event  # noqa: E402
from benchmarks.load_clients import closed_loop  # noqa: E402
from benchmarks.profile_summary import read_stacks, summarise  # noqa: E402

SECRET = "bench-signing-secret"
IDEAS = 500


async def wait_healthy(url: str, seconds: float = 120) -> None:
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


def start(command: list[str], env: dict[str, str], log: Path, cwd: Path = ROOT) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, env=env, cwd=cwd, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


async def client_check(bolt_url: str, bodies: list[str], concurrency: int, clients: int) -> None:
    """Bare bolt driven by one client process and by `clients`: if more senders do not raise its events/s and
    the clients' CPU stays well under the machine's cores, the sender is not what limits the figures."""
    single = await closed_loop(bolt_url, SECRET, bodies, concurrency, clients=1)
    spread_out = await closed_loop(bolt_url, SECRET, bodies, concurrency, clients=clients)
    print(f"  load generator check, bare bolt at concurrency {concurrency}:")
    print(f"    1 client process:  {single.summary()}")
    print(f"    {clients} client processes: {spread_out.summary()}")


async def alternate(bolt_url: str, crowdbot_url: str, bodies: list[str], rounds: int, concurrency: int,
                    clients: int) -> tuple[list[LoadResult], list[LoadResult]]:
    """`rounds` bursts each, bare bolt then crowdbot, on the same events (bare bolt stores nothing)."""
    size = len(bodies) // rounds
    bare, ours = [], []
    print(f"  concurrency {concurrency}, {clients} client processes:")
    for index in range(rounds):
        chunk = bodies[index * size: (index + 1) * size]
        bare.append(await closed_loop(bolt_url, SECRET, chunk, concurrency, clients=clients))
        ours.append(await closed_loop(crowdbot_url, SECRET, chunk, concurrency, clients=clients))
        print(f"  round {index + 1}: bare bolt {bare[-1].summary()}")
        print(f"           crowdbot  {ours[-1].summary()}")
        print(f"           ratio {ours[-1].rate / bare[-1].rate:.2f}   [{uptime()}]")
    return bare, ours


def spread(values: list[float]) -> str:
    return f"median {statistics.median(values):,.2f} (min {min(values):,.2f}, max {max(values):,.2f})"


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
    warmup = make_events(stamps, 500, 0)
    levels = {level: make_events(stamps, args.events, 1_000_000 * (n + 1)) for n, level in enumerate(args.concurrency)}
    paced = make_events(stamps, int(args.rate * args.seconds), 100_000_000)
    workers = args.workers if database_url.startswith("postgresql") else 1  # SQLite: one writer, one worker
    total = len(warmup) + sum(map(len, levels.values())) + len(paced)
    print(f"\n{label}: {total:,} distinct votes on {IDEAS} ideas, concurrency {args.concurrency}, "
          f"crowdbot run --workers {workers}, load from {args.clients} client processes")

    bolt_port = free_port()
    bolt = start([sys.executable, "-m", "benchmarks.bare_bolt", "--port", str(bolt_port), "--secret", SECRET,
                  "--api-url", api_url], env, folder / "bolt.log")
    crowdbot_port = free_port()
    crowdbot = start([sys.executable, "-m", "bot", "run", "--port", str(crowdbot_port), "--log-level", args.log_level,
                      "--workers", str(workers), "--config", str(slack_only_config(folder))], env,
                     folder / f"crowdbot-{label}.log", cwd=args.target_root)
    profiler = None
    bolt_url = f"http://127.0.0.1:{bolt_port}/slack/events"
    crowdbot_url = f"http://127.0.0.1:{crowdbot_port}/slack/events"
    try:
        await wait_healthy(bolt_url)
        try:
            await wait_healthy(f"http://127.0.0.1:{crowdbot_port}/healthz")
        except TimeoutError:
            print((folder / f"crowdbot-{label}.log").read_text()[-3000:])
            raise
        # Warm up connections and caches on both, then show the sender is not the bottleneck.
        await closed_loop(bolt_url, SECRET, warmup, args.concurrency[0], clients=args.clients)
        await closed_loop(crowdbot_url, SECRET, warmup, args.concurrency[0], clients=args.clients)
        check = levels[args.concurrency[-1]][: args.events // args.rounds]  # bare bolt stores nothing: reusable
        await client_check(bolt_url, check, args.concurrency[-1], args.clients)
        bolt_sent = len(warmup) + 2 * len(check)
        if args.profile:
            profile = Path(tempfile.gettempdir()) / f"crowdbot-profile-{label}-{crowdbot.pid}.txt"  # kept
            profiler = start([str(Path(sys.executable).with_name("py-spy")), "record", "--pid", str(crowdbot.pid),
                              *(["--subprocesses"] if workers > 1 else []),
                              "--rate", "200", "--format", "raw", "--output", str(profile), "--nonblocking"],
                             env, folder / "py-spy.log")
        bursts = {}
        for level, bodies in levels.items():
            bursts[level] = await alternate(bolt_url, crowdbot_url, bodies, args.rounds, level, args.clients)
            bolt_sent += sum(result.sent for result in bursts[level][0])
        if profiler is not None:
            profiler.send_signal(signal.SIGINT)
            profiler.wait(timeout=30)
            print(f"  profile of crowdbot run during its bursts ({profile}):")
            print("\n".join("    " + line for line in summarise(read_stacks(profile))))
        bare_steady = await open_loop(bolt_url, SECRET, paced, args.rate)
        ours_steady = await open_loop(crowdbot_url, SECRET, paced, args.rate)
        print(f"  bare bolt {args.rate:.0f}/s: {bare_steady.summary()}")
        print(f"  crowdbot  {args.rate:.0f}/s: {ours_steady.summary()}")
        handled = await bare_bolt_handled(f"http://127.0.0.1:{bolt_port}/handled")
        expected = bolt_sent + len(paced)
        print(f"  bare bolt ran its listener for {handled:,} of {expected:,} events")
        if handled != expected:
            raise SystemExit("the baseline did not handle every event: its figures would not be a ceiling")
        replay = levels[args.concurrency[0]][:1000]
        retried = await closed_loop(crowdbot_url, SECRET, replay, args.concurrency[0], clients=args.clients)
        stored = await count_votes(database_url)
        sent = len(warmup) + sum(r.sent for bare, ours in bursts.values() for r in ours) + len(paced)
        for level, (bare, ours) in bursts.items():
            print(f"  concurrency {level}: events/s bare bolt {spread([r.rate for r in bare])}; "
                  f"crowdbot {spread([r.rate for r in ours])}")
            print("    ratio crowdbot / bare bolt, round by round: "
                  f"{spread([o.rate / b.rate for o, b in zip(ours, bare, strict=True)])}")
            print(f"    burst p99 ms bare bolt {spread([r.percentile(0.99) for r in bare])}; "
                  f"crowdbot {spread([r.percentile(0.99) for r in ours])}")
        print(f"  votes sent {sent:,} (+{retried.ok:,} replayed), stored {stored:,}: "
              f"lost {max(sent - stored, 0)}, double-counted {max(stored - sent, 0)}   [{uptime()}]")
    finally:
        for process in (profiler, bolt, crowdbot):
            if process is None or process.poll() is not None:
                continue
            process.terminate()
            process.wait(timeout=10)
        await runner.cleanup()


def concurrency_levels(text: str) -> list[int]:
    values = [int(part) for part in text.split(",") if part.strip()]
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("give concurrency levels as positive numbers, e.g. 32,64")
    return values


def main() -> None:
    parser = argparse.ArgumentParser(description="Crowdbot event ingestion benchmark")
    parser.add_argument("--postgres", default=os.environ.get("CROWDBOT_BENCH_POSTGRES_URL"))
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--concurrency", type=concurrency_levels, default=[32, 64], help="levels, comma-separated")
    parser.add_argument("--clients", type=int, default=2, help="load generator processes")
    parser.add_argument("--workers", type=int, default=1, help="crowdbot run --workers on PostgreSQL")
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--rounds", type=int, default=3, help="alternating bursts per target and level")
    parser.add_argument("--profile", action="store_true", help="sample crowdbot run with py-spy during its bursts")
    parser.add_argument("--target-root", type=Path, default=ROOT, help="the checkout whose crowdbot runs")
    parser.add_argument("--log-level", default="WARNING", help="crowdbot run's --log-level")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only (needs --postgres)")
    args = parser.parse_args()
    if args.no_sqlite and not args.postgres:
        parser.error("--no-sqlite measures PostgreSQL only: give --postgres URL")
    folder = Path(tempfile.mkdtemp(prefix="crowdbot-ingest-"))
    try:
        targets = [] if args.no_sqlite else [("SQLite", f"sqlite+aiosqlite:///{folder}/ingest.db")]
        if args.postgres:
            targets.append(("PostgreSQL", args.postgres))
        for label, url in targets:
            asyncio.run(bench_database(label, url, args, folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
