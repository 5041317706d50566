"""Playground personas are shown by their names on posts, the dashboard and the digest; an anonymous author is
named nowhere, and the name is stored once like any platform's (the displayname table)."""

from __future__ import annotations

import json

import pytest

from bot.app import RUNTIME, create_app
from storage import display_names
from tests.factories import harness_clock
from tests.playground.helpers import CM, OTHER, STAFF, act, open_stream, playground_config, post_recorded


@pytest.fixture
async def client(aiohttp_client, database_url):
    return await aiohttp_client(create_app(playground_config(database_url), clock=harness_clock()))


async def test_personas_are_named_on_posts_dashboard_and_digest_but_anonymous_authors_never(client) -> None:
    stream = await open_stream(client, STAFF)
    status, answer = await act(client, "command", STAFF, text="/idea Shared handover notes")
    assert status == 200
    named = await stream.next(lambda e: e["type"] == "post" and "Shared handover notes" in e["html"])
    assert f"<dt>By</dt><dd>{STAFF}</dd>" in named["html"]
    status, answer = await act(client, "form", OTHER, challenge="rotas", text="Quiet rooms at night", anonymous=True)
    assert status == 200 and "anonymously" in answer["ephemeral"][0]
    hidden = await stream.next(lambda e: e["type"] == "post" and "Quiet rooms at night" in e["html"])
    assert "<dd>anonymous</dd>" in hidden["html"] and OTHER not in hidden["html"]
    core = client.app[RUNTIME].core
    await post_recorded(core, hidden["id"])

    async with core.db.transaction() as session:
        stored = await display_names.names_of(session, refs={f"playground:{STAFF}", f"playground:{OTHER}"})
    assert stored[f"playground:{STAFF}"] == STAFF  # from the persona, as Teams' from.name

    dashboard = await (await client.get("/dashboard")).text()
    assert f'<td class="author">{STAFF}</td>' in dashboard and '<td class="author">anonymous</td>' in dashboard
    assert OTHER not in dashboard

    status, digest = await act(client, "command", CM, text="/idea digest preview")
    assert status == 200
    shown = json.dumps(digest)
    assert f"(by {STAFF})" in shown and "(by anonymous)" in shown and OTHER not in shown
