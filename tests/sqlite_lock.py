"""Another process's hold on a SQLite file's write lock, as a backup or a long import takes it."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator

from sqlalchemy.engine import make_url

LONGEST_HOLD_SECONDS = 15.0


@contextlib.asynccontextmanager
async def write_lock_held(database_url: str) -> AsyncIterator[None]:
    """Holds BEGIN IMMEDIATE on the file from a second connection until the block ends, but never longer than
    LONGEST_HOLD_SECONDS: a bot that waited that long for the lock would then get it and store what it should
    have refused, which is the outcome the tests look at (never a timing threshold)."""
    path = make_url(database_url).database
    holder = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    released = False

    def release() -> None:
        nonlocal released
        if not released:
            released = True
            holder.execute("ROLLBACK")

    timer = asyncio.get_running_loop().call_later(LONGEST_HOLD_SECONDS, release)
    try:
        yield
    finally:
        timer.cancel()
        release()
        holder.close()
