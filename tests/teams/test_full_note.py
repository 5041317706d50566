"""Teams: a leaders' digest with twenty decisions whose notes run to 2,000 characters carries a "Read the full
note" Action.Execute beside each shortened note, within 80 KB; pressing one (an adaptiveCard/action invoke through
/api/messages) answers with a card holding that idea's whole note, for the presser only."""

from __future__ import annotations

import json
from typing import Any

import pytest

from adapters.teams.render import RECOMMENDED_BYTES, activity, escape, size
from bot.app import RUNTIME, create_app
from bot.digest import compose_digest
from storage import ideas as idea_store
from tests import largest
from tests.factories import FixedClock
from tests.teams.helpers import CM_AAD, LEADER_AAD, ROTAS, payload, teams_config
from tests.teams.test_sizes import card_problems
from tests.teams.test_universal_actions import CARD, invoke


@pytest.fixture
async def teams(aiohttp_client, database_url: str, connector):  # type: ignore[no-untyped-def]
    """The Teams harness with the largest campaign's limits (1,000-character ideas, 2,000-character notes)."""
    campaign = largest.largest_config().campaign.model_dump()
    return await aiohttp_client(create_app(teams_config(database_url, sections={"campaign": campaign}),
                                           clock=FixedClock()))


LEADER = {"id": "29:leader-bf-id", "name": "Lee Harper", "aadObjectId": LEADER_AAD}


def note_buttons(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    buttons = [action for element in card["body"] if element["type"] == "ActionSet"
               for action in element["actions"]]
    return {button["data"]["value"]: button for button in buttons if button["verb"] == "full_note"}


def press(button: dict[str, Any], service_url: str) -> dict[str, Any]:
    body = payload("activity_message_personal", service_url, id="f:leader-note", **{"from": LEADER})
    body.pop("text", None)
    body.update(type="invoke", name="adaptiveCard/action", replyToId="1700000999999",
                value={"action": {"type": "Action.Execute", "verb": button["verb"], "data": button["data"]},
                       "trigger": "manual"})
    return body


def texts_of(card: dict[str, Any]) -> str:
    return "\n".join(element["text"] for element in card["body"] if element["type"] == "TextBlock")


async def test_each_long_note_in_the_digest_opens_whole_in_a_card(teams, connector) -> None:
    runtime = teams.app[RUNTIME]
    core, clock = runtime.core, runtime.clock
    period = await largest.decide_many(runtime.bot, clock, manager=f"teams:{CM_AAD}", platform="teams",
                                       channel=ROTAS)
    async with core.db.transaction() as session:
        digest = await compose_digest(core, session, period, for_leaders=True)
    sent = activity(digest)
    assert size(sent) <= RECOMMENDED_BYTES
    card = sent["attachments"][0]["content"]
    assert card_problems(card) == []
    buttons = note_buttons(card)
    assert sorted(buttons, key=int) == [str(n) for n in range(6, 26)]
    assert all(button["type"] == "Action.Execute" and button["title"] == "Read the full note"
               for button in buttons.values())

    answer = await invoke(teams, press(buttons["12"], connector.url))

    assert answer["statusCode"] == 200 and answer["type"] == CARD
    note_card = answer["value"]
    assert card_problems(note_card) == [] and note_card["version"] == "1.5"
    async with core.db.transaction() as session:
        idea = await idea_store.get_idea(session, number=12)
        note = (await idea_store.last_decisions(session, idea_ids=[idea.id]))[idea.id].note
    assert len(note) > 1900 and escape(note) in texts_of(note_card)  # whole, escaped for card markdown
    assert "\\<night\\>" in texts_of(note_card)
    assert escape("Decision note on idea #12") in texts_of(note_card)
    assert len(json.dumps(answer).encode("utf-16-le")) <= RECOMMENDED_BYTES
    assert not [s for s in connector.sent if "Decision note" in json.dumps(s.activity)]  # answered in the invoke


async def test_a_note_button_for_an_idea_without_a_note_answers_plainly(teams, connector) -> None:
    await teams.post("/api/messages", json=payload("activity_message_channel_mention", connector.url))
    answer = await invoke(teams, press({"verb": "full_note", "data": {"crowdbot": "full_note", "value": "1"}},
                                       connector.url))
    assert answer["type"] == "application/vnd.microsoft.activity.message"
    assert "has no decision note yet" in answer["value"]
