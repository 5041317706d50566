""""A or B?" at scale: the Bradley-Terry fit at 1,000 ideas and 50,000 answers, and what a round costs.

Usage: python benchmarks/compare.py [--ideas 1000] [--answers 50000] [--database-url URL]

Answers are drawn from known strengths (a Bradley-Terry world, 10% "can't decide"). Prints the fit alone
(median of three, wall and CPU time), the whole `top --by preference` read (answers read from the database,
merged ideas mapped, fit) on SQLite or the given PostgreSQL URL, the time to choose one person's next pair, and
how well the fit recovers the true order (Spearman rank correlation).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.similarity import insert_ideas, reset  # noqa: E402
from bot.compare.pairs import choose_pair  # noqa: E402
from bot.compare.ranking import preference_scores  # noqa: E402
from bot.compare.score import fit_preferences  # noqa: E402
from storage import comparisons  # noqa: E402
from storage.database import Database  # noqa: E402

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def simulated_answers(ideas: int, answers: int, seed: int = 11) -> tuple[list[float], list[tuple[int, int, str]]]:
    rng = random.Random(seed)
    strength = [rng.gauss(0, 1.2) for _ in range(ideas)]
    drawn = []
    for _ in range(answers):
        a, b = sorted(rng.sample(range(ideas), 2))
        if rng.random() < 0.1:
            drawn.append((a, b, "tie"))
            continue
        a_wins = rng.random() < 1 / (1 + math.exp(strength[b] - strength[a]))
        drawn.append((a, b, "a" if a_wins else "b"))
    return strength, drawn


def spearman(truth: list[float], fitted: dict[int, float]) -> float:
    def ranks(values: list[float]) -> list[int]:
        order = sorted(range(len(values)), key=values.__getitem__)
        out = [0] * len(values)
        for rank, index in enumerate(order):
            out[index] = rank
        return out

    n = len(truth)
    true_ranks, fit_ranks = ranks(truth), ranks([fitted[i] for i in range(n)])
    return 1 - 6 * sum((x - y) ** 2 for x, y in zip(true_ranks, fit_ranks, strict=True)) / (n * (n * n - 1))


def timed_fit(answers: list[tuple[int, int, str]]) -> tuple[float, float, dict]:
    walls, cpus, scores = [], [], {}
    for _ in range(3):
        started, started_cpu = time.perf_counter(), time.process_time()
        scores = fit_preferences(answers)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - started_cpu)
    return sorted(walls)[1], sorted(cpus)[1], scores


async def through_the_database(url: str, ideas: int, answers: list[tuple[int, int, str]]
                               ) -> tuple[float, float, float, float]:
    """(top wall, top CPU, next pair wall, next pair CPU) in seconds."""
    from sqlalchemy import insert

    from storage.models import Comparison

    await reset(url)
    db = Database(url)
    try:
        ids = await insert_ideas(db, [("rotas", f"Idea {n}") for n in range(ideas)])
        rows = [{"person_ref": f"slack:P{index}", "challenge_key": "rotas", "idea_a_id": ids[a + 1],
                 "idea_b_id": ids[b + 1], "outcome": outcome, "at": NOW}
                for index, (a, b, outcome) in enumerate(answers)]
        for offset in range(0, len(rows), 5000):
            async with db.transaction() as session:
                await session.execute(insert(Comparison), rows[offset:offset + 5000])
        started, started_cpu = time.perf_counter(), time.process_time()
        async with db.transaction() as session:
            scores = await preference_scores(session, challenge_key="rotas")
        whole, whole_cpu = time.perf_counter() - started, time.process_time() - started_cpu
        assert len(scores) == ideas
        started, started_cpu = time.perf_counter(), time.process_time()
        async with db.transaction() as session:  # what one press costs beyond storing it: the next pair
            counts = await comparisons.comparison_counts(session, idea_ids=ids.values())
            seen = await comparisons.seen_pairs(session, person_ref="slack:P1", challenge_key="rotas")
            choose_pair(counts, seen, random.Random(1))
        return whole, whole_cpu, time.perf_counter() - started, time.process_time() - started_cpu
    finally:
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=1000)
    parser.add_argument("--answers", type=int, default=50_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    truth, answers = simulated_answers(args.ideas, args.answers)
    wall, cpu, scores = timed_fit(answers)
    print(f"fit: {args.ideas} ideas, {args.answers} answers: {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU "
          "(median of 3)")
    recovered = spearman(truth, {i: p.score for i, p in scores.items()})
    print(f"recovery: Spearman rank correlation with the true strengths {recovered:.3f}")
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite+aiosqlite:///{folder}/compare.db"
        whole, whole_cpu, pair, pair_cpu = asyncio.run(through_the_database(url, args.ideas, answers))
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"top --by preference on {backend} (read, map merges, fit): {whole * 1000:.0f} ms wall, "
          f"{whole_cpu * 1000:.0f} ms CPU")
    print(f"next pair on {backend} (counts, the person's seen pairs, choice): {pair * 1000:.0f} ms wall, "
          f"{pair_cpu * 1000:.0f} ms CPU")


if __name__ == "__main__":
    main()
