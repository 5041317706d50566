"""Which two ideas to show next: the least-compared first, never a pair the person has already answered."""

from __future__ import annotations

import random
from collections.abc import Mapping


def pair_key(first: int, second: int) -> tuple[int, int]:
    return (first, second) if first < second else (second, first)


def choose_pair(counts: Mapping[int, int], seen: set[tuple[int, int]], rng: random.Random
                ) -> tuple[int, int] | None:
    """The next pair to show, in the order to show it, or None once every pair has been answered.

    `counts`: each comparable idea's id and how many answers (everyone's) it has been part of. The idea with
    the fewest answers goes first, against the least-answered idea it has not been shown with, so a new idea
    is compared as soon as it arrives instead of waiting behind older ones. Ties break at random (`rng`, which
    tests seed), and which side each idea is shown on is random too, so position bias evens out.
    """
    ids = sorted(counts)
    tie_break = {idea: rng.random() for idea in ids}
    order = sorted(ids, key=lambda idea: (counts[idea], tie_break[idea]))
    for first in order:
        second = next((other for other in order if other != first and pair_key(first, other) not in seen), None)
        if second is not None:
            return (first, second) if rng.random() < 0.5 else (second, first)
    return None
