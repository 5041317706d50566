"""The playground says private things only to the person, as the platforms do, and never shows an uncounted
reaction as a vote."""

from __future__ import annotations

import re
from html import escape

import pytest

from bot.app import RUNTIME, create_app
from bot.services.stats import campaign_figures
from tests.conftest import BACKENDS
from tests.factories import FixedClock
from tests.playground.helpers import OTHER, STAFF, act, open_stream, playground_config, post_recorded, post_with
from tests.sqlite_lock import write_lock_held


@pytest.fixture
async def client(aiohttp_client, database_url):
    return await aiohttp_client(create_app(playground_config(database_url), clock=FixedClock()))


async def submit(client, stream, text):
    status, answer = await act(client, "command", STAFF, text=f"/idea {text}")
    assert status == 200 and "your idea #" in answer["ephemeral"][0]
    event = await stream.next(post_with(escape(text.removeprefix("anon "))))
    await post_recorded(client.app[RUNTIME].core, event["id"])
    return event["id"]


async def votes(client) -> int:
    core = client.app[RUNTIME].core
    async with core.db.transaction() as session:
        return (await campaign_figures(core, session)).votes


async def test_own_reaction_on_an_anonymous_idea_is_warned_to_the_author_only(client) -> None:
    bystander = await open_stream(client, OTHER)
    post_id = await submit(client, bystander, "anon Managers cover lunch breaks")

    status, answer = await act(client, "reaction", STAFF, message=post_id, emoji="+1")

    assert status == 200 and answer["changed"] is False
    (warning,) = answer["ephemeral"]
    assert "your anonymous idea" in warning and "the playground shows your reaction to everyone" in warning.lower()
    seen = await bystander.next(lambda e: e.get("id") == post_id)
    assert "anonymous idea" not in seen["html"] and "<dt>Votes</dt><dd>0</dd>" in seen["html"]
    assert await votes(client) == 0


@pytest.mark.parametrize("database_url", [b for b in BACKENDS if b == "sqlite"], indirect=True)
async def test_a_reaction_the_bot_could_not_save_is_taken_back(client, database_url) -> None:
    stream = await open_stream(client, STAFF)
    post_id = await submit(client, stream, "Shared handover notes")

    async with write_lock_held(database_url):
        status, answer = await act(client, "reaction", OTHER, message=post_id, emoji="+1")

    # 503 as Slack and Teams are answered; the page still shows the message
    assert status == 503 and answer["added"] is False and "save that just now" in answer["ephemeral"][0]
    page = await (await client.get("/", params={"as": STAFF, "channel": "rotas"})).text()
    assert "(Alex Morgan)" not in page
    assert await votes(client) == 0


async def test_a_command_word_that_does_not_fit_is_asked_about_and_the_button_posts_it(client) -> None:
    bystander = await open_stream(client, OTHER)
    status, answer = await act(client, "command", STAFF, text="/idea top up the hand gel in every ward")
    assert status == 200 and answer["changed"] is True
    (asked,) = answer["ephemeral"]
    assert "A command or an idea?" in asked and 'data-action="post_idea"' in asked
    token = re.search(r'data-value="([^"]+)"', asked).group(1)  # type: ignore[union-attr]
    assert "hand gel" not in token

    status, answer = await act(client, "action", STAFF, message="", action="post_idea", value=token)
    assert status == 200 and "your idea #1 is in" in answer["ephemeral"][0]
    event = await bystander.next(post_with("top up the hand gel in every ward"))
    assert "A command or an idea?" not in event["html"]  # the question itself reached nobody else
