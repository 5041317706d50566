"""Web API failures and a slow database: nothing is lost, Slack always gets its answer inside 3 seconds."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import AsyncIterator

import aiohttp
import asyncpg
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import POSTGRES_URL
from tests.slack.conftest import SLACK_ACK_TIMEOUT, SlackHarness, reaction


@contextlib.asynccontextmanager
async def write_lock_held(database_url: str) -> AsyncIterator[None]:
    """Another client holds the tables our writes need, as a long migration or a stuck transaction would."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        connection = sqlite3.connect(url.database, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            connection.execute("COMMIT")
            connection.close()
        return
    pg = await asyncpg.connect(url.set(drivername="postgresql").render_as_string(hide_password=False))
    transaction = pg.transaction()
    await transaction.start()
    await pg.execute("LOCK TABLE participant IN ACCESS EXCLUSIVE MODE")
    try:
        yield
    finally:
        await transaction.commit()
        await pg.close()


async def test_a_429_is_retried_after_retry_after_and_the_post_arrives(slack: SlackHarness) -> None:
    slack.fake.fail("chat.postMessage", "ratelimited", status=429, retry_after=1)

    await slack.command_reply("Better rota swaps")
    await slack.drain()

    attempts = slack.fake.of("chat.postMessage")
    assert len(attempts) == 2 and all(a["channel"] == "CROTA" for a in attempts)
    (delivered,) = slack.fake.answered("chat.postMessage")
    await slack.event(reaction("U2", delivered.answer["ts"]), "Ev1")
    assert await slack.votes() == 1  # the delivered post is the one tracked as the idea's post


async def test_a_server_error_is_retried_later(slack: SlackHarness) -> None:
    slack.fake.fail("chat.postMessage", "internal_error", status=500)

    await slack.command_reply("Better rota swaps")
    await slack.drain()

    assert len(slack.fake.of("chat.postMessage")) == 2
    assert len(slack.fake.answered("chat.postMessage")) == 1


async def test_channel_not_found_keeps_the_idea_and_tells_the_author(slack: SlackHarness) -> None:
    slack.fake.fail("chat.postMessage", "channel_not_found")

    reply = await slack.command_reply("Better rota swaps", user="U1")
    await slack.drain()

    assert "is in" in reply["text"]
    assert await slack.idea_texts() == ["Better rota swaps"]
    channel_posts = [p for p in slack.fake.of("chat.postMessage") if p["channel"] == "CROTA"]
    assert len(channel_posts) == 1  # permanent: not retried
    (told,) = [p for p in slack.fake.of("chat.postMessage") if p["channel"] == "U1"]
    assert "saved" in told["text"] and "channel_not_found" in told["text"]


# PostgreSQL only: there, rows locked by another client are waited for (within command_timeout). SQLite's whole
# file locked by another process is refused within 2 s instead (tests/slack/test_write_lock.py).
@pytest.mark.parametrize("database_url", ["postgres"] if POSTGRES_URL else [], indirect=True)
async def test_a_slow_database_still_gets_an_answer_in_time_and_the_reply_follows(slack: SlackHarness,
                                                                                  database_url: str) -> None:
    async with write_lock_held(database_url):
        # Slack abandons a request it has no answer to after 3 s; so does this client.
        response = await slack.command("Better rota swaps", timeout=aiohttp.ClientTimeout(total=SLACK_ACK_TIMEOUT))
        reply = await response.json()

    assert reply["text"].startswith("Saving your idea")
    (late,) = await slack.fake.wait_for(lambda: slack.fake.of("response_url"))
    assert late["text"].startswith("Thanks, your idea #1 is in") and late["response_type"] == "ephemeral"
    assert await slack.idea_texts() == ["Better rota swaps"]
