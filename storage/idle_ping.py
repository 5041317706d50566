"""Pings a pooled connection before use only when it has sat idle, instead of on every checkout.

SQLAlchemy's `pool_pre_ping` pings on every checkout, and on asyncpg a ping is three round trips (BEGIN, an empty
query, ROLLBACK): more than the statements of a group-commit batch. A connection in steady use was just seen
working, so only one that sat in the pool longer than `IDLE_SECONDS` (where a failover or a restarted server
leaves dead connections) is pinged. A connection that dies within that window fails its transaction once: that
error is a disconnect, so SQLAlchemy discards the pool's older connections and the request is answered as the
database being unavailable (503, which the platform retries).
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine

IDLE_SECONDS = 1.0
_CHECKED_IN = "crowdbot_checked_in_at"


def ping_when_idle(engine: AsyncEngine, idle_seconds: float = IDLE_SECONDS) -> None:
    """Installs the check on `engine`'s pool (create the engine without `pool_pre_ping`)."""
    pool = engine.sync_engine.pool
    dialect = engine.sync_engine.dialect

    @event.listens_for(pool, "checkin")
    def _remember_checkin(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info[_CHECKED_IN] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        checked_in = record.info.pop(_CHECKED_IN, None)
        if checked_in is None or time.monotonic() - checked_in < idle_seconds:
            return  # new, or in use moments ago
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:  # any failure: this connection cannot be trusted, the pool opens another
            raise DisconnectionError("a pooled connection failed its ping after sitting idle") from error
