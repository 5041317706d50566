"""Token signing keys are fetched off the event loop: a slow OpenID endpoint and a forged token never hold up
other requests, and tokens naming unknown keys cannot make the bot fetch again and again."""

from __future__ import annotations

import asyncio
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.app import RUNTIME, create_app
from storage import conversations
from tests.factories import FixedClock
from tests.teams.fake_openid import FakeOpenId
from tests.teams.helpers import payload, post_activity, teams_config
from tests.teams.network_guard import guard_network

APP_ID = "00000000-0000-0000-0000-00000000c0de"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _token(key: rsa.RSAPrivateKey, service_url: str, kid: str = "bf-signing-key") -> str:
    claims = {"iss": "https://api.botframework.com", "aud": APP_ID, "exp": int(time.time()) + 600,
              "serviceurl": service_url}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


@pytest.fixture
def outbound(monkeypatch):  # type: ignore[no-untyped-def]
    return guard_network(monkeypatch)


@pytest.fixture
def service_key() -> rsa.RSAPrivateKey:
    return _key()


@pytest.fixture
def slow_openid(service_key):  # type: ignore[no-untyped-def]
    with FakeOpenId(service_key) as fake:
        fake.gate.clear()  # every answer waits until the test releases it
        yield fake


async def _secured(aiohttp_client, database_url: str, openid: FakeOpenId):  # type: ignore[no-untyped-def]
    config = teams_config(database_url, app_id=APP_ID, app_password="not-a-real-secret",
                          openid_metadata_url=openid.url)
    return await aiohttp_client(create_app(config, clock=FixedClock()))


async def test_a_slow_key_endpoint_and_a_forged_token_do_not_hold_up_healthz(
        aiohttp_client, database_url, connector, slow_openid, outbound):
    client = await _secured(aiohttp_client, database_url, slow_openid)
    # The keys are fetched at start, without waiting for a token: the endpoint now holds that request.
    assert await asyncio.to_thread(slow_openid.arrived.wait, 5.0), "no key fetch at start"
    body = payload("activity_message_channel_mention", connector.url)
    forged = asyncio.ensure_future(post_activity(client, body, {
        "Authorization": "Bearer " + _token(_key(), connector.url, kid="unknown-key")}))

    health = await client.get("/healthz")
    # /healthz answered while the key fetch is still held and the forged request still waits for it.
    assert health.status == 200
    assert not slow_openid.gate.is_set() and not forged.done()

    slow_openid.gate.set()
    assert await forged == 401
    # Another token naming an unknown key right after is refused from what is known, without a new fetch.
    again = _token(_key(), connector.url, kid="another-unknown-key")
    assert await post_activity(client, body, {"Authorization": "Bearer " + again}) == 401
    assert slow_openid.metadata_requests() == 1
    assert outbound == [] and connector.sent == []


async def test_a_token_signed_with_a_published_key_is_accepted(
        aiohttp_client, database_url, connector, slow_openid, service_key, outbound):
    slow_openid.gate.set()
    client = await _secured(aiohttp_client, database_url, slow_openid)
    # Added to a 1:1 chat, not a team: a team installation would list the team's channels, which needs an
    # outbound token from Microsoft's login service, which this test has no fake for.
    install = payload("activity_conversation_update_bot_added", connector.url,
                      conversation={"id": "a:1on1-admin", "conversationType": "personal", "tenantId": "tenant-1"},
                      channelData={"tenant": {"id": "tenant-1"}})
    headers = {"Authorization": "Bearer " + _token(service_key, connector.url)}
    assert await post_activity(client, install, headers) == 200
    async with client.app[RUNTIME].core.db.transaction() as session:
        assert await conversations.references_for(session, platform="teams") != []
    assert outbound == []
