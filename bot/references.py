"""The conversation-reference port: how an adapter that can only post with a stored reference (Teams) finds one.

References are stored by the core when an adapter reports a conversation it has seen (`ConversationSeen`), under
keys the adapter chooses; only that adapter reads them back, so the outbox and the other platforms never do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from storage import conversations
from storage.database import Database, DatabaseUnavailable


class ReferenceStore(Protocol):
    async def reference(self, key: str) -> dict[str, Any] | None:
        """The reference stored under `key`, or None when the bot has not seen that conversation yet."""
        ...


class StoredReferences:
    """References from the database; `database` is read per call because the runtime opens it after the
    adapters are built."""

    def __init__(self, database: Callable[[], Database | None]) -> None:
        self._database = database

    async def reference(self, key: str) -> dict[str, Any] | None:
        db = self._database()
        if db is None:
            raise DatabaseUnavailable("the database is not open yet")
        async with db.transaction() as session:
            return await conversations.get_reference(session, key=key)
