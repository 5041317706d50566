"""The playground over HTTP: a shortened decision note in `mine` and in the digest preview has a "Read the full
note" button; pressing it answers the presser alone with the whole note, escaped."""

from __future__ import annotations

import re
from html import escape, unescape

import pytest

from bot.app import create_app
from tests.factories import harness_clock
from tests.largest import words
from tests.playground.helpers import CM, OTHER, STAFF, act, playground_config

NOTE = words(2000, 3)  # has "R&D" and "<night>" in it


@pytest.fixture
async def client(aiohttp_client, database_url):
    app = create_app(playground_config(database_url), clock=harness_clock())
    return await aiohttp_client(app)


def note_buttons(html: str) -> list[str]:
    return re.findall(r'<button type="button" class="msg-action" data-action="full_note" data-value="(\d+)">', html)


async def test_the_full_note_is_one_click_away_and_only_for_the_presser(client) -> None:
    status, answer = await act(client, "command", STAFF, text="/idea Quiet rooms for night staff")
    assert status == 200
    status, answer = await act(client, "command", CM, text=f"/idea status #1 done {NOTE}")
    assert status == 200 and "is now done" in answer["ephemeral"][0]

    status, answer = await act(client, "command", STAFF, text="/idea mine")
    assert status == 200
    (mine,) = answer["ephemeral"]
    assert note_buttons(mine) == ["1"] and "Read the full note" in mine
    assert escape(NOTE) not in mine  # shortened there

    status, preview = await act(client, "command", CM, text="/idea digest preview")
    assert status == 200 and note_buttons("".join(preview["ephemeral"])) == ["1"]

    status, shown = await act(client, "action", OTHER, action="full_note", value="1")
    assert status == 200
    (note,) = shown["ephemeral"]
    assert escape(NOTE) in note and "&lt;night&gt;" in note and "<night>" not in note
    assert "Decision note on idea #1" in unescape(note)
    assert shown["changed"] is False  # an answer to the presser alone (the JSON reply), nothing stored or posted


async def test_a_note_button_with_a_bad_number_is_refused_clearly(client) -> None:
    status, shown = await act(client, "action", OTHER, action="full_note", value="99")
    assert status == 200 and "There is no idea #99" in shown["ephemeral"][0]
