"""Merge suggestions: pairs of a challenge's ideas that probably say the same thing, scored as the similar-ideas
check scores them (bot/similarity/search.py), computed in memory over the challenge's ideas.

Every pair is scored at once with sparse matrices, a block of rows at a time: one idea at a time in Python took
7 s for 1,000 ideas and grew with the square of their number."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from bot.similarity import characters
from bot.similarity.search import MIN_SHARED, idf
from bot.similarity.terms import Vocabulary

BLOCK = 256  # rows scored together: bounds the memory of a block's pairs (rows x ideas) on a large challenge


@dataclass(frozen=True)
class DuplicatePair:
    survivor: int  # the older idea (lower number): the duplicate is merged into it
    duplicate: int
    score: float


def duplicate_pairs(ideas: Sequence[tuple[int, str]], vocabulary: Vocabulary, *, threshold: float, limit: int = 10
                    ) -> list[DuplicatePair]:
    ordered = sorted(ideas)  # row order is number order: "a later row" is "a newer idea"
    numbers = [number for number, _ in ordered]
    texts = [text for _, text in ordered]
    try:  # ideas x terms (stemmed, synonyms folded), 1 where the idea has the term
        presence = CountVectorizer(analyzer=vocabulary.term_set, binary=True, dtype=numpy.float64).fit_transform(texts)
    except ValueError:  # no ideas, or not one term among them
        return []
    # Each term weighted by its rarity among these ideas, as the lookup weighs the terms it compares.
    frequency = numpy.asarray(presence.sum(axis=0)).ravel()
    weights = presence @ sparse.diags([idf(len(texts), int(count)) for count in frequency])
    norms = numpy.sqrt(numpy.asarray(weights.multiply(weights).sum(axis=1)).ravel())
    # The n-gram weights come from the most recent ideas, as the lookup's do (bot/similarity/models.py).
    letters = characters.vectors_of(characters.fit(texts[-characters.SAMPLE:]), texts)
    found: list[tuple[float, int, int]] = []
    for start in range(0, len(texts), BLOCK):
        rows = slice(start, start + BLOCK)
        # Candidates: a newer idea sharing at least two terms (one in common is a topic), each pair once.
        shared = sparse.triu(presence[rows] @ presence.T, k=start + 1, format="csr")
        shared.data = (shared.data >= MIN_SHARED).astype(numpy.float64)
        shared.eliminate_zeros()
        if not shared.nnz:
            continue
        # Rare terms carry weight >= 1, so every candidate has a word overlap: this matrix has exactly the
        # candidates' pattern, and adding the letters' (zero or more) keeps it.
        word = (weights[rows] @ weights.T).multiply(shared).tocoo()
        word.data = word.data / (norms[start + word.row] * norms[word.col])
        score = characters.WORD_SHARE * word.tocsr()  # + the letters' share, as characters.combined
        if letters is not None:
            score = score + (1 - characters.WORD_SHARE) * (letters[rows] @ letters.T).multiply(shared)
        score = sparse.coo_matrix(score)
        for index in numpy.flatnonzero(score.data >= threshold):
            found.append((float(score.data[index]), start + int(score.row[index]), int(score.col[index])))
    found.sort(key=lambda item: (-item[0], numbers[item[1]], numbers[item[2]]))
    return [DuplicatePair(numbers[a], numbers[b], round(value, 3)) for value, a, b in found[:limit]]
