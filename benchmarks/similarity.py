"""Similar ideas before posting: quality on the labelled set, and lookup speed at 100,000 ideas.

Usage: python benchmarks/similarity.py [--postgres URL] [--ideas 100000] [--queries 500] [--no-synonyms]
                                       [--word-share 0.4] (1: the word cosine alone, the scoring before letters)

Quality: every original of benchmarks/data/similar_ideas.txt is stored in its challenge; each near-duplicate is
looked up (recall@3: its original among the first three), and each original is looked up against the others
(it has no duplicate there, so any prompt is a false one). A sweep of thresholds shows the trade-off.
Speed: 100,000 ideas made from the same vocabulary, then the lookup of each labelled text, p50 and p99.
SQLite always runs in a temporary file; PostgreSQL when --postgres names a database the script may reset.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.similar_data import DATA, HELDOUT, SYNONYMS, Labelled, load  # noqa: E402
from bot.similarity import characters  # noqa: E402
from bot.similarity.models import MODELS  # noqa: E402
from bot.similarity.search import find_similar, vocabulary_for  # noqa: E402
from storage import schema  # noqa: E402
from storage.database import Database  # noqa: E402

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
THRESHOLDS = [round(0.24 + 0.01 * step, 2) for step in range(21)]


async def reset(url: str) -> None:
    if url.startswith("postgresql"):
        from sqlalchemy import text
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine(url)
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await engine.dispose()
    await asyncio.to_thread(schema.upgrade, url)


async def insert_ideas(db: Database, rows: list[tuple[str, str]], start: int = 1) -> dict[int, int]:
    """Stores (challenge, text) rows as ideas numbered from `start`; returns number -> id."""
    from sqlalchemy import insert, select

    from storage.models import Idea

    for offset in range(0, len(rows), 5000):
        chunk = rows[offset:offset + 5000]
        values = [{"number": start + offset + i, "challenge_key": challenge, "text": text,
                   "author_ref": f"slack:U{(offset + i) % 997}", "anonymous": False, "status": "new",
                   "vote_count": 0, "created_at": NOW, "updated_at": NOW} for i, (challenge, text) in enumerate(chunk)]
        async with db.transaction() as session:
            await session.execute(insert(Idea), values)
    async with db.transaction() as session:
        return {number: idea_id for number, idea_id in (await session.execute(select(Idea.number, Idea.id))).all()}


async def quality(url: str, synonyms: list[list[str]]) -> dict[str, list[dict[str, float]]]:
    """Sweeps per part ("dev", the set tuned on, and "held-out"); every original of both is in the index."""
    parts = {"dev": load(DATA), "held-out": load(HELDOUT)}
    originals = [item for items in parts.values() for item in items if item.duplicate_of is None]
    await reset(url)
    db = Database(url)
    await insert_ideas(db, [(o.challenge, o.text) for o in originals])
    number_of = {o.key: index + 1 for index, o in enumerate(originals)}
    vocabulary = vocabulary_for(synonyms)

    async def lookup(item: Labelled, limit: int) -> list[tuple[int, float]]:
        async with db.transaction() as session:
            found = await find_similar(session, vocabulary, item.text, challenge_key=item.challenge, limit=limit)
        return [(match.number, match.score) for match in found]

    sweeps = {}
    for part, items in parts.items():
        duplicates = [item for item in items if item.duplicate_of is not None]
        dup_results = [(number_of[d.duplicate_of], await lookup(d, 3)) for d in duplicates]  # type: ignore[index]
        own_results = []
        for original in (item for item in items if item.duplicate_of is None):
            others = [(n, s) for n, s in await lookup(original, 4) if n != number_of[original.key]]
            own_results.append(others[:3])
        sweeps[part] = _sweep(part, items, duplicates, dup_results, own_results)
    await db.dispose()
    return sweeps


def _sweep(part: str, items: list[Labelled], duplicates: list[Labelled], dup_results: list, own_results: list
           ) -> list[dict[str, float]]:
    recall = sum(any(n == want for n, _ in found) for want, found in dup_results) / len(dup_results)
    rows = []
    for threshold in THRESHOLDS:
        caught = sum(any(n == want and s >= threshold for n, s in found) for want, found in dup_results)
        dup_prompts = sum(bool(found) and found[0][1] >= threshold for _, found in dup_results)
        false_prompts = sum(bool(found) and found[0][1] >= threshold for found in own_results)
        shown = dup_prompts + false_prompts
        rows.append({"threshold": threshold, "recall_at_3": recall, "recall_at_3_prompted": caught / len(dup_results),
                     "false_prompt_rate": false_prompts / len(own_results),
                     "precision": caught / shown if shown else 1.0})
    by_kind: dict[str, list[bool]] = {}
    for (want, found), item in zip(dup_results, duplicates, strict=True):
        by_kind.setdefault(item.kind, []).append(any(n == want for n, _ in found))
    print(f"{part}: {len(own_results)} ideas without a duplicate, {len(duplicates)} near-duplicates, "
          f"{len({o.challenge for o in items})} challenges; recall@3 (ranking) {recall:.3f}; by kind: "
          + ", ".join(f"{kind} {sum(hits) / len(hits):.2f} ({len(hits)})" for kind, hits in sorted(by_kind.items())))
    return rows


def synthetic_texts(count: int, seed: int = 7) -> list[tuple[str, str]]:
    """Ideas made from the labelled set's own words, so the index sees a realistic vocabulary and overlap."""
    rng = random.Random(seed)
    items = load()
    challenges = sorted({item.challenge for item in items})
    words = {c: [w for item in items if item.challenge == c for w in item.text.split()] for c in challenges}
    rows = []
    for index in range(count):
        challenge = challenges[index % len(challenges)]
        pool = words[challenge]
        rows.append((challenge, " ".join(rng.choice(pool) for _ in range(rng.randint(6, 22)))))
    return rows


