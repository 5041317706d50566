"""Fika in the playground over HTTP: the round's introduction and the follow-ups arrive in each persona's
direct messages, and their buttons (share an idea, did you meet, stay in) work from there."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import RUNTIME, create_app
from storage.fika_models import FikaIdea, FikaMember, FikaPerson
from tests.factories import FixedClock
from tests.playground.helpers import CM, OTHER, STAFF, act, open_stream, playground_config

STARTED = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # a Monday, after the 09:00 round's grace period
FIKA = {"cron": "0 9 * * mon", "group_size": 2, "challenge": "rotas", "follow_up_after_days": 4}
BUTTON = re.compile(r'data-action="([^"]+)" data-value="([^"]*)">([^<]+)</button>')


@pytest.fixture
async def client(aiohttp_client: Any, database_url: str) -> Any:
    return await aiohttp_client(create_app(playground_config(database_url, fika=FIKA), clock=FixedClock(STARTED)))


def direct_with(text: str) -> Any:
    return lambda event: event["type"] == "direct" and text in unescape(event["html"])


def buttons(html: str) -> dict[str, tuple[str, str]]:
    """Label -> (action, value) of each button in a rendered message."""
    return {unescape(label): (action, unescape(value)) for action, value, label in BUTTON.findall(html)}


async def press(client: Any, persona: str, action: tuple[str, str]) -> dict[str, Any]:
    status, answer = await act(client, "action", persona, message="", action=action[0], value=action[1])
    assert status == 200, answer
    return answer


async def outcomes(client: Any) -> dict[str, str | None]:
    async with client.app[RUNTIME].core.db.transaction() as session:
        return dict((await session.execute(select(FikaMember.person_ref, FikaMember.outcome))).all())


async def test_a_round_the_idea_button_and_the_follow_up_work_from_the_direct_messages(client: Any) -> None:
    staff, other = await open_stream(client, STAFF), await open_stream(client, OTHER)
    for persona in (STAFF, OTHER):
        status, answer = await act(client, "command", persona, text="/idea fika on")
        assert status == 200 and "You're in fika" in unescape(answer["ephemeral"][0])
    status, answer = await act(client, "command", CM, text="/idea fika round")
    assert "Fika round 1: 2 people in 1 groups" in unescape(answer["ephemeral"][0])

    intro = (await staff.next(direct_with("Fika: meet")))["html"]
    assert f"Fika: meet {OTHER}" in unescape(intro) and "Q1?" in intro
    assert f"Fika: meet {STAFF}" in unescape((await other.next(direct_with("Fika: meet")))["html"])
    share = buttons(intro)["Share an idea from our chat"]

    # Someone outside the group pressing it opens nothing.
    refused = await press(client, CM, share)
    assert "wasn't yours" in unescape(refused["ephemeral"][0]) and "idea-form" not in refused["ephemeral"][0]
    form = (await press(client, STAFF, share))["ephemeral"][0]
    assert "idea-form" in form and f'name="source" value="fika:{share[1]}"' in form
    status, answer = await act(client, "form", STAFF, challenge="rotas", text="Swap shifts over coffee",
                               anonymous=False, source=f"fika:{share[1]}")
    assert status == 200 and "your idea #1 is in" in unescape(answer["ephemeral"][0])
    async with client.app[RUNTIME].core.db.transaction() as session:
        assert (await session.execute(select(FikaIdea.group_id))).scalars().all() == [int(share[1])]

    await client.app[RUNTIME].scheduler.fire("fika:follow-up", STARTED + timedelta(days=4))
    ask = (await staff.next(direct_with("Did you meet?")))["html"]
    choices = buttons(ask)
    assert list(choices) == ["Yes", "Not yet", "We can't"]
    thanks = await press(client, STAFF, choices["Yes"])
    assert "Thanks, noted: you met." in unescape(thanks["ephemeral"][0])
    assert await outcomes(client) == {f"playground:{STAFF}": "met", f"playground:{OTHER}": None}


async def test_the_silent_are_asked_to_stay_in_and_their_answer_is_kept(client: Any) -> None:
    staff = await open_stream(client, STAFF)
    for persona in (STAFF, OTHER):
        await act(client, "command", persona, text="/idea fika on")
    for _ in range(4):  # at the fourth round's follow-up, the three before it went unanswered
        status, _answer = await act(client, "command", CM, text="/idea fika round")
        assert status == 200
    await client.app[RUNTIME].scheduler.fire("fika:follow-up", STARTED + timedelta(days=4))

    question = (await staff.next(direct_with("Stay in fika?")))["html"]
    choices = buttons(question)
    assert list(choices) == ["Keep me in", "Take a break"]
    answer = await press(client, STAFF, choices["Take a break"])
    assert "You're out of fika for now" in unescape(answer["ephemeral"][0])
    async with client.app[RUNTIME].core.db.transaction() as session:
        person = await session.get(FikaPerson, f"playground:{STAFF}")
        assert person is not None and person.opted_in is False


async def test_a_form_source_that_is_not_text_is_refused(client: Any) -> None:
    status, answer = await act(client, "form", STAFF, challenge="rotas", text="An idea", anonymous=False,
                               source=["fika:1"])
    assert status == 400 and answer["error"] == "source must be text."


async def test_the_round_announcement_in_the_channel_lets_anyone_join_the_next_round(client: Any) -> None:
    channel = await open_stream(client, CM)
    for persona in (STAFF, OTHER):
        status, answer = await act(client, "command", persona, text="/idea fika on")
        assert status == 200
    await act(client, "command", CM, text="/idea fika round")
    announcement = await channel.next(lambda event: event["type"] == "post" and event["conversation"] == "rotas"
                                      and "Fika round 1" in unescape(event["html"]))
    html = unescape(announcement["html"])
    assert "2 people paired" in html and "Q1?" in html and STAFF not in html and OTHER not in html
    choices = buttons(announcement["html"])
    assert list(choices) == ["Join the next round", "Leave"]
    status, answer = await act(client, "action", CM, message=announcement["id"], action=choices[
        "Join the next round"][0], value=choices["Join the next round"][1])
    assert status == 200 and "You're in fika" in unescape(answer["ephemeral"][0])
    status, answer = await act(client, "command", CM, text="/idea fika round")
    assert "Fika round 2: 3 people in 1 groups" in unescape(answer["ephemeral"][0])
