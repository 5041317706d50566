"""Every request is authenticated as Slack requires; user text never pings anyone or breaks formatting."""

from __future__ import annotations

import json
import time

import pytest

from tests.slack.conftest import SlackHarness, command_body, event_envelope, reaction, sign

INJECTIONS = ["<!channel> hi", "<!here> look", "<@U123> you too", "a & b <c> d", "<https://evil.example|click>"]
RAW_MARKUP = ["<!channel>", "<!here>", "<@U123>", "<c>", "<https://"]


async def test_a_bad_signature_gets_401_and_stores_nothing(slack: SlackHarness) -> None:
    body = command_body("Better rota swaps")
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, secret="not-the-secret")}

    response = await slack.client.post("/slack/events", data=body, headers=headers)

    assert response.status == 401
    assert await slack.idea_texts() == []


async def test_a_missing_signature_gets_401(slack: SlackHarness) -> None:
    body = json.dumps(event_envelope(reaction("U2", "1700000000.000001"), "Ev1"))

    response = await slack.client.post("/slack/events", data=body, headers={"Content-Type": "application/json"})

    assert response.status == 401


async def test_a_replayed_request_older_than_five_minutes_gets_401(slack: SlackHarness) -> None:
    body = command_body("Better rota swaps")
    stale = int(time.time()) - 6 * 60
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, timestamp=stale)}

    response = await slack.client.post("/slack/events", data=body, headers=headers)

    assert response.status == 401
    assert await slack.idea_texts() == []


async def test_a_body_altered_after_signing_gets_401(slack: SlackHarness) -> None:
    body = command_body("Better rota swaps")
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}

    response = await slack.client.post("/slack/events", data=body.replace("Better", "Worse"), headers=headers)

    assert response.status == 401
    assert await slack.idea_texts() == []


@pytest.mark.parametrize("text", INJECTIONS)
async def test_mentions_and_markup_in_an_idea_are_escaped_everywhere_it_is_reposted(slack: SlackHarness,
                                                                                    text: str) -> None:
    ack = await slack.command_reply(text)
    await slack.drain()
    top = await slack.command_reply("top", user="U2")

    (post,) = slack.idea_posts()
    posted = json.dumps(post) + json.dumps(ack) + json.dumps(top)
    for markup in RAW_MARKUP:
        assert markup not in posted
    assert text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in post["text"]
    assert "link_names" not in post and "parse" not in post
