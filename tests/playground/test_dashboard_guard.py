"""The dashboard against other web sites and in the logs: a foreign Host is refused on loopback (DNS rebinding),
and its token never reaches the access log."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.app import create_app
from tests.factories import FixedClock
from tests.playground.helpers import STAFF, act, playground_config

PATHS = ("/dashboard", "/dashboard/chart.png", "/dashboard/export.csv", "/dashboard/export.xlsx")
TOKEN = "s3cret-dashboard-token"


@pytest.fixture
async def client(aiohttp_client, database_url, monkeypatch):
    monkeypatch.delenv("CROWDBOT_DASHBOARD_TOKEN", raising=False)
    client = await aiohttp_client(create_app(playground_config(database_url), clock=FixedClock()))
    await act(client, "command", STAFF, text="/idea Shared handover notes")
    return client


@pytest.mark.parametrize("path", PATHS)
async def test_a_foreign_host_on_a_loopback_listener_is_refused(client, path) -> None:
    rebound = await client.get(path, headers={"Host": "attacker.example:3978"})

    assert rebound.status == 403
    body = await rebound.read()
    assert b"Shared handover notes" not in body and b"only answers" in body


@pytest.mark.parametrize("host", ["127.0.0.1:3978", "localhost:3978", "localhost", "[::1]:3978"])
async def test_loopback_host_names_are_served(client, host) -> None:
    response = await client.get("/dashboard/export.csv", headers={"Host": host})

    assert response.status == 200 and "Shared handover notes" in await response.text()


async def test_a_reverse_proxy_with_the_token_is_let_in(aiohttp_client, database_url, monkeypatch) -> None:
    monkeypatch.setenv("CROWDBOT_DASHBOARD_TOKEN", TOKEN)
    client = await aiohttp_client(create_app(playground_config(database_url), clock=FixedClock()))
    proxied = {"Host": "ideas.trust.example"}

    refused = await client.get("/dashboard", headers=proxied)
    allowed = await client.get("/dashboard", headers={**proxied, "Authorization": f"Bearer {TOKEN}"})

    assert refused.status == 403 and allowed.status == 200


async def access_lines(caplog: pytest.LogCaptureFixture, count: int) -> list[logging.LogRecord]:
    """aiohttp writes the access line after the response has gone: wait for it."""
    async with asyncio.timeout(5):
        while True:
            lines = [record for record in caplog.records if record.name == "aiohttp.access"]
            if len(lines) >= count:
                return lines
            await asyncio.sleep(0.01)


async def test_the_token_never_reaches_the_access_log(aiohttp_client, database_url, monkeypatch,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("CROWDBOT_DASHBOARD_TOKEN", TOKEN)
    caplog.set_level(logging.DEBUG)
    config = playground_config(database_url, playground={"enabled": False})
    client = await aiohttp_client(create_app(config, host="0.0.0.0", clock=FixedClock()))

    page = await client.get(f"/dashboard?token={TOKEN}")
    export = await client.get(f"/dashboard/export.csv?format=x&token={TOKEN}",
                              headers={"Referer": f"http://ideas.example/dashboard?token={TOKEN}"})

    assert page.status == 200 and export.status == 200
    lines = await access_lines(caplog, 2)
    for record in lines:
        assert TOKEN not in record.getMessage()
        assert TOKEN not in repr(record.__dict__)
    assert "token=[redacted]" in lines[0].getMessage()
    assert "format=x&token=[redacted]" in lines[1].getMessage()
    assert TOKEN not in caplog.text
