"""A simulated idea hour at NHS scale against `crowdbot run`: 1,500 participants, 3,000 answers and 10,000
agreement reactions sent as signed Slack events at the hour's real rate compressed 60x (60 minutes in 60 s),
with the host moving the hour on by slash command and a fake Slack Web API that enforces Slack's pace.

Usage: python benchmarks/idea_hour.py [--postgres URL] [--compress 60] [--bare-bolt]

--bare-bolt also sends the same events at the same rate to a bare slack-bolt app that only verifies and acks
(benchmarks/bare_bolt.py): the framework's own ack latency on this machine, to read ours against.

Prints: answers and agreements stored against sent, acknowledgement p50/p99/max, the hour's posts delivered
(and 429s), and the time to compose the summary and to write the report for all answers.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.campaign import CHANNEL, free_port, slack_only_config  # noqa: E402
from benchmarks.fake_slack_api import TOKEN, FakeSlackApi, serve  # noqa: E402
from benchmarks.ingest import start, wait_healthy  # noqa: E402
from benchmarks.load import LoadResult, open_loop, reaction_event, sign  # noqa: E402

SECRET = "bench-signing-secret"
HOST = "U0CM1"  # a community manager in app.yaml
KEY = "bench-hour"
QUESTIONS = 4
PEOPLE, ANSWERS, AGREEMENTS = 1500, 3000, 10_000
LEAD = 60  # a reaction targets an answer sent at least this many events earlier (~15 s of the real hour)
TRIGGERS = itertools.count(1)
EMOJI = ("+1", "heart", "clap", "raised_hands", "100")


def hour_config(folder: Path, database_url: str) -> Path:
    path = slack_only_config(folder, database_url)
    raw = yaml.safe_load(path.read_text())
    raw["idea_hours"] = [{"key": KEY, "challenge": "ways-of-working", "title": "Safer handovers",
                          "channels": [f"slack:{CHANNEL}"], "starts": "2030-01-01 19:00",
                          "questions": [f"Question {n}: what would you change?" for n in range(1, QUESTIONS + 1)],
                          "question_interval_minutes": 15}]
    path.write_text(yaml.safe_dump(raw))
    return path


def answer_event(user: str, thread: str, ts: str, event_id: str) -> str:
    return json.dumps({
        "token": "unused", "team_id": "T0BENCH", "api_app_id": "A0BENCH", "type": "event_callback",
        "event_id": event_id, "event_time": int(time.time()),
        "event": {"type": "message", "channel": CHANNEL, "user": user, "text": f"My answer, from {user}",
                  "ts": ts, "thread_ts": thread, "channel_type": "channel", "event_ts": ts},
    })


def segment(question: int, thread: str, rng: random.Random) -> list[str]:
    """One question's quarter of the hour: its answers, and reactions on answers sent a little earlier."""
    per_question, reactions = ANSWERS // QUESTIONS, AGREEMENTS // QUESTIONS
    authors = [f"UP{(question * per_question + n) % PEOPLE:04d}" for n in range(per_question)]
    stamps = [f"17{question:02d}00000.{n:06d}" for n in range(per_question)]
    events, chosen = [], set()
    for index in range(per_question):
        events.append(answer_event(authors[index], thread, stamps[index], f"EvA{question}-{index}"))
        for _ in range(reactions // per_question + 2):
            if index < LEAD + 10 or len(chosen) >= reactions:
                break
            while True:  # a distinct (answer, person, emoji), never on one's own answer
                target = rng.randrange(index - LEAD)
                person = f"UP{rng.randrange(PEOPLE):04d}"
                pick = (target, person, rng.choice(EMOJI))
                if person != authors[target] and pick not in chosen:
                    break
            chosen.add(pick)
            events.append(reaction_event(user=person, channel=CHANNEL, ts=stamps[target], reaction=pick[2],
                                         event_id=f"EvR{question}-{len(chosen)}"))
    return events


async def command(url: str, text: str) -> str:
    body = urlencode({"token": "unused", "team_id": "T0BENCH", "channel_id": CHANNEL, "user_id": HOST,
                      "user_name": "host", "command": "/idea", "text": text,
                      # Slack gives each invocation its own trigger_id, and the bot treats a repeat as a replay.
                      "trigger_id": f"1.2.{next(TRIGGERS)}"})
    stamp = str(int(time.time()))
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": stamp,
               "X-Slack-Signature": sign(SECRET, stamp, body)}
    async with aiohttp.ClientSession() as session, session.post(url, data=body.encode(), headers=headers) as response:
        if response.content_type != "application/json":  # acked first when slow; the answer went to response_url
            return f"HTTP {response.status}, acknowledged (the answer follows through response_url)"
        return (await response.json()).get("text", "")


