"""Watches the statements the bot's writing engines send (tests that check what reaches the database)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from bot.context import Core


@contextmanager
def watching_writes(core: Core, record: Callable[..., None]) -> Iterator[None]:
    """Calls `record` as a `before_cursor_execute` listener on every writing engine while the block runs."""
    engines = [engine.sync_engine for engine in core.db.write_engines]
    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    try:
        yield
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", record)


@contextmanager
def statements_sent(core: Core) -> Iterator[list[str]]:
    """The text of every statement the writing engines send, in order, whitespace folded."""
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        sent.append(" ".join(statement.split()))

    with watching_writes(core, record):
        yield sent


def assert_nothing_locked(core: Core, sent: list[str]) -> None:
    """What `statements_sent` saw took no lock: no row lock on PostgreSQL; on SQLite not a statement on a writing
    connection (a read there is a WAL snapshot on the read-only engine)."""
    assert not any("FOR UPDATE" in statement for statement in sent)
    assert core.db.is_postgres or sent == []
