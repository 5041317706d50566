"""The cheapest grouping of a small round, found by trying them all (memoised over who is left)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from itertools import combinations

from bot.fika.score import Cost, PairBook, group_cost


def best_grouping(book: PairBook, sizes: Sequence[int]) -> list[list[int]]:
    """The grouping with the lowest total cost; ties go to the first found, i.e. the random index order."""
    everyone = (1 << book.count) - 1

    @cache
    def solve(left: int, sizes_left: tuple[int, ...]) -> tuple[Cost, tuple[tuple[int, ...], ...]]:
        if not left:
            return (0, 0, 0), ()
        members = [i for i in range(book.count) if left >> i & 1]
        first, rest = members[0], members[1:]
        best: tuple[Cost, tuple[tuple[int, ...], ...]] | None = None
        for size in sorted(set(sizes_left)):
            remaining_sizes = list(sizes_left)
            remaining_sizes.remove(size)
            for others in combinations(rest, size - 1):
                group = (first, *others)
                mask = left
                for member in group:
                    mask &= ~(1 << member)
                cost_rest, groups_rest = solve(mask, tuple(remaining_sizes))
                own = group_cost(book, group)
                total = (own[0] + cost_rest[0], own[1] + cost_rest[1], own[2] + cost_rest[2])
                if best is None or total < best[0]:
                    best = (total, (group, *groups_rest))
        assert best is not None
        return best

    _, groups = solve(everyone, tuple(sorted(sizes)))
    return [list(group) for group in groups]
