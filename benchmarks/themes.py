"""Theme suggestions: time to group 10,000 ideas, and cluster purity on the labelled set; merge suggestions' time.

Usage: python benchmarks/themes.py [--ideas 10000]
Purity: every labelled idea (all six challenges together) is clustered into six groups; a cluster's purity is the
share of its ideas from its most common challenge, weighted by size. It shows whether the groups follow topics.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.similar_data import SYNONYMS, load  # noqa: E402
from benchmarks.similarity import synthetic_texts  # noqa: E402
from bot.similarity.search import vocabulary_for  # noqa: E402
from bot.themes.duplicates import duplicate_pairs  # noqa: E402
from bot.themes.suggest import suggest_themes  # noqa: E402


def purity(clusters: int | None) -> tuple[float, int]:
    items = load()
    challenge_of = {index + 1: item.challenge for index, item in enumerate(items)}
    found = suggest_themes([(index + 1, item.text) for index, item in enumerate(items)], vocabulary_for(SYNONYMS),
                           clusters=clusters)
    grouped = sum(len(s.ideas) for s in found)
    majority = sum(Counter(challenge_of[n] for n in s.ideas).most_common(1)[0][1] for s in found)
    return majority / grouped, len(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=10_000)
    options = parser.parse_args()
    for clusters in (6, None):
        value, count = purity(clusters)
        print(f"purity on the labelled set ({len(load())} ideas, {count} clusters"
              f"{'' if clusters else ', the default count'}): {value:.3f}")
    texts = [(index + 1, text) for index, (_, text) in enumerate(synthetic_texts(options.ideas))]
    started = time.perf_counter()
    found = suggest_themes(texts, vocabulary_for(SYNONYMS))
    print(f"{options.ideas:,} ideas grouped into {len(found)} suggestions in {time.perf_counter() - started:.2f} s")
    # Merge suggestions score every pair of a challenge's ideas that share two terms: with these texts' common
    # words that is most pairs, so the figure is pessimistic.
    for size in sorted({1_000, 3_000, options.ideas}):
        started, cpu = time.perf_counter(), time.process_time()
        pairs = duplicate_pairs(texts[:size], vocabulary_for(SYNONYMS), threshold=0.28)
        print(f"merge suggestions over {size:,} ideas: {len(pairs)} pairs in {time.perf_counter() - started:.2f} s "
              f"({time.process_time() - cpu:.2f} s CPU)")


if __name__ == "__main__":
    main()
