"""Pooled connections are pinged before use only after sitting idle (storage/idle_ping.py): a connection that
died while idle is replaced without the transaction noticing; one used moments ago is trusted, so if it died, its
transaction fails once as "database unavailable" and the next one gets a new connection.

PostgreSQL only: the connections die by cutting a TCP proxy in front of the server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.database import Database, DatabaseUnavailable
from tests.conftest import POSTGRES_URL
from tests.slack.test_database_outage import CuttableProxy

pytestmark = pytest.mark.parametrize("database_url", ["postgres"] if POSTGRES_URL else [], indirect=True)


@pytest.fixture
async def proxy(database_url: str) -> AsyncIterator[CuttableProxy]:
    url = make_url(database_url)
    proxy = CuttableProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    yield proxy
    await proxy.cut()


def _through(proxy: CuttableProxy, database_url: str) -> str:
    return make_url(database_url).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)


async def _backend(database: Database) -> int:
    async with database.transaction() as session:
        return int(await session.scalar(text("SELECT pg_backend_pid()")))


async def _restart_every_connection(proxy: CuttableProxy) -> None:
    await proxy.cut()
    await proxy.start()  # same port: the server is back, the pooled connections are not


async def test_a_connection_that_died_while_idle_is_replaced_before_use(
        proxy: CuttableProxy, database_url: str) -> None:
    database = Database(_through(proxy, database_url), pool_size=1, idle_ping_seconds=0)  # every reuse counts as idle
    try:
        before = await _backend(database)
        await _restart_every_connection(proxy)
        after = await _backend(database)  # the ping failed, so the pool connected again: no error
        assert after != before
    finally:
        await database.dispose()


async def test_a_connection_used_moments_ago_is_not_pinged_and_fails_once(
        proxy: CuttableProxy, database_url: str) -> None:
    database = Database(_through(proxy, database_url), pool_size=1, idle_ping_seconds=3600)
    try:
        before = await _backend(database)
        await _restart_every_connection(proxy)
        with pytest.raises(DatabaseUnavailable):
            await _backend(database)  # no ping: the dead connection was used, and named unavailable
        assert await _backend(database) != before  # the disconnect emptied the pool
    finally:
        await database.dispose()
