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


async def ask(client, persona: str, text: str) -> dict[str, tuple[str, str]]:
    status, answer = await act(client, "command", persona, channel="breaks", text=f"/idea {text}")
    assert status == 200 and "Is your idea one of these?" in answer["ephemeral"][0]
    return {label: (action, value) for action, value, label in BUTTON.findall(answer["ephemeral"][0])}


async def test_back_and_post_anyway_from_the_private_reply(client) -> None:
    stream = await open_stream(client, STAFF)
    status, _ = await act(client, "command", STAFF, channel="breaks", text=f"/idea {FIRST}")
    await post_recorded(client.app[RUNTIME].core, (await stream.next(post_with("quiet rest room")))["id"])

    buttons = await ask(client, OTHER, "Every ward needs a quiet room for staff breaks, with a kettle")
    assert set(buttons) == {"Back #1", "Post mine anyway"}
    action, value = buttons["Back #1"]
    status, answer = await act(client, "action", OTHER, channel="breaks", message="", action=action, value=value)

    assert status == 200 and "you backed #1" in answer["ephemeral"][0]
    core = client.app[RUNTIME].core
    async with core.db.transaction() as session:
        figures = await campaign_figures(core, session)
    assert (figures.ideas, figures.votes, figures.comments) == (1, 1, 1)

    action, value = (await ask(client, "Jo Williams", "Quiet break room on each ward"))["Post mine anyway"]
    status, answer = await act(client, "action", "Jo Williams", channel="breaks", message="", action=action,
                               value=value)
    assert "your idea #2 is in" in answer["ephemeral"][0]
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
