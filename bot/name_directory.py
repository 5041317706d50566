"""The port through which an adapter that must look names up itself (Slack) learns whose name is due."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Protocol

from bot.clock import utc_now
from bot.context import Core
from bot.services.names import record_names
from storage import display_names

logger = logging.getLogger(__name__)

REFRESH_AFTER = timedelta(days=1)  # a stored name older than this is looked up again at the person's next event
RETRY_AFTER = timedelta(hours=1)  # after a failed lookup (an error, a 429) the id is shown until then


class NamePort(Protocol):
    async def due(self, refs: Iterable[str]) -> set[str]:
        """The refs to look up now; each is handed out once per RETRY_AFTER at most."""
        ...

    async def learn(self, names: dict[str, str]) -> None:
        """Stores looked-up names (confirming unchanged ones) and refreshes the posts that show changed ones."""
        ...

    def now(self) -> datetime:
        """The campaign clock (a lookup paused by a 429 resumes by it)."""
        ...


class NameDirectory:
    """NamePort over the database. It remembers in memory when each person next needs a look, so a burst of one
    person's reactions costs one database read, not one per event."""

    def __init__(self, core: Callable[[], Core | None]) -> None:
        self._core = core
        self._next_look: dict[str, datetime] = {}

    def now(self) -> datetime:
        core = self._core()
        return core.now() if core is not None else utc_now()

    async def due(self, refs: Iterable[str]) -> set[str]:
        core = self._core()
        if core is None:
            return set()
        now = core.now()
        candidates = {ref for ref in refs if self._next_look.get(ref, now) <= now}
        if not candidates:
            return set()
        async with core.db.snapshot() as session:  # only a read: on SQLite it must not take the write lock
            known = await display_names.confirmed_since(session, refs=candidates, since=now - REFRESH_AFTER)
        for ref in candidates:
            # Known: look again once the stored name is a day old. Due: it is being looked up now, so no second
            # lookup until this one has had its chance (after a failure the id is shown for RETRY_AFTER).
            self._next_look[ref] = known[ref] + REFRESH_AFTER if ref in known else now + RETRY_AFTER
        return candidates - known.keys()

    async def learn(self, names: dict[str, str]) -> None:
        core = self._core()
        if core is None or not names:
            return
        async with core.db.quick_transaction() as session:
            # Every event records its person before the lookup starts; one who is no participant by now was
            # erased while the lookup ran, and their name must not come back.
            present = await display_names.participants_among(session, refs=set(names))
            queued = await record_names(core, session, {r: n for r, n in names.items() if r in present},
                                        refreshed=True)
        for ref in names:
            self._next_look[ref] = core.now() + REFRESH_AFTER
        if queued:
            core.wake_outbox()
