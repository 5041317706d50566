"""Validly signed but malformed Slack payloads: never a 5xx, never an unhandled exception, nothing stored."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from storage.models import Comment, Idea, Vote
from tests.slack.conftest import SlackHarness

odd_text = st.one_of(st.text(max_size=40), st.text(min_size=3000, max_size=5000),
                     st.sampled_from(["", " ", "\u202e\u0000", "<!channel>", "🧑🏽‍⚕️" * 50, "\ud7ff", "%s%n"]))
scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), odd_text)
anything = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                        st.dictionaries(odd_text, inner, max_size=3)), max_leaves=8)
event_type = st.one_of(st.sampled_from(["reaction_added", "reaction_removed", "message", "app_home_opened",
                                        "app_mention", "member_joined_channel"]), odd_text)
malformed_event = st.fixed_dictionaries(
    {"type": event_type},
    optional={"user": anything, "reaction": anything, "item": anything, "ts": anything, "thread_ts": anything,
              "text": odd_text, "channel": anything, "subtype": anything, "bot_id": anything, "tab": anything},
)
envelope = st.one_of(
    st.fixed_dictionaries({"type": st.just("event_callback"), "event": malformed_event},
                          optional={"event_id": anything, "team_id": anything, "api_app_id": anything}),
    st.dictionaries(odd_text, anything, max_size=4),
    st.fixed_dictionaries({"type": st.just("event_callback"), "event": anything, "event_id": odd_text}),
)
interaction = st.fixed_dictionaries(
    {"type": st.one_of(st.sampled_from(["block_actions", "view_submission", "shortcut", "view_closed"]), odd_text)},
    optional={"user": anything, "actions": anything, "view": anything, "trigger_id": anything,
              "channel": anything, "container": anything},
)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


async def stored(slack: SlackHarness) -> tuple[int, int, int]:
    assert slack.runtime.core is not None
    async with slack.runtime.core.db.transaction() as session:
        counts = [(await session.execute(select(func.count()).select_from(model))).scalar_one()
                  for model in (Idea, Vote, Comment)]
    return counts[0], counts[1], counts[2]


def assert_no_unhandled_errors(caplog: pytest.LogCaptureFixture) -> None:
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert not errors, [record.getMessage() for record in errors]


@FUZZ
@given(body=envelope)
async def test_malformed_events(slack: SlackHarness, caplog: pytest.LogCaptureFixture, body: dict[str, Any]) -> None:
    before = await stored(slack)
    response = await slack.post(json.dumps(body), "application/json")
    assert response.status < 500, await response.text()
    assert await stored(slack) == before
    assert_no_unhandled_errors(caplog)


@FUZZ
@given(body=interaction)
async def test_malformed_interactions(slack: SlackHarness, caplog: pytest.LogCaptureFixture,
                                      body: dict[str, Any]) -> None:
    before = await stored(slack)
    response = await slack.post(urlencode({"payload": json.dumps(body)}), "application/x-www-form-urlencoded")
    assert response.status < 500, await response.text()
    assert await stored(slack) == before
    assert_no_unhandled_errors(caplog)


@FUZZ
@given(fields=st.dictionaries(st.sampled_from(["command", "text", "user_id", "channel_id", "trigger_id",
                                               "response_url", "team_id"]), odd_text, max_size=7))
async def test_malformed_commands(slack: SlackHarness, caplog: pytest.LogCaptureFixture,
                                  fields: dict[str, str]) -> None:
    response = await slack.post(urlencode(fields), "application/x-www-form-urlencoded")
    assert response.status < 500, await response.text()
    assert_no_unhandled_errors(caplog)
