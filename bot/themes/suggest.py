"""Groups a challenge's ideas into clusters (scikit-learn: TF-IDF over stemmed terms, LSA, then k-means on the
normalised vectors) and names each from its key terms. Pure computation on texts: no I/O, no randomness
beyond a fixed seed, so the same ideas give the same suggestions."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import Normalizer
from threadpoolctl import threadpool_limits

from bot.similarity.terms import Vocabulary

MAX_CLUSTERS = 12
MINI_BATCH_FROM = 2000  # ideas; above this MiniBatchKMeans keeps 10,000 ideas well under a few seconds
THEME_MAX_LENGTH = 60
LSA_COMPONENTS = 100


@dataclass(frozen=True)
class ThemeSuggestion:
    theme: str
    terms: tuple[str, ...]
    ideas: tuple[int, ...]  # idea numbers, most representative first
    representative: tuple[int, ...]  # the three closest to the cluster's centre


def cluster_count(size: int) -> int:
    return max(2, min(MAX_CLUSTERS, round(math.sqrt(size / 2))))


def suggest_themes(ideas: Sequence[tuple[int, str]], vocabulary: Vocabulary, *, clusters: int | None = None
                   ) -> list[ThemeSuggestion]:
    """`ideas`: (number, text). Clusters of one idea are not suggestions; the largest clusters come first."""
    analysed = [vocabulary.terms(text) for _, text in ideas]
    usable = [index for index, terms in enumerate(analysed) if terms]
    if len(usable) < 4:
        return []
    surface: dict[str, Counter[str]] = {}
    for terms in analysed:
        for term, words in terms.items():
            surface.setdefault(term, Counter())[words[0]] += 1
    vectorizer = TfidfVectorizer(analyzer=lambda terms: list(terms), sublinear_tf=True,
                                 min_df=2 if len(usable) >= 50 else 1)
    matrix = vectorizer.fit_transform([list(analysed[i]) for i in usable])
    k = min(clusters or cluster_count(len(usable)), len(usable) - 1)
    points = matrix
    if matrix.shape[1] > LSA_COMPONENTS * 2:
        # Latent semantic analysis first: short texts share few exact terms, and k-means on a dense
        # 100-dimensional projection is both steadier and much faster than on the sparse matrix.
        svd = TruncatedSVD(n_components=LSA_COMPONENTS, random_state=0)
        with threadpool_limits(1):
            points = Normalizer(copy=False).fit_transform(svd.fit_transform(matrix))
    model = (MiniBatchKMeans(n_clusters=k, random_state=0, n_init=3, batch_size=2048)
             if len(usable) >= MINI_BATCH_FROM else KMeans(n_clusters=k, random_state=0, n_init=4))
    with threadpool_limits(1):  # one BLAS thread: on a busy server, more threads only queue behind each other
        labels = model.fit_predict(points)
    names = vectorizer.get_feature_names_out()
    suggestions = []
    for label in range(k):
        members = np.flatnonzero(labels == label)
        if len(members) < 2:
            continue
        centre = np.asarray(matrix[members].mean(axis=0)).ravel()
        top = [names[i] for i in np.argsort(-centre)[:5] if centre[i] > 0]
        closeness = np.asarray(matrix[members] @ centre).ravel()
        ordered = [ideas[usable[members[i]]][0] for i in np.argsort(-closeness, kind="stable")]
        words = tuple(surface[term].most_common(1)[0][0] for term in top)
        suggestions.append(ThemeSuggestion(_name(words), words, tuple(ordered), tuple(ordered[:3])))
    return sorted(suggestions, key=lambda s: (-len(s.ideas), s.theme))


def _name(words: Sequence[str]) -> str:
    name = " and ".join(words[:2]) if len(words) > 1 else (words[0] if words else "other")
    return name[:THEME_MAX_LENGTH]
