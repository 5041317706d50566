"""Drawing a fika round's groups: random from a seed, no pair twice while unused pairings remain, mixed
across an attribute where that costs no repeat. Pure functions over people ids; no I/O.

Every grouping is scored with one cost, compared as a tuple: (repeated pairs, groups not mixed, how recent
the repeats are). Repeats therefore come first (fewest, then the least recent), mixing second. Small rounds
(up to EXACT_LIMIT people) are solved exactly; larger ones by a randomised greedy draw repaired by swaps,
which at realistic sizes (history sparse against the number of people) finds a repeat-free round at once.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter

from bot.fika.exact import best_grouping
from bot.fika.score import Cost, PairBook, group_cost

EXACT_LIMIT = 12  # up to this many people, every grouping is considered
SCAN_WINDOW = 48  # candidates the greedy draw looks at before settling for the cheapest one
REPAIR_PASSES = 4


@dataclass(frozen=True)
class Round:
    """A drawn round: its groups (each a tuple of people ids) and how many pairs in them had met before."""

    groups: tuple[tuple[str, ...], ...]
    repeats: int


def group_sizes(count: int, group_size: int) -> list[int]:
    """Sizes of the groups for `count` people: as close to `group_size` as the count allows, never a group of
    one (with size 2 an odd person makes one group of three). Ties go to fewer, larger groups."""
    if count < 2:
        return []

    def spread(groups: int) -> list[int]:
        base, extra = divmod(count, groups)
        return [base + 1] * extra + [base] * (groups - extra)

    options = [spread(groups) for groups in {max(1, count // group_size), max(1, -(-count // group_size))}]
    options = [sizes for sizes in options if min(sizes) >= 2]
    return min(options, key=lambda sizes: (max(abs(size - group_size) for size in sizes), len(sizes)))


def draw_round(people: Iterable[str], *, seed: int, group_size: int = 2,
               history: Iterable[tuple[str, str, int]] = (), attributes: Mapping[str, str | None] | None = None
               ) -> Round:
    """Draws one round.

    Args:
        people: who is opted in this round (duplicates ignored).
        seed: the round's recorded seed; the same inputs and seed always give the same groups.
        group_size: 2 or more.
        history: (person, person, round number) for every pair that was grouped before; a higher number is
            more recent. Pairs with people not in this round are ignored.
        attributes: person -> attribute value (team, site or profession) to mix across; None to not mix.
    """
    ordered = sorted(set(people))
    if group_size < 2:
        raise ValueError("group_size must be at least 2")
    rng = random.Random(seed)
    rng.shuffle(ordered)  # index order is the random order: every tie below breaks by it
    book = PairBook.build(ordered, history, attributes)
    sizes = group_sizes(len(ordered), group_size)
    if not sizes:
        return Round((), 0)
    if len(ordered) <= EXACT_LIMIT:
        grouping = best_grouping(book, sizes)
        repeats = sum(book.repeats_in(group) for group in grouping)
    else:
        grouping, costs = _greedy(book, sizes)
        _repair(book, grouping, costs, rng)
        repeats = sum(cost[0] for cost in costs)
    return Round(tuple(tuple(ordered[i] for i in group) for group in grouping), repeats)


def _greedy(book: PairBook, sizes: Sequence[int]) -> tuple[list[list[int]], list[Cost]]:
    """Fills groups one by one: the first member from the largest remaining attribute bucket, each next one
    from another bucket if any, the first candidate in random order who has met nobody in the group.
    Returns the groups and the cost of each."""
    buckets: dict[int, list[int]] = {}
    for person in range(book.count):
        buckets.setdefault(book.bucket[person], []).append(person)
    cursors = {key: 0 for key in buckets}
    left = {key: len(members) for key, members in buckets.items()}
    taken = bytearray(book.count)

    def candidates(key: int) -> Iterable[int]:
        members, index, seen = buckets[key], cursors[key], 0
        while index < len(members) and seen < SCAN_WINDOW:
            if not taken[members[index]]:
                seen += 1
                yield members[index]
            elif index == cursors[key]:
                cursors[key] = index + 1  # skip the taken prefix for good
            index += 1

    def take(person: int) -> None:
        taken[person] = 1
        key = book.bucket[person]
        left[key] -= 1
        if not left[key]:
            del left[key]

    groups, costs = [], []
    for size in sizes:
        first_key = max(left.items(), key=itemgetter(1))[0]  # ties: the first bucket in random order
        first = next(iter(candidates(first_key)))
        take(first)
        group = [first]
        while len(group) < size:
            used = {book.bucket[member] for member in group}
            by_size = [key for key, _ in sorted(left.items(), key=itemgetter(1), reverse=True)]
            order = [key for key in by_size if key not in used] + [key for key in by_size if key in used]
            best, best_cost = -1, None
            for key in order:
                for person in candidates(key):
                    cost = group_cost(book, [*group, person])
                    if best_cost is None or cost < best_cost:
                        best, best_cost = person, cost
                    if cost[0] == 0:
                        break
                if best_cost is not None and best_cost[0] == 0:
                    break
            take(best)
            group.append(best)
        groups.append(group)
        costs.append(best_cost)
    return groups, costs  # type: ignore[return-value]


def _repair(book: PairBook, groups: list[list[int]], costs: list[Cost], rng: random.Random) -> None:
    """Swaps members between groups while a swap lowers the total cost and a group still repeats a pair."""
    for _ in range(REPAIR_PASSES):
        bad = [index for index, cost in enumerate(costs) if cost[0]]
        if not bad:
            return
        for index in bad:
            others = [other for other in range(len(groups)) if other != index]
            rng.shuffle(others)
            while costs[index][0] and (swap := _improving_swap(book, groups, costs, index, others)) is not None:
                other, new_group, new_other = swap
                groups[index], groups[other] = new_group, new_other
                costs[index], costs[other] = group_cost(book, new_group), group_cost(book, new_other)


def _improving_swap(book: PairBook, groups: list[list[int]], costs: list[Cost], index: int, others: list[int]
                    ) -> tuple[int, list[int], list[int]] | None:
    group = groups[index]
    for other_index in others:
        other = groups[other_index]
        before = _add(costs[index], costs[other_index])
        for i, mine in enumerate(group):
            for j, theirs in enumerate(other):
                new_group = group[:i] + [theirs] + group[i + 1:]
                new_other = other[:j] + [mine] + other[j + 1:]
                if _add(group_cost(book, new_group), group_cost(book, new_other)) < before:
                    return other_index, new_group, new_other
    return None


def _add(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(x + y for x, y in zip(a, b, strict=True))
