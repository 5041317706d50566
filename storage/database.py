"""The async engine and the one way to run a transaction against it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


class DatabaseUnavailable(Exception):
    """The database could not be reached or did not answer in time."""


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves (IMMEDIATE takes the write lock up front, so two writers queue
        # instead of failing on a lock upgrade).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


_SQLITE_UNAVAILABLE = ("database is locked", "unable to open", "disk i/o error", "database or disk is full")


def _is_unavailability(exc: Exception) -> bool:
    """A lost or refused connection, not a bug such as a missing column (also an OperationalError)."""
    if isinstance(exc, OSError | TimeoutError | InterfaceError):
        return True
    if getattr(exc, "connection_invalidated", False):
        return True
    message = str(exc).lower()
    if "sqlite" in message:
        return any(marker in message for marker in _SQLITE_UNAVAILABLE)
    return "undefined" not in message and "does not exist" not in message and "syntax" not in message


class Database:
    """Owns the engine; `transaction()` yields a session that commits on success and rolls back on error."""

    def __init__(self, url: str, *, echo: bool = False, pool_size: int = 10) -> None:
        self.url = url
        self.dialect = make_url(url).get_backend_name()
        # hide_parameters: an error's message (logged by whoever catches it) would otherwise quote the statement's
        # values, an idea's text and its author among them.
        options: dict[str, Any] = {"echo": echo, "pool_pre_ping": True, "hide_parameters": True}
        if self.dialect == "postgresql":
            # Short timeouts: during an outage a request must fail cleanly well inside Slack's 3 seconds.
            options.update(pool_size=pool_size, max_overflow=pool_size, pool_timeout=2,
                           connect_args={"timeout": 2, "command_timeout": 10})
        self.engine = create_async_engine(url, **options)
        if self.dialect == "sqlite":
            _configure_sqlite(self.engine)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time; queueing in-process avoids busy-waiting on the file lock.
        self._write_lock = asyncio.Lock() if self.dialect == "sqlite" else None
        if self.dialect == "sqlite":
            # aiosqlite logs every statement with its values at DEBUG; they include ideas and their authors.
            logging.getLogger("aiosqlite").setLevel(logging.INFO)

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        lock = self._write_lock or contextlib.nullcontext()
        async with lock:  # type: ignore[attr-defined]
            try:
                async with self._sessions() as session, session.begin():
                    yield session
            except (OSError, TimeoutError, OperationalError, InterfaceError) as exc:
                if not _is_unavailability(exc):
                    raise
                raise DatabaseUnavailable(str(exc) or type(exc).__name__) from exc

    async def dispose(self) -> None:
        await self.engine.dispose()
