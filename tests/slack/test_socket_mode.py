"""Socket Mode: no inbound HTTP; the bot dials the WebSocket that apps.connections.open names."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qsl

import pytest

from bot.app import create_app
from tests.factories import harness_clock
from tests.slack.conftest import SlackHarness, command_body, event_envelope, reaction, slack_config
from tests.slack.fake_slack import APP_TOKEN, FakeSlack


@pytest.fixture
async def socket_slack(fake_slack: FakeSlack, aiohttp_client: Any, database_url: str) -> AsyncIterator[SlackHarness]:
    config = slack_config(database_url, fake_slack, app_token=APP_TOKEN)
    client = await aiohttp_client(create_app(config, clock=harness_clock()))
    await fake_slack.wait_for(lambda: fake_slack.of("socket.connected"))
    yield SlackHarness(client, fake_slack)


async def acknowledgement(fake: FakeSlack, envelope_id: str) -> dict[str, Any]:
    (ack,) = await fake.wait_for(lambda: [a for a in fake.socket_acks if a.get("envelope_id") == envelope_id])
    return ack


async def test_socket_mode_takes_commands_and_reactions_without_an_http_endpoint(socket_slack: SlackHarness) -> None:
    fake = socket_slack.fake
    assert fake.of("apps.connections.open")  # called with the app-level token (the fake checks it)
    assert (await socket_slack.client.post("/slack/events", data="{}")).status in (404, 405)

    command = dict(parse_qsl(command_body("Better rota swaps", response_url=socket_slack.response_url)))
    await fake.send_envelope({"envelope_id": "env-command", "type": "slash_commands", "payload": command,
                              "accepts_response_payload": True})
    ack = await acknowledgement(fake, "env-command")
    assert ack["payload"]["text"].startswith("Thanks, your idea #1 is in")

    await socket_slack.drain()
    (post,) = fake.answered("chat.postMessage")
    assert post.args["channel"] == "CROTA"
    for envelope_id, retry in (("env-r1", 0), ("env-r1-retry", 1)):
        await fake.send_envelope({"envelope_id": envelope_id, "type": "events_api", "retry_attempt": retry,
                                  "retry_reason": "timeout" if retry else "", "accepts_response_payload": False,
                                  "payload": event_envelope(reaction("U2", post.answer["ts"]), "EvSocket")})
        await acknowledgement(fake, envelope_id)

    assert await socket_slack.votes() == 1


async def test_socket_mode_frames_are_not_logged_even_at_debug(socket_slack: SlackHarness,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    fake = socket_slack.fake
    command = dict(parse_qsl(command_body("anon Quiet room for night staff", user="UWHISTLE",
                                          response_url=socket_slack.response_url)))

    await fake.send_envelope({"envelope_id": "env-anon", "type": "slash_commands", "payload": command,
                              "accepts_response_payload": True})
    ack = await acknowledgement(fake, "env-anon")
    await socket_slack.drain()

    assert "anonymously" in ack["payload"]["text"]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Quiet room" not in logged and "UWHISTLE" not in logged
