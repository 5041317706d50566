"""Group commit: items that arrive while a batch is being committed go together in the next one.

At low load a batch is one item and adds no delay; under a burst, one transaction (and one fsync)
covers hundreds of events, and each caller still hears back only after its item is committed.

With `max_in_flight` above one (PostgreSQL, whose row locks let transactions overlap), a batch starts while
another is still waiting on the database, so arrivals need not queue behind a whole round trip; items with the
same `key` (the same voter on the same message) are never in two batches at once, so they keep arrival order.
A failed batch is retried item by item, the items of one key one after another in that order.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from storage.database import DatabaseUnavailable

logger = logging.getLogger(__name__)

GATHER_PASSES = 8  # at most this many event-loop passes of waiting for more items before a batch starts
Item = TypeVar("Item")
Result = TypeVar("Result")


class GroupCommitter(Generic[Item, Result]):
    def __init__(
        self,
        process_batch: Callable[[list[Item]], Awaitable[list[Result]]],
        process_one: Callable[[Item], Awaitable[Result]],
        *,
        max_batch: int = 500,
        max_in_flight: int = 1,
        key: Callable[[Item], Hashable] | None = None,
    ) -> None:
        if max_in_flight > 1 and key is None:
            raise ValueError("batches in flight together need a key that keeps each item's order")
        self._process_batch = process_batch
        self._process_one = process_one
        self._max_batch = max_batch
        self._max_in_flight = max_in_flight
        self._key = key
        self._queue: list[tuple[Item, asyncio.Future[Result]]] = []
        self._drainers: set[asyncio.Task[None]] = set()  # holds the tasks: the event loop keeps only weak references
        # Counted apart from the set: a finished task leaves it a loop pass later, and an item arriving in that pass
        # would wait for a drainer that never comes.
        self._draining = 0
        self._keys_in_flight: set[Hashable] = set()

    async def submit(self, item: Item) -> Result:
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._queue.append((item, future))
        if self._draining < self._max_in_flight:
            self._draining += 1
            drainer = asyncio.create_task(self._drain())
            self._drainers.add(drainer)
            drainer.add_done_callback(self._drainers.discard)
        return await future

    async def _drain(self) -> None:
        try:
            await self._drain_queue()
        finally:
            self._draining -= 1

    async def _drain_queue(self) -> None:
        while self._queue:
            await self._gather()
            batch = self._take()
            if not batch:
                return  # all that waits goes after a batch in flight, whose drainer carries on with it
            keys = {self._key(item) for item, _ in batch} if self._key is not None else set()
            self._keys_in_flight |= keys
            try:
                await self._run(batch)
            finally:
                self._keys_in_flight -= keys

    def _take(self) -> list[tuple[Item, asyncio.Future[Result]]]:
        """The next batch, in arrival order, without the items whose key a batch in flight holds (so an item
        left waiting is never overtaken by a later one with its key)."""
        if self._key is None or not self._keys_in_flight:
            batch, self._queue = self._queue[: self._max_batch], self._queue[self._max_batch:]
            return batch
        batch, waiting = [], []
        for entry in self._queue:
            if len(batch) < self._max_batch and self._key(entry[0]) not in self._keys_in_flight:
                batch.append(entry)
            else:
                waiting.append(entry)
        self._queue = waiting
        return batch

    async def _gather(self) -> None:
        """Lets requests already read off their sockets join the batch: one loop pass at a time while the queue
        still grows. A lone item waits one pass; under load, batches no longer alternate one item and many
        (the first batch after a quiet moment used to go with whatever had arrived in a single pass)."""
        size = -1
        for _ in range(GATHER_PASSES):
            if len(self._queue) == size or len(self._queue) >= self._max_batch:
                return
            size = len(self._queue)
            await asyncio.sleep(0)

    async def _run(self, batch: list[tuple[Item, asyncio.Future[Result]]]) -> None:
        try:
            results = await self._process_batch([item for item, _ in batch])
        except DatabaseUnavailable as error:
            for _, future in batch:
                if not future.done():
                    future.set_exception(error)
            return
        except Exception:
            # One bad item must not fail its neighbours: retry each on its own, items of one key in their order.
            logger.exception("batch of %d failed; processing its items one by one", len(batch))
            await asyncio.gather(*(self._run_in_order(entries) for entries in self._by_key(batch)))
            return
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)

    def _by_key(
        self, batch: list[tuple[Item, asyncio.Future[Result]]],
    ) -> list[list[tuple[Item, asyncio.Future[Result]]]]:
        """The batch's items in groups of one key, each in arrival order (without a key, each item alone)."""
        if self._key is None:
            return [[entry] for entry in batch]
        groups: dict[Hashable, list[tuple[Item, asyncio.Future[Result]]]] = {}
        for entry in batch:
            groups.setdefault(self._key(entry[0]), []).append(entry)
        return list(groups.values())

    async def _run_in_order(self, entries: list[tuple[Item, asyncio.Future[Result]]]) -> None:
        for item, future in entries:
            await self._run_one(item, future)

    async def _run_one(self, item: Item, future: asyncio.Future[Result]) -> None:
        try:
            result = await self._process_one(item)
        except Exception as error:
            if not future.done():
                future.set_exception(error)
            return
        if not future.done():
            future.set_result(result)