async def question_ts(database_url: str, position: int, within: float = 120.0) -> str:
    """Waits until question `position` is out and recorded; returns its message ts."""
    from sqlalchemy import select

    from storage.database import Database
    from storage.models import IdeaHourPost, IdeaHourQuestion

    db = Database(database_url)
    deadline = time.monotonic() + within
    try:
        while time.monotonic() < deadline:
            async with db.transaction() as session:
                found = (await session.execute(select(IdeaHourPost.message_id).join(
                    IdeaHourQuestion, IdeaHourQuestion.id == IdeaHourPost.question_id).where(
                    IdeaHourQuestion.position == position))).scalar_one_or_none()
            if found:
                return found
            await asyncio.sleep(0.05)
    finally:
        await db.dispose()
    raise TimeoutError(f"Q{position} was not posted within {within} s")


async def measure_summary_and_report(config_path: Path) -> tuple[int, int, float, float]:
    from sqlalchemy import func, select

    from bot.config import load_config
    from bot.context import Core
    from bot.hour.compose import closing
    from bot.hour.figures import hour_figures
    from bot.hour.report import build_report, to_csv, to_markdown
    from storage import hours
    from storage.database import Database
    from storage.models import IdeaHourAgreement

    config = load_config(config_path, environ={})
    db = Database(config.storage.url)
    core = Core(config, db)
    try:
        async with db.transaction() as session:
            run = await hours.get_run(session, hour_key=KEY)
            started = time.perf_counter()
            figures = await hour_figures(session, run)  # type: ignore[arg-type]
            closing(config.idea_hours[0], figures, "Ways of working")
            summary_seconds = time.perf_counter() - started
            started = time.perf_counter()
            report = await build_report(core, session, KEY)
            to_markdown(report), to_csv(report)
            report_seconds = time.perf_counter() - started
        async with db.transaction() as session:  # reactions stored (one person may agree with two emoji)
            reactions = int((await session.execute(select(func.count()).select_from(IdeaHourAgreement))).scalar_one())
        return figures.answers, reactions, summary_seconds, report_seconds
    finally:
        await db.dispose()


