"""Teams fixtures: a fake Bot Connector on an ephemeral port and the real app with the Teams adapter on."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from tests.factories import FixedClock
from tests.teams.fake_connector import FakeConnector
from tests.teams.helpers import teams_config


@pytest.fixture
async def connector(aiohttp_server) -> FakeConnector:  # type: ignore[no-untyped-def]
    fake = FakeConnector()
    server: TestServer = await aiohttp_server(fake.app())
    fake.url = str(server.make_url("/"))
    return fake


@pytest.fixture
async def teams(aiohttp_client, database_url: str, connector: FakeConnector) -> TestClient:  # type: ignore[no-untyped-def]
    """The bot with Teams on and authentication off (no app id), as in local development."""
    return await aiohttp_client(create_app(teams_config(database_url), clock=FixedClock()))
