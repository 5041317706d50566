"""A bug of ours is a 500 with its traceback in the log, never a 503 ("try again") or a 400 ("your fault"):
here the schema lost a table the vote path writes to, which is no outage of the database."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from tests.slack.conftest import SlackHarness, reaction


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_failing_vote_path_answers_500_and_logs_where(slack: SlackHarness, caplog: pytest.LogCaptureFixture
                                                              ) -> None:
    ts = await slack.submit_idea("Better rota swaps")
    async with slack.runtime.core.db.transaction() as session:  # type: ignore[union-attr]
        await session.execute(text("DROP TABLE votereaction"))
    with caplog.at_level(logging.ERROR):
        response = await slack.event(reaction("U2", ts), "EvBug")
    assert response.status == 500
    logged = "\n".join(record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR)
    assert "Traceback (most recent call last)" in logged and "OperationalError" in logged
    assert "reaction_batch.py" in logged  # where it failed
    assert "votereaction" not in logged  # the error's message (it can quote values) stays out of the log
