"""Another process holding SQLite's write lock: Slack hears "couldn't save" for a command and 503 for an event
(so it retries) inside its 3 s, and nothing is stored meanwhile."""

from __future__ import annotations

import pytest

from tests.conftest import BACKENDS
from tests.slack.conftest import SlackHarness, reaction
from tests.sqlite_lock import write_lock_held

SQLITE_ONLY = pytest.mark.parametrize("database_url", [b for b in BACKENDS if b == "sqlite"], indirect=True)


@SQLITE_ONLY
async def test_a_command_and_a_vote_under_a_foreign_write_lock_are_refused_in_time(
        slack: SlackHarness, database_url: str) -> None:
    ts = await slack.submit_idea("Better rota swaps")
    async with write_lock_held(database_url):
        answer = await slack.command_reply("Self-rostering app", user="U2")
        vote = await slack.event(reaction("U3", ts), "EvLocked")
    assert "couldn't save that just now" in answer["text"]  # not "Saving your idea...", answered later
    assert vote.status == 503
    assert await slack.idea_texts() == ["Better rota swaps"]
    assert await slack.votes() == 0

    retried = await slack.event(reaction("U3", ts), "EvLocked", retry_num=1)
    assert retried.status == 200 and await slack.votes() == 1
