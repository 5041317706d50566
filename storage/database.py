"""The async engine and the one way to run a transaction against it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from storage.idle_ping import IDLE_SECONDS, ping_when_idle
from storage.inline_sqlite import inline_connector


class DatabaseUnavailable(Exception):
    """The database could not be reached or did not answer in time."""


# How long a transaction waits in all (its turn in this process, then the file) when another process holds
# SQLite's write lock (a backup, a long `crowdbot import`), before the request is answered "couldn't save" (or
# 503). A fixed long busy timeout, paid again by every request queued behind the first, kept people waiting far
# past Slack's 3 s.
SQLITE_WAIT_SECONDS = 2.0
SQLITE_LEAST_FILE_WAIT_MS = 250  # even after a long turn in the queue, give the file lock a moment


def _configure_sqlite(engine: AsyncEngine, busy_timeout_ms: Callable[[], int], *, read_only: bool = False) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves (IMMEDIATE takes the write lock up front, so two writers queue
        # instead of failing on a lock upgrade).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_WAIT_SECONDS * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        if read_only:
            cursor.execute("PRAGMA query_only=ON")  # a snapshot that tried to write would be a bug: fail loudly
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        if read_only:
            # A deferred BEGIN reads a WAL snapshot and never takes the write lock, so writers are not held up.
            connection.exec_driver_sql("BEGIN")
            return
        # What is left of the transaction's wait after its turn in this process's queue; set only when it
        # differs from this connection's last (a statement per transaction saved on the hot path).
        wait, known = busy_timeout_ms(), connection.connection.info
        if known.get("busy_timeout_ms") != wait:
            connection.exec_driver_sql(f"PRAGMA busy_timeout={wait}")
            known["busy_timeout_ms"] = wait
        connection.exec_driver_sql("BEGIN IMMEDIATE")


_SQLITE_UNAVAILABLE = ("database is locked", "unable to open", "disk i/o error", "database or disk is full")
# PostgreSQL: class 08 (connection exception), the server shutting down or starting, no connection slots left.
_POSTGRES_UNAVAILABLE = ("57P01", "57P02", "57P03", "53300")


def _is_unavailability(exc: Exception) -> bool:
    """A lost, refused or exhausted connection, or SQLite's file being unavailable; not a bug such as a missing
    column, a constraint or a bad value (an OperationalError too, at times), which is raised as it is."""
    if isinstance(exc, OSError | TimeoutError | InterfaceError | PoolTimeout):
        return True
    if getattr(exc, "connection_invalidated", False):
        return True
    original = getattr(exc, "orig", None)
    sqlstate = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    if isinstance(sqlstate, str):
        return sqlstate.startswith("08") or sqlstate in _POSTGRES_UNAVAILABLE
    message = str(exc).lower()
    return "sqlite" in message and any(marker in message for marker in _SQLITE_UNAVAILABLE)


class Database:
    """Owns the engine; `transaction()` yields a session that commits on success and rolls back on error."""

    def __init__(self, url: str, *, echo: bool = False, pool_size: int = 10,
                 idle_ping_seconds: float = IDLE_SECONDS) -> None:
        self.url = url
        self.dialect = make_url(url).get_backend_name()
        # hide_parameters: an error's message (logged by whoever catches it) would otherwise quote the statement's
        # values, an idea's text and its author among them.
        options: dict[str, Any] = {"echo": echo, "hide_parameters": True}
        if self.dialect == "postgresql":
            # Short timeouts: during an outage a request must fail cleanly well inside Slack's 3 seconds.
            options.update(pool_size=pool_size, max_overflow=pool_size, pool_timeout=2,
                           connect_args={"timeout": 2, "command_timeout": 10})
        self.engine = create_async_engine(url, **options)
        ping_when_idle(self.engine, idle_ping_seconds)
        self._file_wait_ms = int(SQLITE_WAIT_SECONDS * 1000)  # set under the write lock, read by BEGIN
        if self.dialect == "sqlite":
            _configure_sqlite(self.engine, lambda: self._file_wait_ms)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._read_engine = self.engine
        if self.dialect == "sqlite":
            # Long reads (exports, the dashboard) get their own connections outside the write lock.
            self._read_engine = create_async_engine(url, **options)
            ping_when_idle(self._read_engine, idle_ping_seconds)
            _configure_sqlite(self._read_engine, lambda: self._file_wait_ms, read_only=True)
        self._read_sessions = async_sessionmaker(self._read_engine, expire_on_commit=False)
        self._quick_engine: AsyncEngine | None = None
        path = make_url(url).database
        if self.dialect == "sqlite" and path and path != ":memory:" and not path.startswith("file:"):
            # quick_transaction(): its statements run on the loop's thread (storage/inline_sqlite.py). No
            # file wait: a lock held by another process is waited for on the threaded engine instead.
            self._quick_engine = create_async_engine("sqlite+aiosqlite://", async_creator=inline_connector(path),
                                                     hide_parameters=True)
            _configure_sqlite(self._quick_engine, lambda: 0)
        self._quick_sessions = async_sessionmaker(self._quick_engine, expire_on_commit=False) \
            if self._quick_engine is not None else None
        # SQLite has one writer at a time; queueing in-process avoids busy-waiting on the file lock.
        self._write_lock = asyncio.Lock() if self.dialect == "sqlite" else None
        if self.dialect == "sqlite":
            # aiosqlite logs every statement with its values at DEBUG; they include ideas and their authors.
            logging.getLogger("aiosqlite").setLevel(logging.INFO)

    @property
    def write_engines(self) -> tuple[AsyncEngine, ...]:
        """Every engine that writes (a tool or test watching the statements must watch them all)."""
        return (self.engine,) if self._quick_engine is None else (self.engine, self._quick_engine)

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        async with self._writer(), self._unavailability_named(), self._sessions() as session, session.begin():
            yield session

    @contextlib.asynccontextmanager
    async def quick_transaction(self) -> AsyncIterator[AsyncSession]:
        """`transaction()` for the hot path's short transactions of small indexed statements: group-commit
        batches, the outbox's claims and delivery records, name lookups' results. On a SQLite file they run on
        the loop's thread, which saves four thread hand-offs per statement (and holds the write lock for less
        time); when another process holds the file's write lock, they wait for it on the threaded engine."""
        if self._quick_sessions is None:
            async with self.transaction() as session:
                yield session
            return
        async with self._writer(), self._unavailability_named(), self._quick_sessions() as session:
            try:
                await session.connection()  # BEGIN IMMEDIATE, failing at once if another process writes
            except OperationalError as error:
                if "locked" not in str(error).lower():
                    raise
                await session.close()
                async with self._sessions() as waiting, waiting.begin():
                    yield waiting
                return
            try:
                yield session
            except BaseException:
                await session.rollback()
                raise
            await session.commit()

    @contextlib.asynccontextmanager
    async def snapshot(self) -> AsyncIterator[AsyncSession]:
        """A read-only transaction that never waits for writers: on SQLite a WAL snapshot on its own connection,
        outside this process's write queue; on PostgreSQL a REPEATABLE READ READ ONLY transaction, so a paged
        export sees one consistent state."""
        async with self._unavailability_named(), self._read_sessions() as session:
            if self.is_postgres:
                await session.connection(execution_options={"isolation_level": "REPEATABLE READ",
                                                            "postgresql_readonly": True})
            yield session  # closing the session ends the read transaction (a rollback: nothing was written)

    @contextlib.asynccontextmanager
    async def _unavailability_named(self) -> AsyncIterator[None]:
        try:
            yield
        except (OSError, TimeoutError, DBAPIError, PoolTimeout) as exc:
            if not _is_unavailability(exc):
                raise
            raise DatabaseUnavailable(str(exc) or type(exc).__name__) from exc

    @contextlib.asynccontextmanager
    async def _writer(self) -> AsyncIterator[None]:
        """SQLite: this process's turn at the write lock. The turn itself is not bounded (under load a queue of
        quick transactions is normal); what is left of SQLITE_WAIT_SECONDS after it bounds the wait on the file,
        so when another process holds the file, requests queued behind the first refusal are refused quickly."""
        if self._write_lock is None:
            yield
            return
        started = time.monotonic()
        async with self._write_lock:
            waited_ms = int((time.monotonic() - started) * 1000)
            left = int(SQLITE_WAIT_SECONDS * 1000) - waited_ms
            # In steps of the least wait, so consecutive transactions mostly reuse the connection's setting.
            self._file_wait_ms = max(left // SQLITE_LEAST_FILE_WAIT_MS * SQLITE_LEAST_FILE_WAIT_MS,
                                     SQLITE_LEAST_FILE_WAIT_MS)
            yield

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self._quick_engine is not None:
            await self._quick_engine.dispose()
        if self._read_engine is not self.engine:
            await self._read_engine.dispose()
