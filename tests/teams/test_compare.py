""""A or B?" in Teams over /api/messages and the fake connector: the pair card reaches the person in their 1:1
chat (also when they ask in a channel), and each Action.Execute press (an adaptiveCard/action invoke) stores the
answer and is answered with the next pair's card."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.app import RUNTIME
from storage.models import Comparison
from tests.teams.helpers import ROTAS, drain, payload, person, post_activity
from tests.teams.test_similar_ideas import card_actions, install_in_rotas, personal
from tests.teams.test_universal_actions import CARD, invoke

IDEAS = ("Self-rostering app for nurses", "Quiet room for breaks on every ward", "Hot food for the night team")


def compare_invoke(connector: Any, who: str, action: dict[str, Any], activity_id: str, reply_to: str
                   ) -> dict[str, Any]:
    body = payload("activity_message_personal", connector.url, id=activity_id, replyToId=reply_to,
                   **{"from": person(who)})
    body.update(type="invoke", name="adaptiveCard/action",
                value={"action": {"type": "Action.Execute", "verb": action["verb"], "data": action["data"]},
                       "trigger": "manual"})
    body["conversation"]["id"] = f"a:1on1-{who}"
    return body


async def answers(teams: Any) -> list[Comparison]:
    async with teams.app[RUNTIME].core.db.transaction() as session:
        return list((await session.execute(select(Comparison).order_by(Comparison.id))).scalars())


def buttons_of(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {action["title"]: action for action in card.get("actions", [])}


async def test_each_press_is_stored_and_answered_with_the_next_pair(teams, connector):
    await install_in_rotas(teams, connector)
    for number, text in enumerate(IDEAS):
        assert await post_activity(teams, personal(connector, "alice", text, f"a-{number}")) == 200
    await drain(teams)
    in_channel = len([s for s in connector.sent if s.conversation == ROTAS])

    before = len(connector.sent)
    assert await post_activity(teams, personal(connector, "bob", "compare", "b-1")) == 200
    (pair,) = connector.sent[before:]
    assert pair.conversation == "a:1on1-bob"
    actions = card_actions(pair.activity)
    assert set(actions) == {"A", "B", "Can't decide", "Stop"}
    assert actions["A"]["type"] == "Action.Execute" and actions["A"]["verb"] == "compare_a"
    assert "Alice" not in str(pair.activity)  # the author is not named

    first = await invoke(teams, compare_invoke(connector, "bob", actions["A"], "b-2", pair.returned_id))
    assert first["statusCode"] == 200 and first["type"] == CARD
    assert "Saved: you chose" in str(first["value"])
    following = buttons_of(first["value"])
    assert following["A"]["data"]["value"] != actions["A"]["data"]["value"]
    (row,) = await answers(teams)
    shown_a = int(actions["A"]["data"]["value"].split(":")[0])
    assert row.person_ref.startswith("teams:") and (row.idea_a_id if row.outcome == "a" else row.idea_b_id) == shown_a

    again = await invoke(teams, compare_invoke(connector, "bob", actions["A"], "b-3", pair.returned_id))
    assert again["type"] == "application/vnd.microsoft.activity.message" and "first answer counts" in again["value"]
    stop = await invoke(teams, compare_invoke(connector, "bob", following["Stop"], "b-4", pair.returned_id))
    assert stop["type"] == CARD and "1 answer in all" in str(stop["value"]) and not stop["value"].get("actions")
    assert len(await answers(teams)) == 1
    await drain(teams)
    assert len([s for s in connector.sent if s.conversation == ROTAS]) == in_channel  # nothing in the channel


async def test_asked_in_a_channel_the_pair_goes_to_the_1_1_chat(teams, connector):
    await install_in_rotas(teams, connector)
    for number, text in enumerate(IDEAS):
        assert await post_activity(teams, personal(connector, "alice", text, f"a-{number}")) == 200
    await drain(teams)
    before = len(connector.sent)
    mention = payload("activity_message_channel_mention", connector.url, id="c-1",
                      text="<at>Crowdbot</at> idea compare", **{"from": person("carol")})

    assert await post_activity(teams, mention) == 200
    await drain(teams)

    sent = connector.sent[before:]
    assert sent and all(s.conversation != ROTAS for s in sent)
    assert any("A or B?" in str(s.activity) for s in sent)