async def bench(label: str, database_url: str, compress: float, folder: Path) -> None:
    from storage import schema

    if database_url.startswith("postgresql"):
        from benchmarks.scale import reset_postgres

        await asyncio.to_thread(reset_postgres, database_url)
    await asyncio.to_thread(schema.upgrade, database_url)
    fake = FakeSlackApi(method_per_second=50)  # Slack's pace: about 1 post/s a channel, short bursts
    runner, api_port = await serve(fake)
    env = {**os.environ, "SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "DATABASE_URL": database_url,
           "SLACK_API_URL": f"http://127.0.0.1:{api_port}/api/", "PYTHONPATH": str(ROOT)}
    config_path = hour_config(folder, database_url)
    port = free_port()
    process = start([sys.executable, "-m", "bot", "run", "--port", str(port), "--log-level", "WARNING",
                     "--config", str(config_path)], env, folder / f"crowdbot-{label}.log")
    url = f"http://127.0.0.1:{port}/slack/events"
    rng = random.Random(7)
    results: list[LoadResult] = []
    try:
        try:
            await wait_healthy(f"http://127.0.0.1:{port}/healthz", seconds=120)  # a loaded machine starts slowly
        except TimeoutError:
            print((folder / f"crowdbot-{label}.log").read_text()[-3000:])
            raise
        print(f"\n{label}: {PEOPLE:,} people, {ANSWERS:,} answers, {AGREEMENTS:,} agreements over "
              f"{60 / compress * 60:.0f} s ({compress:.0f}x)")
        print(f"  host: {await command(url, f'hour start {KEY}')}")
        seconds_per_question = 15 * 60 / compress
        for position in range(1, QUESTIONS + 1):
            thread = await question_ts(database_url, position)
            events = segment(position, thread, rng)
            result = await open_loop(url, SECRET, events, len(events) / seconds_per_question)
            print(f"  Q{position}: {result.summary()}")
            results.append(result)
            if position < QUESTIONS:
                await command(url, "hour next")
        print(f"  host: {await command(url, 'hour end')}")
        await asyncio.sleep(3)  # let the closing post go out
        answers, agreements, summary_s, report_s = await measure_summary_and_report(config_path)
        everything = LoadResult(sum(r.sent for r in results), sum(r.ok for r in results),
                                sum(r.failed for r in results), sum(r.seconds for r in results),
                                [ms for r in results for ms in r.latencies_ms])
        hour_posts = sum(count for (channel, _), count in fake.delivered.items() if channel == CHANNEL)
        print(f"  all events: {everything.summary()}")
        print(f"  stored: {answers:,}/{ANSWERS:,} answers, {agreements:,}/{AGREEMENTS:,} agreement reactions")
        print(f"  hour posts delivered: {hour_posts} (opening, {QUESTIONS} questions, closing); "
              f"429 answers from the fake Slack: {fake.rate_limited}")
        print(f"  summary composed in {summary_s * 1000:.0f} ms; report (markdown + csv) in {report_s * 1000:.0f} ms")
    finally:
        process.terminate()
        process.wait(timeout=10)
        await runner.cleanup()


async def bench_bare_bolt(compress: float, folder: Path) -> None:
    """The same four segments at the same rate against bare bolt (threads need not exist: it stores nothing)."""
    from benchmarks.ingest import bare_bolt_handled

    fake = FakeSlackApi(method_per_second=50)
    runner, api_port = await serve(fake)
    port = free_port()
    process = start([sys.executable, "-m", "benchmarks.bare_bolt", "--port", str(port), "--secret", SECRET,
                     "--api-url", f"http://127.0.0.1:{api_port}/api/"], {**os.environ, "PYTHONPATH": str(ROOT)},
                    folder / "bolt.log")
    rng = random.Random(7)
    results: list[LoadResult] = []
    try:
        await wait_healthy(f"http://127.0.0.1:{port}/slack/events", seconds=120)
        print(f"\nbare bolt: the same events at the same rate ({compress:.0f}x)")
        for position in range(1, QUESTIONS + 1):
            events = segment(position, f"17{position:02d}99999.000000", rng)
            result = await open_loop(f"http://127.0.0.1:{port}/slack/events", SECRET, events,
                                     len(events) / (15 * 60 / compress))
            print(f"  Q{position}: {result.summary()}")
            results.append(result)
        everything = LoadResult(sum(r.sent for r in results), sum(r.ok for r in results),
                                sum(r.failed for r in results), sum(r.seconds for r in results),
                                [ms for r in results for ms in r.latencies_ms])
        print(f"  all events: {everything.summary()}")
        print(f"  bare bolt ran its listener for {await bare_bolt_handled(f'http://127.0.0.1:{port}/handled'):,} "
              f"of {everything.sent:,} events")
    finally:
        process.terminate()
        process.wait(timeout=10)
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description="Crowdbot idea hour benchmark")
    parser.add_argument("--postgres", default=os.environ.get("CROWDBOT_BENCH_POSTGRES_URL"))
    parser.add_argument("--compress", type=float, default=60.0)
    parser.add_argument("--bare-bolt", action="store_true", help="also run the same load against bare slack-bolt")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="crowdbot-hour-"))
    try:
        targets = [("SQLite", f"sqlite+aiosqlite:///{folder}/hour.db")]
        if args.postgres:
            targets.append(("PostgreSQL", args.postgres))
        for label, url in targets:
            asyncio.run(bench(label, url, args.compress, folder))
        if args.bare_bolt:
            asyncio.run(bench_bare_bolt(args.compress, folder))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
