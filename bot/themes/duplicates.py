"""Merge suggestions: pairs of a challenge's ideas that probably say the same thing, scored as the similar-ideas
check scores them (bot/similarity/search.py), computed in memory over the challenge's ideas."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from bot.similarity.search import cosine, idf
from bot.similarity.terms import Vocabulary


@dataclass(frozen=True)
class DuplicatePair:
    survivor: int  # the older idea (lower number): the duplicate is merged into it
    duplicate: int
    score: float


def duplicate_pairs(ideas: Sequence[tuple[int, str]], vocabulary: Vocabulary, *, threshold: float, limit: int = 10
                    ) -> list[DuplicatePair]:
    terms = {number: vocabulary.term_set(text) for number, text in ideas}
    holders: dict[str, list[int]] = defaultdict(list)
    for number, found in terms.items():
        for term in found:
            holders[term].append(number)
    total = len(ideas)
    weight = {term: idf(total, len(numbers)) for term, numbers in holders.items()}
    best: dict[tuple[int, int], float] = {}
    for number, found in terms.items():
        mine = {term: weight[term] for term in found}
        shared: dict[int, int] = defaultdict(int)
        for term in found:
            for other in holders[term]:
                if other != number:
                    shared[other] += 1
        for other, count in shared.items():
            if count < 2:
                continue
            pair = (min(number, other), max(number, other))
            value = cosine(mine, {term: weight[term] for term in terms[other]})
            if value >= threshold and value > best.get(pair, 0.0):
                best[pair] = value
    ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [DuplicatePair(a, b, round(value, 3)) for (a, b), value in ranked]
