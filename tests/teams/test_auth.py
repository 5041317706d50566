"""With an app id, /api/messages refuses anything without a valid Bot Framework token: 401, nothing stored,
and no request leaves this machine to validate it."""

from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.app import RUNTIME, create_app
from storage import ideas as idea_store
from tests.factories import FixedClock
from tests.teams.fake_openid import FakeOpenId
from tests.teams.helpers import payload, post_activity, teams_config
from tests.teams.network_guard import guard_network

APP_ID = "00000000-0000-0000-0000-00000000c0de"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _token(key: rsa.RSAPrivateKey | None = None, **claims: object) -> str:
    body = {"iss": "https://api.botframework.com", "aud": APP_ID, "exp": int(time.time()) + 600,
            "serviceurl": "http://127.0.0.1"} | claims
    return jwt.encode(body, key or _key(), algorithm="RS256", headers={"kid": "bf-signing-key"})


@pytest.fixture
def outbound(monkeypatch):  # type: ignore[no-untyped-def]
    return guard_network(monkeypatch)


@pytest.fixture
def bot_framework():  # type: ignore[no-untyped-def]
    """The Bot Framework's OpenID endpoint, publishing a key only the real service holds."""
    with FakeOpenId(_key()) as fake:
        yield fake


@pytest.fixture
async def secured(aiohttp_client, database_url, connector, bot_framework):  # type: ignore[no-untyped-def]
    config = teams_config(database_url, app_id=APP_ID, app_password="not-a-real-secret",
                          openid_metadata_url=bot_framework.url)
    return await aiohttp_client(create_app(config, clock=FixedClock()))


async def _nothing_stored(client) -> bool:  # type: ignore[no-untyped-def]
    async with client.app[RUNTIME].core.db.transaction() as session:
        return await idea_store.all_ideas(session) == []


@pytest.mark.parametrize("authorization", [
    None,
    "",
    "Basic dXNlcjpwYXNz",
    "Bearer",
    "Bearer not-a-jwt",
    "Bearer a.b.c",
    "Bearer " + jwt.encode({"iss": "https://api.botframework.com", "aud": APP_ID}, "k" * 32, algorithm="HS256"),
    "Bearer " + _token(iss="https://evil.example"),
    "Bearer " + _token(aud="someone-elses-app"),
    "Bearer " + _token(exp=int(time.time()) - 3600),
], ids=["missing", "empty", "basic", "bearer-alone", "not-jwt", "garbage-jwt", "hs256", "issuer", "audience",
        "expired"])
async def test_requests_without_a_valid_token_get_401_and_change_nothing(secured, connector, outbound,
                                                                          authorization):
    headers = {"Authorization": authorization} if authorization is not None else {}
    body = payload("activity_message_channel_mention", connector.url)
    assert await post_activity(secured, body, headers) == 401
    assert await _nothing_stored(secured)
    assert connector.sent == [] and outbound == []


async def test_a_forged_token_fails_botbuilders_signature_check_with_401(secured, connector, outbound):
    body = payload("activity_message_channel_mention", connector.url)
    assert await post_activity(secured, body, {"Authorization": "Bearer " + _token()}) == 401
    assert await _nothing_stored(secured)
    assert connector.sent == [] and outbound == []


async def test_without_an_app_id_a_malformed_token_gets_401_not_500(teams, connector, outbound):
    body = payload("activity_message_channel_mention", connector.url)
    assert await post_activity(teams, body, {"Authorization": "Bearer not-a-jwt"}) == 401
    assert await _nothing_stored(teams)
    assert outbound == []


async def test_bodies_that_are_not_activities_get_400(teams):
    response = await teams.post("/api/messages", data="{not json", headers={"Content-Type": "application/json"})
    assert response.status == 400
    response = await teams.post("/api/messages", json={"text": "no type"})
    assert response.status == 400
    assert await _nothing_stored(teams)
