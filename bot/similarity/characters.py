"""How alike two ideas are in their letters: a cosine of character 3-5-grams weighted by their rarity among the
challenge's ideas, which credits reworded ideas for word forms the stemmer keeps apart ("rostering", "rota")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy
from sklearn.feature_extraction.text import TfidfVectorizer

SAMPLE = 500  # ideas a challenge's n-gram rarity is learnt from (the most recent): stable weights, a fit of ~0.1 s
# The share of the word score in the combined score; the rest is the character score. Chosen on the dev set of
# benchmarks/data only (`benchmarks/similarity.py --word-share`; 0.3-0.7 do about as well there).
WORD_SHARE = 0.4


def fit(texts: Sequence[str]) -> TfidfVectorizer | None:
    """The n-gram weights of a challenge's ideas (None when there are none to learn from)."""
    if not any(text.strip() for text in texts):
        return None
    model = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=numpy.float64)
    try:
        model.fit(texts)
    except ValueError:  # nothing but spaces and punctuation
        return None
    return model


def similarities(model: TfidfVectorizer | None, text: str, others: Sequence[str]) -> list[float]:
    """The character cosine of `text` with each of `others` (0 for all without a model)."""
    if model is None or not others:
        return [0.0] * len(others)
    vectors = model.transform([text, *others])
    return [float(value) for value in (vectors[1:] @ vectors[0].T).toarray().ravel()]


def vectors_of(model: TfidfVectorizer | None, texts: Sequence[str]) -> Any:
    """Every text's n-gram vector at once (L2-normalised rows, so a product of two rows is their cosine), for
    scoring many pairs among the same texts. None without a model."""
    return None if model is None or not texts else model.transform(texts)


def combined(word_score: float, character_score: float) -> float:
    """The score shown and compared with similarity.threshold. Only ideas that share a pair of rare terms are
    scored at all (the candidates), so letters alone never match an idea about something else."""
    return WORD_SHARE * word_score + (1 - WORD_SHARE) * character_score
