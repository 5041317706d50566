"""The group committer with two batches in flight: overlap where keys differ, arrival order where they match."""

from __future__ import annotations

import asyncio

import pytest

from bot.batcher import GroupCommitter


class RecordingStore:
    """Processes batches slowly enough that arrivals pile up, and records what overlapped."""

    def __init__(self) -> None:
        self.batches: list[list[tuple[str, int]]] = []
        self.in_flight: list[list[tuple[str, int]]] = []
        self.most_in_flight = 0
        self.overlapping_keys: list[str] = []
        self.applied: list[tuple[str, int]] = []

    async def process_batch(self, items: list[tuple[str, int]]) -> list[int]:
        for other in self.in_flight:
            shared = {key for key, _ in items} & {key for key, _ in other}
            self.overlapping_keys.extend(sorted(shared))
        self.in_flight.append(items)
        self.batches.append(items)
        self.most_in_flight = max(self.most_in_flight, len(self.in_flight))
        for _ in range(3):
            await asyncio.sleep(0.002)
        self.applied.extend(items)
        self.in_flight.remove(items)
        return [sequence for _, sequence in items]

    async def process_one(self, item: tuple[str, int]) -> int:
        self.applied.append(item)
        return item[1]


def by_key(item: tuple[str, int]) -> str:
    return item[0]


async def burst(committer: GroupCommitter[tuple[str, int], int], items: list[tuple[str, int]],
                submitted: list[tuple[str, int]]) -> list[int]:
    async def arrive(position: int, item: tuple[str, int]) -> int:
        await asyncio.sleep(0.0005 * (position % 40))  # arrivals spread over several batches
        submitted.append(item)  # the order the committer sees them in
        return await committer.submit(item)
    return await asyncio.gather(*(arrive(position, item) for position, item in enumerate(items)))


async def test_two_batches_overlap_but_never_share_a_key_and_each_key_keeps_its_order() -> None:
    store = RecordingStore()
    committer = GroupCommitter(store.process_batch, store.process_one, max_in_flight=2, key=by_key)
    # Five voters, each adding and removing many times: every item of a voter must apply in arrival order.
    items = [(f"voter-{sequence % 5}", sequence) for sequence in range(400)]

    submitted: list[tuple[str, int]] = []
    results = await burst(committer, items, submitted)

    assert sorted(results) == list(range(400))  # every caller answered with its own item's result
    assert store.overlapping_keys == []  # batches in flight together never share a voter
    for voter in {key for key, _ in items}:
        applied = [sequence for key, sequence in store.applied if key == voter]
        assert applied == [sequence for key, sequence in submitted if key == voter]


async def test_a_batch_starts_while_another_waits_and_leaves_its_key_behind() -> None:
    store = RecordingStore()
    first_started, release_first = asyncio.Event(), asyncio.Event()
    slow = store.process_batch

    async def first_batch_held(items: list[tuple[str, int]]) -> list[int]:
        if not store.batches:
            store.batches.append(items)
            first_started.set()
            await release_first.wait()
            store.batches.pop(0)
        return await slow(items)

    committer = GroupCommitter(first_batch_held, store.process_one, max_in_flight=2, key=by_key)
    first = asyncio.create_task(committer.submit(("voter-a", 1)))
    await asyncio.wait_for(first_started.wait(), timeout=2)
    again = asyncio.create_task(committer.submit(("voter-a", 2)))
    other = asyncio.create_task(committer.submit(("voter-b", 3)))

    assert await asyncio.wait_for(other, timeout=2) == 3  # answered while the first batch still waits
    assert store.batches[1] == [("voter-b", 3)]  # without voter-a's second item
    assert not first.done() and not again.done()

    release_first.set()
    assert await asyncio.wait_for(asyncio.gather(first, again), timeout=2) == [1, 2]
    assert [item for item in store.applied if item[0] == "voter-a"] == [("voter-a", 1), ("voter-a", 2)]


async def test_a_failed_batch_is_retried_item_by_item_keeping_each_keys_order() -> None:
    applied: list[tuple[str, int]] = []

    async def failing_batch(items: list[tuple[str, int]]) -> list[int]:
        raise RuntimeError("one bad item")

    async def slower_first(item: tuple[str, int]) -> int:
        await asyncio.sleep(0.001 * (10 - item[1]))  # run side by side, the first would finish last
        applied.append(item)
        return item[1]

    committer = GroupCommitter(failing_batch, slower_first, key=by_key)
    items = [("voter-a", 1), ("voter-b", 2), ("voter-a", 3), ("voter-b", 4), ("voter-a", 5)]

    assert await asyncio.gather(*(committer.submit(item) for item in items)) == [1, 2, 3, 4, 5]
    assert [item for item in applied if item[0] == "voter-a"] == [("voter-a", 1), ("voter-a", 3), ("voter-a", 5)]
    assert [item for item in applied if item[0] == "voter-b"] == [("voter-b", 2), ("voter-b", 4)]
    assert applied.index(("voter-b", 2)) < applied.index(("voter-a", 1))  # different voters still side by side


async def test_one_batch_at_a_time_by_default() -> None:
    store = RecordingStore()
    committer = GroupCommitter(store.process_batch, store.process_one)

    await burst(committer, [(f"voter-{sequence}", sequence) for sequence in range(200)], [])

    assert store.most_in_flight == 1
    assert len(store.applied) == 200


async def test_an_item_arriving_as_a_drainer_finishes_is_not_stranded() -> None:
    store = RecordingStore()
    committer = GroupCommitter(store.process_batch, store.process_one, max_in_flight=2, key=by_key)

    for round_number in range(50):
        # One item alone, then another the moment its batch returns: both must be answered.
        first = await committer.submit(("voter", 2 * round_number))
        second = await asyncio.wait_for(committer.submit(("voter", 2 * round_number + 1)), timeout=2)
        assert (first, second) == (2 * round_number, 2 * round_number + 1)


def test_batches_in_flight_together_need_a_key() -> None:
    with pytest.raises(ValueError, match="key"):
        GroupCommitter(RecordingStore().process_batch, RecordingStore().process_one, max_in_flight=2)
