"""The playground answers like the platforms: a bug of ours is a 500 with its traceback in the log, a database
that cannot be reached is a 503 with "not saved" (and the reaction taken back), bad input stays a 400."""

from __future__ import annotations

import logging
from html import escape
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.app import RUNTIME, create_app
from tests.conftest import POSTGRES_URL
from tests.factories import harness_clock
from tests.playground.helpers import OTHER, STAFF, act, open_stream, playground_config, post_recorded, post_with
from tests.slack.test_database_outage import CuttableProxy


async def posted_idea(client: Any, text_: str = "Shared handover notes") -> str:
    stream = await open_stream(client, STAFF)
    status, _ = await act(client, "command", STAFF, text=f"/idea {text_}")
    assert status == 200
    event = await stream.next(post_with(escape(text_)))
    await post_recorded(client.app[RUNTIME].core, event["id"])
    return str(event["id"])


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_failing_vote_path_answers_500_and_logs_where(aiohttp_client: Any, database_url: str,
                                                              caplog: pytest.LogCaptureFixture) -> None:
    client = await aiohttp_client(create_app(playground_config(database_url), clock=harness_clock()))
    post_id = await posted_idea(client)
    async with client.app[RUNTIME].core.db.transaction() as session:
        await session.execute(text("DROP TABLE votereaction"))
    with caplog.at_level(logging.ERROR):
        status, answer = await act(client, "reaction", OTHER, message=post_id, emoji="+1")
    assert status == 500 and "went wrong" in answer["error"]
    logged = "\n".join(record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR)
    assert "Traceback (most recent call last)" in logged and "reaction_batch.py" in logged
    assert "votereaction" not in logged
    status, _ = await act(client, "reaction", OTHER, message="no-such-post", emoji="+1")
    assert status == 400  # bad input is still the caller's


@pytest.mark.parametrize("database_url", ["postgres"] if POSTGRES_URL else [], indirect=True)
async def test_a_reaction_during_an_outage_answers_503_and_is_taken_back(aiohttp_client: Any,
                                                                          database_url: str) -> None:
    url = make_url(database_url)
    proxy = CuttableProxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.start()
    through_proxy = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    client = await aiohttp_client(create_app(playground_config(through_proxy), clock=harness_clock()))
    try:
        post_id = await posted_idea(client)
        await proxy.cut()
        status, answer = await act(client, "reaction", OTHER, message=post_id, emoji="+1")
        assert status == 503 and answer["added"] is False and "save that" in answer["ephemeral"][0]
        await proxy.start()
        status, answer = await act(client, "reaction", OTHER, message=post_id, emoji="+1")
        assert status == 200 and answer["added"] is True
    finally:
        await proxy.cut()
