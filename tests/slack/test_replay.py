"""Replays every payload shape Slack documents that the bot has no business with (unknown action and callback
ids, shortcuts, option loads, App Home in each shape, message subtypes, membership and uninstall events):
each is answered 200 with a clean body, changes nothing and leaves no user text in the log."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.slack.conftest import SlackHarness

REPLAY = Path(__file__).parent / "payloads" / "replay"
FIXTURES = sorted(path.stem for path in REPLAY.glob("*.json"))
USER_TEXT = "replay-marker"  # every fixture's user-written text carries it


def encode(body: dict[str, Any]) -> tuple[str, str]:
    """The request as Slack sends it: Events API JSON, slash command form fields, or an interactive payload."""
    if body.get("type") in ("event_callback", "url_verification"):
        return json.dumps(body), "application/json"
    if "command" in body:
        return urlencode(body), "application/x-www-form-urlencoded"
    return urlencode({"payload": json.dumps(body)}), "application/x-www-form-urlencoded"


def test_the_replay_directory_covers_every_kind_the_issue_names() -> None:
    kinds = {json.loads((REPLAY / f"{name}.json").read_text()).get("type") for name in FIXTURES}
    assert {"block_actions", "view_submission", "view_closed", "shortcut", "message_action", "block_suggestion",
            "event_callback"} <= kinds
    events = [json.loads((REPLAY / f"{name}.json").read_text()).get("event", {}) for name in FIXTURES]
    assert {"app_uninstalled", "tokens_revoked", "member_joined_channel"} <= {e.get("type") for e in events}
    assert len([e for e in events if e.get("type") == "app_home_opened"]) >= 4
    assert len({e.get("subtype") for e in events if e.get("type") == "message"}) >= 5


@pytest.mark.parametrize("name", FIXTURES)
async def test_each_payload_gets_a_clean_answer(slack: SlackHarness, name: str,
                                                caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    body = json.loads((REPLAY / f"{name}.json").read_text())
    data, content_type = encode(body)

    response = await slack.post(data, content_type)
    text = await response.text()
    await slack.runtime.adapters[0].background.wait_idle()  # type: ignore[attr-defined]

    assert response.status == 200, text
    if body.get("type") == "view_submission":
        assert text == ""  # an empty answer closes the modal; anything else would show an error in it
    if body.get("type") == "url_verification":
        assert json.loads(text) == {"challenge": body["challenge"]}
    if body.get("type") == "block_suggestion":
        assert json.loads(text) == {"options": []}
    if "command" in body:
        assert "/idea help" in json.loads(text)["text"]
    assert await slack.idea_texts() == [] and await slack.votes() == 0 and await slack.comments() == []
    assert USER_TEXT not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith(("adapters", "bot"))]
