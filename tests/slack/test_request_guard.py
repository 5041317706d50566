"""The edge of /slack/events: what reaches the log, replays, and malformed requests (always 4xx, never 5xx)."""

from __future__ import annotations

import json
import logging
from urllib.parse import urlencode

import pytest

from tests.slack.conftest import SlackHarness, command_body, payload, sign

SECRET_IDEA = "Let night staff swap shifts without asking the ward manager"
FORM = "application/x-www-form-urlencoded"


def logged(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(f"{record.name} {record.getMessage()} {record.exc_text or ''}" for record in caplog.records)


async def test_a_request_with_a_bad_signature_logs_none_of_its_body(slack: SlackHarness,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    body = command_body(f"anon {SECRET_IDEA}", user="UWHISTLE", response_url=slack.response_url)
    headers = {"Content-Type": FORM, **sign(body, secret="a-rotated-secret")}

    response = await slack.client.post("/slack/events", data=body, headers=headers)

    assert response.status == 401
    assert caplog.records, "the refusal itself should be logged"
    text = logged(caplog)
    assert "night staff" not in text and "night+staff" not in text and "UWHISTLE" not in text


async def test_a_stale_timestamp_logs_none_of_the_body_either(slack: SlackHarness,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    body = command_body(SECRET_IDEA)
    headers = {"Content-Type": FORM, **sign(body, timestamp=1_000_000_000)}

    response = await slack.client.post("/slack/events", data=body, headers=headers)

    assert response.status == 401
    assert "night" not in logged(caplog)


async def test_an_anonymous_idea_at_debug_level_logs_neither_its_text_nor_its_author(
        slack: SlackHarness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)

    reply = await slack.command_reply(f"anon {SECRET_IDEA}", user="UWHISTLE")
    await slack.drain()

    assert "anonymously" in reply["text"]
    assert any(SECRET_IDEA in post["text"] for post in slack.idea_posts())  # it was posted, just not logged
    text = logged(caplog)
    assert "night staff" not in text and "night+staff" not in text
    assert "UWHISTLE" not in text and "uwhistle" not in text


async def test_the_same_signed_command_delivered_twice_creates_one_idea(slack: SlackHarness) -> None:
    body = command_body("Better rota swaps", response_url=slack.response_url)

    first = await slack.post(body, FORM)
    replayed = await slack.post(body, FORM)  # signed again: within Slack's five minutes it would verify
    await slack.drain()

    assert first.status == 200 and "is in" in (await first.json())["text"]
    assert replayed.status == 200 and await replayed.text() == ""
    assert await slack.idea_texts() == ["Better rota swaps"]
    assert len(slack.idea_posts()) == 1


async def test_two_invocations_with_the_same_text_are_two_ideas(slack: SlackHarness) -> None:
    await slack.command_reply("Better rota swaps")
    await slack.command_reply("Better rota swaps")

    assert await slack.idea_texts() == ["Better rota swaps", "Better rota swaps"]


async def test_a_form_body_that_is_not_utf8_gets_400(slack: SlackHarness) -> None:
    raw = command_body("Better rota swaps").encode() + b"&extra=%FF\xff\xfe"
    signature = sign(raw.decode("latin-1"))  # whatever Slack's signature over these bytes, they are not UTF-8

    response = await slack.client.post("/slack/events", data=raw, headers={"Content-Type": FORM, **signature})

    assert response.status == 400
    assert await slack.idea_texts() == []


@pytest.mark.parametrize("stamp", ["abc", "17e8", "²", "١٧٠٠٠٠٠٠٠٠", "-1", ""])
async def test_a_timestamp_that_is_not_a_plain_number_gets_401(slack: SlackHarness, stamp: str) -> None:
    body = command_body("Better rota swaps")
    headers = {"Content-Type": FORM, **sign(body), "X-Slack-Request-Timestamp": stamp}

    response = await slack.client.post("/slack/events", data=body.encode(), headers=headers)

    assert response.status == 401
    assert await slack.idea_texts() == []


@pytest.mark.parametrize("value", ["١٢", "1e3", "²", "1.0", " 1", "-1", "99999999999999999999"])
async def test_a_vote_whose_value_is_not_a_plain_idea_number_gets_400(slack: SlackHarness, value: str) -> None:
    ts = await slack.submit_idea("Better rota swaps")
    await slack.command_reply("Quieter break rooms")  # idea #2, and with "١٢" read as 12, #12 would not exist
    vote = payload("block_actions_vote")
    vote["container"]["message_ts"] = vote["message"]["ts"] = ts
    vote["actions"][0]["value"] = value

    response = await slack.post(urlencode({"payload": json.dumps(vote)}), FORM)

    assert response.status == 400
    assert "not an idea number" in (await response.json())["error"]
    assert await slack.votes() == 0


async def test_a_vote_with_a_plain_number_still_counts(slack: SlackHarness) -> None:
    ts = await slack.submit_idea("Better rota swaps")
    vote = payload("block_actions_vote")
    vote["container"]["message_ts"] = vote["message"]["ts"] = ts

    response = await slack.interactive(vote)

    assert response.status == 200
    assert await slack.votes() == 1


@pytest.mark.parametrize("form", [False, True])
async def test_deeply_nested_signed_json_gets_400(slack: SlackHarness, form: bool) -> None:
    nested = "[" * 100_000 + "]" * 100_000  # deeper than the JSON parser recurses
    if form:
        response = await slack.post(urlencode({"payload": nested}), FORM)
    else:
        response = await slack.post('{"type": "event_callback", "event": ' + nested + "}", "application/json")

    assert response.status == 400


@pytest.mark.parametrize("body, content_type", [
    (command_body("A rota idea\x00 with a NUL"), FORM),
    (urlencode({"payload": json.dumps({"type": "block_actions", "user": {"id": "U1\x00"}, "actions": []})}), FORM),
    (json.dumps({"type": "event_callback", "event_id": "Ev1", "event": {"type": "message", "text": "a\x00"}}),
     "application/json"),
])
async def test_a_nul_character_anywhere_gets_400_and_stores_nothing(slack: SlackHarness, body: str,
                                                                  content_type: str) -> None:
    # PostgreSQL refuses NUL in text and Slack never sends one: refused at the door, not a 500 from the database.
    response = await slack.post(body, content_type)
    assert response.status == 400
    assert await slack.idea_texts() == []
