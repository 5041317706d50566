"""Bradley-Terry scores from "A or B?" answers, fitted as an L2-regularised logistic regression (scikit-learn).

Each answer about ideas i and j says how likely i is preferred: P(i over j) = 1 / (1 + exp(-(s_i - s_j))). That is
a logistic regression without intercept on a row with +1 in i's column and -1 in j's. "Can't decide" counts as
half a win each way. The light L2 penalty is a prior that every idea is average until answers say otherwise, so
an idea with one lucky answer is not put above one that won forty of fifty, and ideas never compared against
each other still get finite, comparable strengths.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

REGULARISATION_C = 1.0  # sklearn's inverse penalty strength: small enough to tame sparse data, light at scale
CHUNK = 512  # rows of the pairwise win-chance matrix computed at a time (memory stays flat at 100,000 ideas)
WIN_WEIGHT = {"a": 1.0, "b": 0.0, "tie": 0.5}


@dataclass(frozen=True)
class Preference:
    """`score`: the estimated chance (0-100) that the idea is preferred over another of its challenge chosen at
    random, as All Our Ideas reports it; `comparisons`: how many answers it rests on."""

    score: float
    comparisons: int


def fit_preferences(answers: Sequence[tuple[int, int, str]]) -> dict[int, Preference]:
    """Scores for every idea named in `answers` ((idea a, idea b, "a" | "b" | "tie")); the same answers always
    give the same scores (lbfgs is deterministic)."""
    counts: Counter[int] = Counter()
    for a, b, _ in answers:
        counts[a] += 1
        counts[b] += 1
    ids = sorted(counts)
    if len(ids) < 2:
        return {idea: Preference(50.0, counts[idea]) for idea in ids}
    # Imported here: scikit-learn takes a second to load, and only a fit needs it.
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    column = {idea: index for index, idea in enumerate(ids)}
    rows, cols, values, labels, weights = [], [], [], [], []
    row = 0
    for a, b, outcome in answers:
        won = WIN_WEIGHT[outcome]
        # The answer from both sides (i over j, and j over i) so both classes are always present.
        for sign, chance in ((1.0, won), (-1.0, 1.0 - won)):
            for label, weight in ((1, chance), (0, 1.0 - chance)):
                if weight == 0.0:
                    continue
                rows += [row, row]
                cols += [column[a], column[b]]
                values += [sign, -sign]
                labels.append(label)
                weights.append(weight)
                row += 1
    design = csr_matrix((values, (rows, cols)), shape=(row, len(ids)))
    model = LogisticRegression(C=REGULARISATION_C, fit_intercept=False, solver="lbfgs", max_iter=1000)
    model.fit(design, np.array(labels), sample_weight=np.array(weights))
    strengths = model.coef_[0]
    chances = _chance_against_random_other(strengths)
    return {idea: Preference(float(chances[index]) * 100.0, counts[idea]) for idea, index in column.items()}


def _chance_against_random_other(strengths: np.ndarray) -> np.ndarray:
    import numpy as np

    n = len(strengths)
    totals = np.empty(n)
    for start in range(0, n, CHUNK):
        block = strengths[start:start + CHUNK, None] - strengths[None, :]
        wins = 1.0 / (1.0 + np.exp(-block))
        totals[start:start + CHUNK] = wins.sum(axis=1) - 0.5  # minus the idea against itself (0.5)
    return totals / (n - 1)
