"""Merge suggestions: pairs of a challenge's ideas that probably say the same thing, scored as the similar-ideas
check scores them (bot/similarity/search.py), computed in memory over the challenge's ideas."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from bot.similarity import characters
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
    text_of = dict(ideas)
    # The n-gram weights come from the most recent ideas, as the lookup's do (bot/similarity/models.py).
    model = characters.fit([text for _, text in sorted(ideas)[-characters.SAMPLE:]])
    best: dict[tuple[int, int], float] = {}
    for number, found in terms.items():
        mine = {term: weight[term] for term in found}
        shared: dict[int, int] = defaultdict(int)
        for term in found:
            for other in holders[term]:
                if other > number:  # each pair once, from its older idea
                    shared[other] += 1
        others = [other for other, count in shared.items() if count >= 2]
        letters = characters.similarities(model, text_of[number], [text_of[other] for other in others])
        for other, alike in zip(others, letters, strict=True):
            value = characters.combined(cosine(mine, {term: weight[term] for term in terms[other]}), alike)
            if value >= threshold:
                best[(number, other)] = value
    ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [DuplicatePair(a, b, round(value, 3)) for (a, b), value in ranked]
