"""Per-person idea cards in Teams channels (Universal Actions): the post carries a refresh whose userIds are the
author and the backers, Teams' adaptiveCard/action invoke with the refresh verb gets the card as it is for the
person asking, and an anonymous author is never listed in the card everyone in the channel receives."""

from __future__ import annotations

import json
from typing import Any

from adapters.teams.render import REFRESH_USER_LIMIT, refresh_user_ids
from tests.teams.helpers import drain, payload, person
from tests.teams.test_universal_actions import CARD, invoke, vote_invoke


def refresh_invoke(root: str, service_url: str, who: dict[str, str], activity_id: str, number: int = 1
                   ) -> dict[str, Any]:
    body = vote_invoke(root, service_url, who, activity_id)
    body["value"] = {"action": {"type": "Action.Execute", "verb": "refresh",
                                "data": {"crowdbot": "refresh", "value": str(number)}}, "trigger": "automatic"}
    return body


def context_of(card: dict[str, Any]) -> str:
    return card["body"][-1]["text"]


async def test_the_post_refreshes_for_its_author_and_backers_each_seeing_their_own_card(teams, connector) -> None:
    await teams.post("/api/messages", json=payload("activity_message_channel_mention", connector.url))
    await drain(teams)
    post = connector.sent[-1]
    card = post.activity["attachments"][0]["content"]
    assert card["version"] == "1.5"
    assert card["refresh"]["action"]["type"] == "Action.Execute" and card["refresh"]["action"]["verb"] == "refresh"
    assert card["refresh"]["userIds"] == ["29:alice-bf-id"]  # the author, by the id Teams knows her by in cards
    root = post.returned_id

    voted = await invoke(teams, vote_invoke(root, connector.url, person("bob"), "f:bob-vote"))
    assert voted["type"] == CARD and context_of(voted["value"]) == "You back this idea."
    assert "actions" not in voted["value"]  # nothing left to press: the vote is counted
    await drain(teams)
    updated = connector.updated[-1].activity["attachments"][0]["content"]
    assert updated["refresh"]["userIds"] == ["29:alice-bf-id", "29:bob-bf-id"]
    assert "You back" not in json.dumps(updated)  # the card everyone sees says nothing about one person

    # Teams asks again each time the card is shown to someone listed: every ask is answered, none is "done".
    for attempt in range(2):
        mine = await invoke(teams, refresh_invoke(root, connector.url, person("alice"), "f:alice-refresh"))
        assert mine["statusCode"] == 200 and mine["type"] == CARD, (attempt, mine)
        assert context_of(mine["value"]) == "This is your idea."
    backed = await invoke(teams, refresh_invoke(root, connector.url, person("bob"), "f:bob-refresh"))
    assert context_of(backed["value"]) == "You back this idea."
    other = await invoke(teams, refresh_invoke(root, connector.url, person("carol"), "f:carol-refresh"))
    assert other["type"] == CARD and context_of(other["value"]).startswith("How to vote")
    assert [a["verb"] for a in other["value"]["actions"]] == ["vote"]
    assert all("refresh" not in answer["value"] for answer in (mine, backed, other))  # no refresh loops


async def test_a_decided_idea_tells_its_backer_how_it_was_decided(teams, connector) -> None:
    await teams.post("/api/messages", json=payload("activity_message_channel_mention", connector.url))
    await drain(teams)
    root = connector.sent[-1].returned_id
    await invoke(teams, vote_invoke(root, connector.url, person("bob"), "f:bob-vote"))
    manager = {"id": "29:cm-bf-id", "name": "Casey", "aadObjectId": "aad-cm"}
    decide = payload("activity_message_personal", connector.url, text="status #1 done Rolled out on every ward",
                     **{"from": manager})
    assert (await teams.post("/api/messages", json=decide)).status == 200

    backed = await invoke(teams, refresh_invoke(root, connector.url, person("bob"), "f:bob-after"))
    assert context_of(backed["value"]) == "You backed this idea; it is done."
    own = await invoke(teams, refresh_invoke(root, connector.url, person("alice"), "f:alice-after"))
    assert context_of(own["value"]) == "Your idea is done."


async def test_an_anonymous_author_is_never_listed_in_the_channel_card(teams, connector) -> None:
    # Her first idea, in the channel, lets the bot reach it; the second she shares anonymously from a 1:1 chat.
    await teams.post("/api/messages", json=payload("activity_message_channel_mention", connector.url))
    await drain(teams)
    assert (await teams.post("/api/messages", json=payload("activity_card_submit_idea", connector.url))).status == 200
    await drain(teams)
    (post,) = [sent for sent in connector.sent if sent.activity["attachments"][0]["content"].get("body")
               and "Shared rota calendar" in json.dumps(sent.activity)]
    card = post.activity["attachments"][0]["content"]
    assert "alice" not in json.dumps(card)
    assert "refresh" not in card  # nobody to list yet

    vote = vote_invoke(post.returned_id, connector.url, person("bob"), "f:bob-anon")
    vote["value"]["action"]["data"]["value"] = "2"
    assert (await invoke(teams, vote))["type"] == CARD
    await drain(teams)
    updated = connector.updated[-1].activity["attachments"][0]["content"]
    assert updated["refresh"]["userIds"] == ["29:bob-bf-id"]
    assert "alice" not in json.dumps(updated)
    # She still sees her own card when she asks (the answer reaches her alone).
    own = await invoke(teams, refresh_invoke(post.returned_id, connector.url, person("alice"), "f:alice-anon", 2))
    assert "only you see that it is yours" in context_of(own["value"])


def test_user_ids_are_teams_user_ids_only_and_capped_at_sixty() -> None:
    viewers = ["slack:U1", "teams:aad-x"] + [ref for n in range(80) for ref in (f"teams:aad-{n}", f"teams:29:{n}")]
    ids = refresh_user_ids(tuple(viewers))
    assert ids == [f"29:{n}" for n in range(REFRESH_USER_LIMIT)]

