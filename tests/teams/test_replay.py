"""Replays the activities Teams documents that the bot has no business with (invokes it does not implement,
unknown Action.Execute verbs, channel and team events, membership, uninstall, reactions on other messages):
each gets a 200 (invokes a proper invoke response), changes nothing and leaves no user text in the log."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from adapters.teams.invokes import NOT_AVAILABLE
from bot.app import RUNTIME
from bot.exports import idea_rows

REPLAY = Path(__file__).parent / "payloads" / "replay"
FIXTURES = sorted(path.stem for path in REPLAY.glob("*.json"))
USER_TEXT = "replay-marker"


def load(name: str, service_url: str) -> dict:  # type: ignore[type-arg]
    return json.loads((REPLAY / f"{name}.json").read_text().replace("{SERVICE_URL}", service_url))


def test_the_replay_directory_covers_every_kind_the_issue_names() -> None:
    bodies = [json.loads((REPLAY / f"{name}.json").read_text()) for name in FIXTURES]
    events = {(b.get("channelData") or {}).get("eventType") for b in bodies if b["type"] == "conversationUpdate"}
    assert {"channelCreated", "channelRenamed", "channelDeleted", "teamRenamed"} <= events
    assert any(b.get("membersAdded") for b in bodies) and any(b.get("membersRemoved") for b in bodies)
    assert any(b["type"] == "installationUpdate" and b.get("action") == "remove" for b in bodies)
    assert any(b["type"] == "messageReaction" for b in bodies)
    assert {b.get("name") for b in bodies if b["type"] == "invoke"} >= {"adaptiveCard/action", "task/fetch",
                                                                        "composeExtension/query", None}


@pytest.mark.parametrize("name", FIXTURES)
async def test_each_activity_gets_a_clean_answer(teams, connector, name: str,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    body = load(name, connector.url)

    response = await teams.post("/api/messages", json=body)
    text = await response.text()

    assert response.status == 200, text
    if body["type"] == "invoke":
        answer = json.loads(text) if text else None
        if body.get("name") == "adaptiveCard/action":
            assert answer == {"statusCode": 200, "type": "application/vnd.microsoft.activity.message",
                              "value": NOT_AVAILABLE}
        elif body.get("name", "").startswith("task/"):
            assert answer == {"task": {"type": "message", "value": NOT_AVAILABLE}}
        elif body.get("name", "").startswith("composeExtension/"):
            assert answer["composeExtension"]["text"] == NOT_AVAILABLE
    core = teams.app[RUNTIME].core
    async with core.db.transaction() as session:
        assert await idea_rows(core, session) == []
    assert connector.sent == [] and connector.updated == []  # nothing posted for any of them
    assert USER_TEXT not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith(("adapters", "bot"))]
