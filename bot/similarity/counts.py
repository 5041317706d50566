"""How many ideas hold each term, remembered per database while the campaign grows by under one per cent: a
lookup weighs every word of its 25 candidates, and those counts barely move between one idea and the next."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from weakref import WeakKeyDictionary

from sqlalchemy.ext.asyncio import AsyncSession

from storage import term_stats

CACHE_SIZE = 50_000  # terms per database: a national campaign's vocabulary
DRIFT = 0.01  # counts are reused while the number of ideas stays within this share of when they were read


class TermCounts:
    def __init__(self) -> None:
        # Per engine (gone with it), term -> (ideas when read, ideas holding it).
        self._engines: WeakKeyDictionary[object, OrderedDict[str, tuple[int, int]]] = WeakKeyDictionary()

    async def read(self, session: AsyncSession, groups: Mapping[str, Sequence[str]], total: int | None = None
                   ) -> tuple[int, dict[str, int]]:
        """(about how many ideas, {term: ideas holding it}); `total` when the caller has just read it."""
        cache = self._engines.setdefault(session.get_bind(), OrderedDict())
        known: dict[str, int] = {}
        if total is not None:
            for term in groups:
                cached = cache.get(term)
                if cached is not None and abs(cached[0] - total) <= cached[0] * DRIFT:
                    known[term] = cached[1]
        missing = {term: words for term, words in groups.items() if term not in known}
        if missing or total is None:
            total, counts = await term_stats.term_statistics(session, groups=missing)
            for term, count in counts.items():
                cache[term] = (total, count)
                cache.move_to_end(term)
            while len(cache) > CACHE_SIZE:
                cache.popitem(last=False)
            known.update(counts)
        return total, known


COUNTS = TermCounts()
