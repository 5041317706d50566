"""Universal Actions: the idea card's Vote button is an Action.Execute; pressing it is an adaptiveCard/action
invoke answered with the refreshed card, a refusal is shown to the person who pressed, a retry counts once."""

from __future__ import annotations

import copy
import json
from typing import Any

from bot.app import RUNTIME
from bot.exports import idea_rows
from tests.teams.helpers import ROTAS, drain, payload, person

CARD = "application/vnd.microsoft.card.adaptive"


def vote_invoke(root: str, service_url: str, who: dict[str, str], activity_id: str) -> dict[str, Any]:
    body = payload("activity_card_vote", service_url, id=activity_id, **{"from": who})
    body.update(type="invoke", name="adaptiveCard/action", replyToId=root,
                value={"action": {"type": "Action.Execute", "verb": "vote", "data": {"crowdbot": "vote", "value": "1"}},
                       "trigger": "manual"})
    body["conversation"] = {**body["conversation"], "id": f"{ROTAS};messageid={root}"}
    return copy.deepcopy(body)


def votes_on(card: dict[str, Any]) -> str:
    (facts,) = [block for block in card["body"] if block["type"] == "FactSet"]
    return {fact["title"]: fact["value"] for fact in facts["facts"]}["Votes"]


async def invoke(client, body: dict[str, Any]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = await client.post("/api/messages", json=body)
    assert response.status == 200, await response.text()
    return json.loads(await response.text())


async def test_vote_through_action_execute_returns_the_refreshed_card(teams, connector) -> None:
    await teams.post("/api/messages", json=payload("activity_message_channel_mention", connector.url))
    await drain(teams)
    post = connector.sent[-1]
    (vote_button,) = post.activity["attachments"][0]["content"]["actions"]
    assert vote_button["type"] == "Action.Execute" and vote_button["verb"] == "vote"
    assert vote_button["fallback"]["type"] == "Action.Submit"  # older clients still vote
    assert post.activity["attachments"][0]["content"]["version"] == "1.5"
    root, sent_before = post.returned_id, len(connector.sent)

    first = await invoke(teams, vote_invoke(root, connector.url, person("bob"), "f:bob-execute"))
    assert first["statusCode"] == 200 and first["type"] == CARD
    assert votes_on(first["value"]) == "1"
    second = await invoke(teams, vote_invoke(root, connector.url, person("carol"), "f:carol-execute"))
    assert votes_on(second["value"]) == "2"
    retried = await invoke(teams, vote_invoke(root, connector.url, person("carol"), "f:carol-execute"))
    assert retried["type"] == "application/vnd.microsoft.activity.message"  # a retry changes nothing

    own = await invoke(teams, vote_invoke(root, connector.url, person("alice"), "f:alice-execute"))
    assert own["type"] == "application/vnd.microsoft.activity.message" and "your own idea" in own["value"]

    core = teams.app[RUNTIME].core
    async with core.db.transaction() as session:
        (row,) = await idea_rows(core, session)
    assert row["votes"] == 2
    assert len(connector.sent) == sent_before  # each press is answered in its invoke, nothing posted in the thread
