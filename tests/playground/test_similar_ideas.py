"""'Is your idea one of these?' in the playground: the question only the author sees, its buttons over HTTP."""

from __future__ import annotations

import re

import pytest

from bot.app import RUNTIME, create_app
from bot.services.stats import campaign_figures
from storage.database import Database
from storage.ideas import create_idea
from tests.core.test_similar_warm import RECENT_TEXTS, statements
from tests.factories import SIMILAR_IDEAS_ON, harness_clock
from tests.playground.helpers import OTHER, STAFF, act, open_stream, playground_config, post_recorded, post_with

FIRST = "A quiet rest room on every ward where staff can have a break away from patients"
BUTTON = re.compile(r'data-action="(similar_[a-z_0-9]+)" data-value="([^"]+)">([^<]+)</button>')


@pytest.fixture
async def client(aiohttp_client, database_url):
    return await aiohttp_client(create_app(playground_config(database_url, **SIMILAR_IDEAS_ON), clock=harness_clock()))


def choices(html: str) -> dict[str, tuple[str, str]]:
    return {label: (action, value) for action, value, label in BUTTON.findall(html)}


async def ask(client, persona: str, text: str) -> dict[str, tuple[str, str]]:
    status, answer = await act(client, "command", persona, channel="breaks", text=f"/idea {text}")
    assert status == 200 and "Is your idea one of these?" in answer["ephemeral"][0]
    return choices(answer["ephemeral"][0])


async def press(client, persona: str, button: tuple[str, str]) -> str:
    """Presses a button of a private reply; returns the private answer."""
    action, value = button
    status, answer = await act(client, "action", persona, channel="breaks", message="", action=action, value=value)
    assert status == 200
    return answer["ephemeral"][0]


async def post_first(client):  # type: ignore[no-untyped-def]
    """FIRST, posted by STAFF and delivered; returns STAFF's event stream."""
    stream = await open_stream(client, STAFF)
    await act(client, "command", STAFF, channel="breaks", text=f"/idea {FIRST}")
    await post_recorded(client.app[RUNTIME].core, (await stream.next(post_with("quiet rest room")))["id"])
    return stream


async def figures(client) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    core = client.app[RUNTIME].core
    async with core.db.transaction() as session:
        found = await campaign_figures(core, session)
    return found.ideas, found.votes, found.comments


async def test_back_and_post_anyway_from_the_private_reply(client) -> None:
    stream = await post_first(client)

    buttons = await ask(client, OTHER, "Every ward needs a quiet room for staff breaks, with a kettle")
    assert set(buttons) == {"Back #1", "Post mine anyway"}

    assert "you backed #1" in await press(client, OTHER, buttons["Back #1"])
    assert await figures(client) == (1, 1, 1)

    button = (await ask(client, "Jo Williams", "Quiet break room on each ward"))["Post mine anyway"]
    assert "your idea #2 is in" in await press(client, "Jo Williams", button)
    await stream.next(post_with("Quiet break room on each ward"))


async def test_the_first_submission_after_startup_finds_the_letters_already_learnt(aiohttp_client, database_url
                                                                                   ) -> None:
    db = Database(database_url)
    async with db.transaction() as session:
        await create_idea(session, number=1, challenge_key="breaks", text=FIRST, author_ref=f"playground:{STAFF}",
                          anonymous=False, now=harness_clock()())
    await db.dispose()
    client = await aiohttp_client(create_app(playground_config(database_url, **SIMILAR_IDEAS_ON),
                                             clock=harness_clock()))

    with statements(client.app[RUNTIME].core.db) as sent:
        await ask(client, OTHER, "Every ward needs a quiet room for staff breaks, with a kettle")
    assert not [statement for statement in sent if RECENT_TEXTS in statement]  # learnt at startup, not now


async def test_post_as_idea_asks_about_similar_ideas_first(client) -> None:
    await post_first(client)
    status, answer = await act(client, "command", OTHER, channel="breaks",
                               text="/idea help staff find a quiet rest room on every ward for their breaks")
    (asked,) = answer["ephemeral"]
    assert "A command or an idea?" in asked
    token = re.search(r'data-action="post_idea" data-value="([^"]+)"', asked).group(1)  # type: ignore[union-attr]

    similar = await press(client, OTHER, ("post_idea", token))

    assert "Is your idea one of these?" in similar and await figures(client) == (1, 0, 0)
    buttons = choices(similar)
    assert set(buttons) == {"Back #1", "Post mine anyway"}
    assert "you backed #1" in await press(client, OTHER, buttons["Back #1"])
    assert (await figures(client))[:2] == (1, 1)


async def test_erasing_a_backer_blanks_their_words_in_the_thread(aiohttp_client, database_url) -> None:
    config = playground_config(database_url, **SIMILAR_IDEAS_ON, data_protection={"erasure": "delete"})
    client = await aiohttp_client(create_app(config, clock=harness_clock()))
    stream = await post_first(client)
    buttons = await ask(client, OTHER, "Every ward needs a quiet room for staff breaks, with a kettle")
    await press(client, OTHER, buttons["Back #1"])
    copied = await stream.next(post_with("with a kettle"))

    status, answer = await act(client, "command", OTHER, channel="breaks", text="/idea forget me confirm")
    assert status == 200, answer

    blanked = await stream.next(lambda event: event["type"] == "post" and event["id"] == copied["id"]
                                and "removed at its author" in event["html"])
    assert "with a kettle" not in blanked["html"] and "quiet rest room" in blanked["html"]
