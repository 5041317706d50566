"""Finds the existing ideas that say the same thing as a text, each with a score from 0 to 1.

The database's full-text index (FTS5/BM25 or tsvector) picks candidates; the score is then computed here the
same way on both databases, so one threshold fits both: a cosine of the two ideas' terms, each term weighted by
its rarity (IDF, from the index's own document counts). Words only the other idea has count at a fixed, fairly
high weight, so a long idea that mentions everything does not match every query; counting them exactly would
cost one count per word of every candidate. Measured on a labelled set by benchmarks/similarity.py.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy.ext.asyncio import AsyncSession

from bot.similarity.terms import Vocabulary
from storage import similarity
from storage.models import Idea

CANDIDATES = 25  # ranked by the database; the real scores are computed for these only
SEARCH_TERMS = 6  # the rarest terms of a text find its candidates (as pairs: at most 15 of them)
MIN_SHARED = 2
OTHER_WEIGHT = 0.7  # words only the other idea has: this share of a word seen once


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


def score(mine: dict[str, float], theirs: frozenset[str], total: int) -> float:
    shared = mine.keys() & theirs
    if len(shared) < min(MIN_SHARED, len(mine)):  # one word in common is a topic, not the same idea
        return 0.0
    only_theirs = OTHER_WEIGHT * idf(total, 1)
    overlap = sum(mine[term] ** 2 for term in shared)
    norm_mine = sum(weight ** 2 for weight in mine.values())
    norm_theirs = overlap + only_theirs ** 2 * len(theirs - mine.keys())
    return overlap / math.sqrt(norm_mine * norm_theirs)


async def term_weights(session: AsyncSession, terms: dict[str, tuple[str, ...]]) -> tuple[dict[str, float], int]:
    total = await similarity.count_ideas(session)
    frequencies = await similarity.document_frequencies(session, groups=terms)
    return {term: idf(total, min(total, frequencies[term])) for term in terms}, total


async def find_similar(
    session: AsyncSession, vocabulary: Vocabulary, text: str, *, challenge_key: str | None, limit: int,
    min_score: float = 0.0,
) -> list[SimilarIdea]:
    """Surviving ideas (a merged duplicate counts for the idea it was merged into), best first."""
    terms = vocabulary.terms(text)
    if not terms:
        return []
    await similarity.ensure_index(session)
    weights, total = await term_weights(session, terms)
    rarest = sorted(terms, key=lambda term: -weights[term])[:SEARCH_TERMS]
    found = await similarity.candidates(session, groups=[terms[term] for term in rarest],
                                        challenge_key=challenge_key, limit=CANDIDATES)
    best: dict[int, float] = {}
    for candidate in found:
        value = score(weights, vocabulary.term_set(candidate.text), total)
        if value >= min_score and value > best.get(candidate.survivor_id, 0.0):
            best[candidate.survivor_id] = value
    ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))[:limit]
    ideas = await similarity.ideas_by_ids(session, idea_ids=[idea_id for idea_id, _ in ranked])
    return [_similar(ideas[idea_id], value) for idea_id, value in ranked if idea_id in ideas]


def _similar(idea: Idea, value: float) -> SimilarIdea:
    return SimilarIdea(idea.id or 0, idea.number, round(value, 3), idea.text, idea.vote_count, idea.status,
                       idea.author_ref)


def vocabulary_for(synonyms: Sequence[Sequence[str]]) -> Vocabulary:
    return _vocabulary(tuple(tuple(group) for group in synonyms))


@lru_cache(maxsize=8)
def _vocabulary(synonyms: tuple[tuple[str, ...], ...]) -> Vocabulary:
    return Vocabulary(synonyms)
