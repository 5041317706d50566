"""The manifest subscribes to exactly what the adapter handles, and each subscription is acknowledged."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import yaml

from adapters.slack.interactions import COMMAND
from adapters.slack.subscriptions import HANDLED_EVENTS
from tests.slack.conftest import SlackHarness, payload

MANIFEST = yaml.safe_load((Path(__file__).parents[2] / "adapters/slack/manifest.yaml").read_text())
SUBSCRIBED = MANIFEST["settings"]["event_subscriptions"]["bot_events"]
# A subscription name is the event type, or "message.<conversation kind>" for messages.
EXAMPLES = {
    "app_home_opened": payload("event_app_home_opened"),
    "message": payload("event_message_thread_reply"),
    "reaction_added": payload("event_reaction_added"),
    "reaction_removed": payload("event_reaction_removed"),
}


def event_type(subscription: str) -> str:
    return subscription.split(".", 1)[0]


def test_the_manifest_subscribes_to_exactly_the_handled_events() -> None:
    assert {event_type(name) for name in SUBSCRIBED} == set(HANDLED_EVENTS)


def test_the_manifest_declares_the_command_interactivity_and_the_scopes_used() -> None:
    assert [c["command"] for c in MANIFEST["features"]["slash_commands"]] == [COMMAND]
    assert MANIFEST["settings"]["interactivity"]["is_enabled"] is True
    assert MANIFEST["features"]["app_home"]["home_tab_enabled"] is True
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == {
        "commands", "chat:write", "files:write", "im:write", "reactions:read", "channels:history", "groups:history",
        "users:read"}
    assert MANIFEST["settings"]["socket_mode_enabled"] in (True, False)


@pytest.mark.parametrize("subscription", SUBSCRIBED)
async def test_every_subscribed_event_has_a_listener_and_gets_200(slack: SlackHarness, subscription: str,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="adapters.slack")

    response = await slack.event(EXAMPLES[event_type(subscription)], f"Ev-{subscription}")

    assert response.status == 200
    assert "no listener handles" not in caplog.text


async def test_an_unsubscribed_event_is_acknowledged_and_logged(slack: SlackHarness,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="adapters.slack")

    response = await slack.event({"type": "member_joined_channel", "user": "U9", "channel": "CROTA"}, "EvX")

    assert response.status == 200  # a 404 would make Slack retry it and count it against the app
    assert "a member_joined_channel event no listener handles" in caplog.text
