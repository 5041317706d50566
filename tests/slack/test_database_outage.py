"""A database outage: Slack is answered 503 so it retries, and the retry after recovery counts once.

PostgreSQL only: the outage is a cut TCP connection (a local proxy in front of the server), which is what a
network partition or a database failover looks like to the bot. SQLite has no connection to cut.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from bot.app import create_app
from tests.conftest import POSTGRES_URL
from tests.factories import harness_clock
from tests.slack.conftest import SlackHarness, reaction, slack_config
from tests.slack.fake_slack import FakeSlack


class CuttableProxy:
    """Forwards TCP connections to the database until cut; restore() listens again on the same port."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._pipes):
            writer.close()
        await self._server.wait_closed()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        self._pipes |= {writer, upstream_writer}
        await asyncio.gather(self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()
        self._pipes.discard(writer)


@pytest.fixture
async def proxied(fake_slack: FakeSlack, aiohttp_client: Any, database_url: str
                  ) -> AsyncIterator[tuple[SlackHarness, CuttableProxy]]:
    url = make_url(database_url)
    proxy = CuttableProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    through_proxy = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    client = await aiohttp_client(create_app(slack_config(through_proxy, fake_slack), clock=harness_clock()))
    yield SlackHarness(client, fake_slack), proxy
    await proxy.cut()


@pytest.mark.parametrize("database_url", ["postgres"] if POSTGRES_URL else [], indirect=True)
async def test_a_vote_during_an_outage_is_retried_by_slack_and_counts_once(
        proxied: tuple[SlackHarness, CuttableProxy]) -> None:
    slack, proxy = proxied
    ts = await slack.submit_idea("Better rota swaps")

    await proxy.cut()
    during = await slack.event(reaction("U2", ts), "EvOutage")
    await proxy.start()
    retried = await slack.event(reaction("U2", ts), "EvOutage", retry_num=1)
    replayed = await slack.event(reaction("U2", ts), "EvOutage", retry_num=2)

    assert during.status == 503  # not 2xx: Slack delivers it again
    assert (retried.status, replayed.status) == (200, 200)
    assert await slack.votes() == 1