async def speed(url: str, ideas: int, queries: int, synonyms: list[list[str]]) -> dict[str, float]:
    await reset(url)
    db = Database(url)
    started = time.perf_counter()
    await insert_ideas(db, synthetic_texts(ideas))
    seeded = time.perf_counter() - started
    if url.startswith("postgresql"):
        from sqlalchemy import text
        async with db.engine.begin() as connection:
            await connection.execute(text("ANALYZE idea"))
    vocabulary = vocabulary_for(synonyms)
    probes = load(DATA) + load(HELDOUT)
    started = time.perf_counter()
    await MODELS.warm(db, sorted({item.challenge for item in probes}))  # as the bot does at startup
    warmed = time.perf_counter() - started
    timings, cpu, server_ticks = [], [], 0
    for index in range(queries):
        item = probes[index % len(probes)]
        async with db.transaction() as session:
            backend = await _backend_pid(session)
            ticks = _cpu_ticks(backend)
            began, began_cpu = time.perf_counter(), time.process_time()
            await find_similar(session, vocabulary, item.text, challenge_key=item.challenge, limit=3, min_score=0.3)
            timings.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)  # this process's CPU (SQLite runs in it)
            server_ticks += _cpu_ticks(backend) - ticks
    await MODELS.settled()
    await db.dispose()
    timings.sort()
    cpu.sort()
    p99 = min(len(timings) - 1, int(len(timings) * 0.99))
    return {"ideas": ideas, "seed_s": seeded, "warm_s": warmed, "p50_ms": statistics.median(timings),
            "p99_ms": timings[p99], "max_ms": timings[-1], "cpu_p50_ms": statistics.median(cpu),
            "cpu_p99_ms": cpu[p99], "cpu_max_ms": cpu[-1],
            "server_cpu_mean_ms": server_ticks * 1000 / os.sysconf("SC_CLK_TCK") / queries,
            "load": os.getloadavg()[0]}


async def _backend_pid(session: object) -> int | None:
    """PostgreSQL: the server process serving this session, whose CPU time /proc shows."""
    from sqlalchemy import text

    if session.get_bind().dialect.name != "postgresql":  # type: ignore[attr-defined]
        return None
    return int((await session.execute(text("SELECT pg_backend_pid()"))).scalar_one())  # type: ignore[attr-defined]


def _cpu_ticks(pid: int | None) -> int:
    """User plus system CPU of a local process in clock ticks (0 when there is none or it cannot be read)."""
    if pid is None:
        return 0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=None)
    parser.add_argument("--ideas", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--no-synonyms", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--word-share", type=float, default=characters.WORD_SHARE)
    options = parser.parse_args()
    characters.WORD_SHARE = options.word_share  # the one setting compared here, not a configuration key
    synonyms = [] if options.no_synonyms else SYNONYMS
    with tempfile.TemporaryDirectory() as folder:
        urls = [("SQLite", f"sqlite+aiosqlite:///{Path(folder) / 'quality.db'}")]
        if options.postgres:
            urls.append(("PostgreSQL", options.postgres))
        for name, url in urls:
            print(f"== {name}: quality (synonyms {'off' if options.no_synonyms else 'on'}, "
                  f"word share {options.word_share})")
            for part, rows in asyncio.run(quality(url, synonyms)).items():
                print(f"{part}: threshold  recall@3  recall@3 with prompt  false prompts (no duplicate)  precision")
                for row in rows:
                    print(f"{' ' * len(part)}  {row['threshold']:9.2f}  {row['recall_at_3']:8.3f}  "
                          f"{row['recall_at_3_prompted']:20.3f}  {row['false_prompt_rate']:28.3f}  "
                          f"{row['precision']:9.3f}")
            if options.skip_speed:
                continue
            speed_url = url if name == "PostgreSQL" else f"sqlite+aiosqlite:///{Path(folder) / 'speed.db'}"
            figures = asyncio.run(speed(speed_url, options.ideas, options.queries, synonyms))
            print(f"== {name}: lookup at {figures['ideas']:,} ideas (seeded in {figures['seed_s']:.1f} s): "
                  f"p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms, max {figures['max_ms']:.1f} ms; "
                  f"CPU in this process p50 {figures['cpu_p50_ms']:.1f} ms, p99 {figures['cpu_p99_ms']:.1f} ms, "
                  f"max {figures['cpu_max_ms']:.1f} ms (the challenges' n-gram weights learnt beforehand, as at "
                  f"startup, in {figures['warm_s']:.2f} s), "
                  f"PostgreSQL server CPU mean {figures['server_cpu_mean_ms']:.1f} ms per lookup "
                  f"(load average {figures['load']:.1f} on {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
