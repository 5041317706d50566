"""Fika pairing at scale: 20,000 opted-in people with 52 earlier rounds in their history.

Usage: python benchmarks/fika_pairing.py [--people 20000] [--rounds 52] [--group-size 2] [--mix]

Prints the time to draw one round (building the pair history included), the peak memory the draw
allocated (tracemalloc, a second identical run) and the process's peak RSS, and checks that every person
is in exactly one group and that no pair repeats.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
import tracemalloc
from collections import Counter
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.fika.pairing import draw_round  # noqa: E402


def earlier_rounds(people: list[str], rounds: int, seed: int) -> list[tuple[str, str, int]]:
    """Random earlier rounds (each a random pairing of everyone), as the database returns them."""
    rng = random.Random(seed)
    history = []
    for number in range(1, rounds + 1):
        order = people[:]
        rng.shuffle(order)
        history += [(order[i], order[i + 1], number) for i in range(0, len(order) - 1, 2)]
    return history


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=52)
    parser.add_argument("--group-size", type=int, default=2)
    parser.add_argument("--mix", action="store_true", help="mix across 40 teams of uneven size")
    args = parser.parse_args()
    people = [f"slack:U{i:07d}" for i in range(args.people)]
    history = earlier_rounds(people, args.rounds, seed=1)
    teams = {p: f"team{min(int(random.Random(i).paretovariate(1.2)), 40)}" for i, p in enumerate(people)} \
        if args.mix else None
    timings, cpu = [], []
    for _ in range(3):  # the median of three, and CPU time beside wall time: the machine is shared
        started, started_cpu = time.perf_counter(), time.process_time()
        drawn = draw_round(people, seed=2026, group_size=args.group_size, history=history, attributes=teams)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    elapsed = sorted(timings)[1]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # inputs included, checks not yet
    tracemalloc.start()
    again = draw_round(people, seed=2026, group_size=args.group_size, history=history, attributes=teams)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    met = {frozenset((a, b)) for a, b, _ in history}
    repeats = sum(frozenset(pair) in met for group in drawn.groups for pair in combinations(group, 2))
    members = sorted(p for group in drawn.groups for p in group)
    print(f"people {args.people:,}, earlier rounds {args.rounds}, history pairs {len(history):,}, "
          f"group size {args.group_size}{', mixing 40 teams' if args.mix else ''}")
    print(f"round drawn in {elapsed:.3f} s, median of {', '.join(f'{t:.3f}' for t in timings)} (target < 2 s); "
          f"CPU time median {sorted(cpu)[1]:.3f} s")
    print(f"peak memory of the draw {peak / 2**20:.1f} MB (tracemalloc); process peak RSS {rss_mb:.0f} MB "
          f"(target < 200 MB)")
    print(f"groups {len(drawn.groups):,}, sizes {sorted({len(g) for g in drawn.groups})}, "
          f"everyone exactly once: {members == sorted(people)}, reproducible: {again.groups == drawn.groups}")
    if teams:
        mixed = sum(len({teams[p] for p in group}) > 1 for group in drawn.groups)
        largest = max(Counter(teams.values()).values())
        most = min(len(drawn.groups), len(people) - largest)  # each mixed group needs someone not in the largest
        print(f"groups across teams {mixed:,} of {len(drawn.groups):,} (the team sizes allow at most {most:,})")
    print(f"repeated pairs {repeats} (target 0)")
    if repeats or members != sorted(people) or again.groups != drawn.groups:
        sys.exit(1)


if __name__ == "__main__":
    main()
