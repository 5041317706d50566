""""A or B?" in the playground: the pair appears in the person's private panel only, each button press stores the
answer and brings the next pair, and top --by preference ranks by the answers."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.app import RUNTIME, create_app
from storage.models import Comparison
from tests.factories import FixedClock
from tests.playground.helpers import OTHER, STAFF, act, playground_config

IDEAS = ("Self-rostering app for nurses", "Quiet room for breaks on every ward", "Hot food for the night team")
BUTTON = re.compile(r'data-action="(compare_[a-z]+)" data-value="([^"]+)">([^<]+)</button>')


@pytest.fixture
async def client(aiohttp_client, database_url):
    return await aiohttp_client(create_app(playground_config(database_url), clock=FixedClock()))


def buttons(html: str) -> dict[str, tuple[str, str]]:
    return {label.replace("&#x27;", "'"): (action, value) for action, value, label in BUTTON.findall(html)}


async def test_compare_in_the_private_panel_stores_answers(client) -> None:
    for text in IDEAS:
        status, answer = await act(client, "command", STAFF, text=f"/idea {text}")
        assert status == 200 and "your idea #" in answer["ephemeral"][0]

    status, answer = await act(client, "command", OTHER, text="/idea compare")
    assert status == 200
    (pair,) = answer["ephemeral"]
    choices = buttons(pair)
    assert set(choices) == {"A", "B", "Can't decide", "Stop"} and STAFF not in pair
    action, value = choices["B"]

    status, answer = await act(client, "action", OTHER, action=action, value=value)

    assert status == 200 and answer["changed"] is True
    (following,) = answer["ephemeral"]
    chosen = value.split(":")[1]
    assert f"Saved: you chose #{chosen}" in following and buttons(following)["A"][1] != value
    core = client.app[RUNTIME].core
    async with core.db.transaction() as session:
        (row,) = (await session.execute(select(Comparison))).scalars()
    assert row.person_ref == f"playground:{OTHER}"
    assert str(row.idea_a_id if row.outcome == "a" else row.idea_b_id) == chosen  # ids are the numbers here

    status, answer = await act(client, "command", STAFF, text="/idea top --by preference")
    assert status == 200 and re.search(rf"#{chosen} [^<]*score \d+ of 100 from 1 comparison", answer["ephemeral"][0])


async def test_a_malformed_pair_is_refused_with_nothing_stored(client) -> None:
    for text in IDEAS:
        await act(client, "command", STAFF, text=f"/idea {text}")
    status, answer = await act(client, "action", OTHER, action="compare_a", value="1:2:3")
    assert status == 200 and answer["changed"] is False and "no longer open" in answer["ephemeral"][0]


async def test_the_dashboard_shows_the_score_beside_the_votes(client) -> None:
    for text in IDEAS:
        await act(client, "command", STAFF, text=f"/idea {text}")
    _, answer = await act(client, "command", OTHER, text="/idea compare")
    for _ in range(3):  # three ideas: three pairs, A each time
        action, value = buttons(answer["ephemeral"][0])["A"]
        _, answer = await act(client, "action", OTHER, action=action, value=value)
    assert "You have answered every pair" in answer["ephemeral"][0]

    page = await (await client.get("/dashboard")).text()

    header = re.search(r'<th scope="col" class="num">Votes</th>(.*?)</th>', page, re.S)
    assert header and ">Preference</abbr>" in header[1]
    rows = re.findall(r'<tr><td class="num">#(\d+)</td>.*?<td class="num">(\d+)</td><td class="num">(\d+) '
                      r'<span class="muted">\((\d+) comparisons?\)</span></td>', page, re.S)
    assert {number for number, *_ in rows} == {"1", "2", "3"}
    assert all(count == "2" for *_, count in rows)  # each idea was in two of the three answers
