"""Teams without an app id: on only when asked for, and then answering this machine's JSON requests only;
malformed bodies (deeply nested JSON among them) get 4xx, never 5xx."""

from __future__ import annotations

import json

import pytest

from bot.app import RUNTIME, create_app, enabled_platforms
from storage import ideas as idea_store
from tests.factories import FixedClock
from tests.teams.helpers import payload, post_activity, teams_config

APP_ID = "00000000-0000-0000-0000-00000000c0de"


def config_naming_teams(database_url: str, **teams: object):  # type: ignore[no-untyped-def]
    """app.yaml naming a Teams channel and person (teams_config does), with `teams:` set as given."""
    config = teams_config(database_url)
    return config.model_copy(update={"teams": config.teams.model_copy(update={"enabled": None} | teams)})


@pytest.mark.parametrize(("teams", "on"), [
    ({}, False),  # naming a teams: channel or person is not enough
    ({"enabled": True}, True),
    ({"app_id": APP_ID}, True),
    ({"app_id": APP_ID, "enabled": False}, False),
])
def test_teams_is_on_only_with_an_app_id_or_when_enabled(database_url, teams, on):
    config = config_naming_teams(database_url, **teams)
    assert config.mentions_platform("teams")
    assert ("teams" in enabled_platforms(config, "127.0.0.1")) is on


async def test_an_unconfigured_teams_endpoint_does_not_exist(aiohttp_client, database_url, connector):
    client = await aiohttp_client(create_app(config_naming_teams(database_url), clock=FixedClock()))
    body = payload("activity_message_channel_mention", connector.url)
    assert await post_activity(client, body) == 404
    assert connector.sent == [] and connector.created == []


async def _nothing_stored(client) -> bool:  # type: ignore[no-untyped-def]
    async with client.app[RUNTIME].core.db.transaction() as session:
        return await idea_store.all_ideas(session) == []


@pytest.mark.parametrize("content_type", [
    "text/plain", "text/plain; charset=application/json", "application/json-patch+json",
    "application/x-www-form-urlencoded", "multipart/form-data; boundary=application/json",
])
async def test_only_json_is_accepted(teams, connector, content_type):
    body = json.dumps(payload("activity_message_channel_mention", connector.url))
    response = await teams.post("/api/messages", data=body, headers={"Content-Type": content_type})
    assert response.status == 415
    assert await _nothing_stored(teams) and connector.sent == []


@pytest.mark.parametrize("headers", [
    {"Host": "crowdbot.attacker.example"},  # DNS rebinding: a foreign name that resolves to 127.0.0.1
    {"Origin": "http://attacker.example"},  # a web page posting cross-site
    {"Origin": "null"},
])
async def test_foreign_host_or_origin_is_refused(teams, connector, headers):
    body = payload("activity_message_channel_mention", connector.url)
    assert await post_activity(teams, body, headers) == 403
    assert await _nothing_stored(teams) and connector.sent == []


async def test_this_machine_and_its_own_pages_are_served(teams, connector):
    body = payload("activity_message_channel_mention", connector.url)
    host = f"127.0.0.1:{teams.port}"
    headers = {"Host": host, "Origin": f"http://{host}", "Content-Type": "application/json; charset=utf-8"}
    response = await teams.post("/api/messages", data=json.dumps(body), headers=headers)
    assert response.status == 200
    assert not await _nothing_stored(teams)


@pytest.mark.parametrize("depth", [100, 5_000, 200_000])
async def test_deeply_nested_json_gets_400(teams, connector, depth):
    activity = payload("activity_message_personal", connector.url)
    text = json.dumps(activity)[:-1] + ', "value": ' + "[" * depth + "]" * depth + "}"
    response = await teams.post("/api/messages", data=text, headers={"Content-Type": "application/json"})
    assert response.status == 400
    assert "nested" in await response.text()
    assert connector.sent == []
