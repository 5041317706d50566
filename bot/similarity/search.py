"""Finds the existing ideas that say the same thing as a text, each with a score from 0 to 1.

The database's full-text index (FTS5/BM25 or tsvector) picks candidates; the score is then computed here the
same way on both databases, so one threshold fits both: a cosine of the two ideas' terms, each term weighted by
its rarity (IDF, from the index's own document counts, the candidates' words too, in one more round trip), so a
long idea that mentions everything does not match every query, blended with a cosine of their character
n-grams (bot/similarity/characters.py). Measured on labelled sets by benchmarks/similarity.py.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.similarity import characters
from bot.similarity.counts import COUNTS
from bot.similarity.models import MODELS
from bot.similarity.terms import Vocabulary
from storage import similarity
from storage.similarity import Survivor

CANDIDATES = 25  # ranked by the database; the real scores are computed for these only
SEARCH_TERMS = 6  # the rarest terms of a text find its candidates (as pairs: at most 15 of them)
# Pairs are searched rarest first until they would match about this many ideas (counting each pair as if its
# words were independent): ranking is what costs, and pairs of common words only add ideas that share
# nothing rarer, which score too low to be shown anyway.
MATCH_BUDGET = 400
MIN_SHARED = 2


@dataclass(frozen=True)
class SimilarIdea:
    idea_id: int
    number: int
    score: float
    text: str
    votes: int
    status: str
    author_ref: str


def idf(total: int, frequency: int) -> float:
    return math.log((total + 1) / (frequency + 1)) + 1.0


def cosine(mine: dict[str, float], theirs: dict[str, float]) -> float:
    """Both ideas' terms weighted by rarity; 0 unless they share two terms (one in common is a topic)."""
    shared = mine.keys() & theirs.keys()
    if len(shared) < min(MIN_SHARED, len(mine)):
        return 0.0
    overlap = sum(mine[term] * theirs[term] for term in shared)
    return overlap / math.sqrt(sum(w * w for w in mine.values()) * sum(w * w for w in theirs.values()))


async def term_weights(
    session: AsyncSession, terms: dict[str, tuple[str, ...]], total: int | None = None
) -> tuple[dict[str, float], dict[str, int], int]:
    """Each term's rarity weight and document count, and about how many ideas there are."""
    total, counts = await COUNTS.read(session, terms, total)
    frequencies = {term: min(total, count) for term, count in counts.items()}
    return {term: idf(total, frequencies[term]) for term in terms}, frequencies, total


def search_pairs(rarest: Sequence[str], frequencies: dict[str, int], total: int) -> list[tuple[str, ...]]:
    """The pairs of terms to search, fewest expected matches first, within MATCH_BUDGET (at least one)."""
    if len(rarest) < 2:
        return [tuple(rarest)] if rarest else []
    pairs = sorted(combinations(rarest, 2), key=lambda pair: frequencies[pair[0]] * frequencies[pair[1]])
    chosen: list[tuple[str, ...]] = []
    expected = 0.0
    for first, second in pairs:
        cost = frequencies[first] * frequencies[second] / max(total, 1)
        if chosen and expected + cost > MATCH_BUDGET:
            break
        chosen.append((first, second))
        expected += cost
    return chosen


async def find_similar(
    session: AsyncSession, vocabulary: Vocabulary, text: str, *, challenge_key: str | None, limit: int,
    min_score: float = 0.0,
) -> list[SimilarIdea]:
    """Surviving ideas (a merged duplicate counts for the idea it was merged into), best first."""
    terms = vocabulary.terms(text)
    if not terms:
        return []
    weights, frequencies, total = await term_weights(session, terms)
    rarest = sorted(terms, key=lambda term: -weights[term])[:SEARCH_TERMS]
    clauses = [[terms[term] for term in pair] for pair in search_pairs(rarest, frequencies, total)]
    found = await similarity.candidates(session, clauses=clauses, challenge_key=challenge_key, limit=CANDIDATES)
    their_terms = [vocabulary.terms(candidate.text) for candidate in found]
    unweighed = {term: words for found_terms in their_terms for term, words in found_terms.items()
                 if term not in weights}
    if unweighed:
        weights.update((await term_weights(session, unweighed, total))[0])
    model = await MODELS.model(session, challenge_key, total) if found else None
    letters = characters.similarities(model, text, [candidate.text for candidate in found])
    best: dict[int, tuple[float, Survivor]] = {}
    for candidate, theirs, alike in zip(found, their_terms, letters, strict=True):
        words = cosine({term: weights[term] for term in terms}, {term: weights[term] for term in theirs})
        value = characters.combined(words, alike)
        kept = best.get(candidate.survivor.idea_id)
        if value >= min_score and (kept is None or value > kept[0]):
            best[candidate.survivor.idea_id] = (value, candidate.survivor)
    ranked = sorted(best.values(), key=lambda item: (-item[0], item[1].idea_id))[:limit]
    return [_similar(survivor, value) for value, survivor in ranked]


def _similar(idea: Survivor, value: float) -> SimilarIdea:
    return SimilarIdea(idea.idea_id, idea.number, round(value, 3), idea.text, idea.votes, idea.status,
                       idea.author_ref)


def vocabulary_for(synonyms: Sequence[Sequence[str]]) -> Vocabulary:
    return _vocabulary(tuple(tuple(group) for group in synonyms))


@lru_cache(maxsize=8)
def _vocabulary(synonyms: tuple[tuple[str, ...], ...]) -> Vocabulary:
    return Vocabulary(synonyms)
