"""What a fika group costs: pairs that met before (and how recently), and whether it mixes the attribute."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

UNKNOWN = -1  # the bucket of people whose attribute is not known: never counted as "not mixed"

Cost = tuple[int, int, int]  # (pairs that met before, groups not mixed, sum of those pairs' last round numbers)


@dataclass
class PairBook:
    """People as indices 0..count-1, their attribute bucket, and when each pair last met."""

    people: Sequence[str]
    bucket: list[int]
    # (a, b) with a < b -> the latest round number they were grouped in. Keyed by the ids themselves:
    # mapping half a million history rows to indices first costs more than the whole draw.
    last_met: dict[tuple[str, str], int]

    @property
    def count(self) -> int:
        return len(self.people)

    @classmethod
    def build(cls, people: Sequence[str], history: Iterable[tuple[str, str, int]],
              attributes: Mapping[str, str | None] | None) -> PairBook:
        last_met: dict[tuple[str, str], int] = {}
        get = last_met.get
        for first, second, round_number in history:
            key = (first, second) if first < second else (second, first)
            if get(key, -1) < round_number:
                last_met[key] = round_number
        buckets: dict[str, int] = {}
        bucket = [UNKNOWN] * len(people)
        if attributes is not None:
            for i, person in enumerate(people):
                value = attributes.get(person)
                if value:
                    bucket[i] = buckets.setdefault(value.strip().lower(), len(buckets))
        return cls(people, bucket, last_met)

    def met(self, a: int, b: int) -> int | None:
        first, second = self.people[a], self.people[b]
        return self.last_met.get((first, second) if first < second else (second, first))

    def repeats_in(self, group: Sequence[int]) -> int:
        return sum(1 for i, a in enumerate(group) for b in group[i + 1:] if self.met(a, b) is not None)


def group_cost(book: PairBook, group: Sequence[int]) -> Cost:
    repeats = recency = 0
    for i, a in enumerate(group):
        for b in group[i + 1:]:
            when = book.met(a, b)
            if when is not None:
                repeats += 1
                recency += when
    first = book.bucket[group[0]]
    same = first != UNKNOWN and len(group) > 1 and all(book.bucket[m] == first for m in group)
    return repeats, int(same), recency
