"""'Is your idea one of these?' in Teams, over /api/messages and the fake connector: a card to that person only,
Back #N (one vote, the comment) and Post mine anyway."""

from __future__ import annotations

from typing import Any

import pytest

from bot.app import RUNTIME, create_app
from bot.exports import idea_rows
from tests.factories import SIMILAR_IDEAS_ON, FixedClock
from tests.teams.helpers import ROTAS, drain, payload, person, post_activity, teams_config

FIRST = "Let nurses swap shifts through an app instead of the paper book at the nurses' station"


@pytest.fixture
async def teams(aiohttp_client, database_url: str, connector: Any) -> Any:  # type: ignore[no-untyped-def]
    """The usual Teams harness with the similar-ideas check on."""
    return await aiohttp_client(create_app(teams_config(database_url, sections=SIMILAR_IDEAS_ON), clock=FixedClock()))


def personal(connector: Any, who: str, text: str, activity_id: str) -> dict[str, Any]:
    body = payload("activity_message_personal", connector.url, id=activity_id, text=f"idea {text}",
                   **{"from": person(who)})
    body["conversation"]["id"] = f"a:1on1-{who}"
    return body


def card_choice(connector: Any, who: str, action: dict[str, Any], activity_id: str, reply_to: str
                ) -> dict[str, Any]:
    body = payload("activity_message_personal", connector.url, id=activity_id, text="", replyToId=reply_to,
                   value=action["data"], **{"from": person(who)})
    body["conversation"]["id"] = f"a:1on1-{who}"
    return body


def card_actions(activity: dict[str, Any]) -> dict[str, dict[str, Any]]:
    card = activity["attachments"][0]["content"]
    return {action["title"]: action for action in card.get("actions", [])}


async def rows(teams: Any) -> list[dict[str, object]]:
    core = teams.app[RUNTIME].core
    async with core.db.transaction() as session:
        return await idea_rows(core, session)


async def install_in_rotas(teams: Any, connector: Any) -> None:
    install = payload("activity_conversation_update_bot_added", connector.url)
    install["conversation"]["id"] = ROTAS
    install["channelData"]["team"]["id"] = install["channelData"]["channel"]["id"] = ROTAS
    assert await post_activity(teams, install) == 200


async def ask(teams: Any, connector: Any, who: str, text: str, activity_id: str) -> Any:
    before = len(connector.sent)
    assert await post_activity(teams, personal(connector, who, text, activity_id)) == 200
    (prompt,) = connector.sent[before:]
    return prompt


async def test_back_adds_one_vote_and_the_comment_and_posts_nothing_new(teams, connector):
    await install_in_rotas(teams, connector)
    assert await post_activity(teams, personal(connector, "alice", FIRST, "a-1")) == 200
    await drain(teams)
    channel_posts = [s for s in connector.sent if s.conversation == ROTAS]
    assert len(channel_posts) == 1

    prompt = await ask(teams, connector, "bob", "An app for swapping shifts, with a reminder the day before", "b-1")

    assert prompt.conversation == "a:1on1-bob"  # to that person only
    assert "Is your idea one of these?" in str(prompt.activity)
    actions = card_actions(prompt.activity)
    assert set(actions) == {"Back #1", "Post mine anyway"}
    back = card_choice(connector, "bob", actions["Back #1"], "b-2", prompt.returned_id)
    assert await post_activity(teams, back) == 200
    assert await post_activity(teams, {**back, "id": "b-3"}) == 200  # pressed again
    await drain(teams)

    (row,) = await rows(teams)
    assert (row["votes"], row["comments"]) == (1, 1)
    answers = [str(s.activity) for s in connector.sent if s.conversation == "a:1on1-bob"][1:]
    assert "you backed #1" in answers[0] and "You already chose" in answers[1]
    assert len([s for s in connector.sent if s.conversation == ROTAS]) == 1  # no second idea card


async def test_post_mine_anyway_posts_the_idea_card(teams, connector):
    await install_in_rotas(teams, connector)
    assert await post_activity(teams, personal(connector, "alice", FIRST, "a-1")) == 200
    await drain(teams)
    prompt = await ask(teams, connector, "carol", "A phone app for swapping shifts instead of the paper book", "c-1")

    choice = card_choice(connector, "carol", card_actions(prompt.activity)["Post mine anyway"], "c-2",
                         prompt.returned_id)
    assert await post_activity(teams, choice) == 200
    await drain(teams)

    assert [r["number"] for r in await rows(teams)] == [1, 2]
    cards = [s for s in connector.sent if s.conversation == ROTAS]
    assert len(cards) == 2 and "A phone app for swapping shifts" in str(cards[1].activity)
    assert "your idea #2 is in" in str([s.activity for s in connector.sent if s.conversation == "a:1on1-carol"])


async def test_post_mine_anyway_pressed_as_action_execute_posts_the_idea(teams, connector):
    # Current Teams clients send every button as an adaptiveCard/action invoke with the button's verb; only
    # clients without Action.Execute fall back to the message submit tested above.
    from tests.teams.test_compare import compare_invoke
    from tests.teams.test_universal_actions import invoke

    await install_in_rotas(teams, connector)
    assert await post_activity(teams, personal(connector, "alice", FIRST, "a-1")) == 200
    await drain(teams)
    prompt = await ask(teams, connector, "carol", "A phone app for swapping shifts instead of the paper book", "c-1")

    button = card_actions(prompt.activity)["Post mine anyway"]
    answer = await invoke(teams, compare_invoke(connector, "carol", button, "c-2", prompt.returned_id))
    await drain(teams)

    assert "not available" not in str(answer)
    assert [r["number"] for r in await rows(teams)] == [1, 2]
    assert len([s for s in connector.sent if s.conversation == ROTAS]) == 2


async def command_or_idea_after_first(teams: Any, connector: Any) -> Any:
    """FIRST posted by alice; bob's "A command or an idea?" question about a text like it."""
    await install_in_rotas(teams, connector)
    assert await post_activity(teams, personal(connector, "alice", FIRST, "a-1")) == 200
    await drain(teams)
    return await ask(teams, connector, "bob", "help nurses swap shifts through an app instead of the paper book",
                     "b-1")


async def test_post_as_idea_asks_about_similar_ideas_first(teams, connector):
    question = await command_or_idea_after_first(teams, connector)
    assert "A command or an idea?" in str(question.activity)

    before = len(connector.sent)
    press = card_choice(connector, "bob", card_actions(question.activity)["Post as idea"], "b-2", question.returned_id)
    assert await post_activity(teams, press) == 200
    (prompt,) = connector.sent[before:]

    assert prompt.conversation == "a:1on1-bob" and "Is your idea one of these?" in str(prompt.activity)
    actions = card_actions(prompt.activity)
    assert set(actions) == {"Back #1", "Post mine anyway"}
    await drain(teams)
    assert [r["number"] for r in await rows(teams)] == [1]  # nothing posted while the person decides

    back = card_choice(connector, "bob", actions["Back #1"], "b-3", prompt.returned_id)
    assert await post_activity(teams, back) == 200
    await drain(teams)

    (row,) = await rows(teams)
    assert row["votes"] == 1
    answers = [str(s.activity) for s in connector.sent if s.conversation == "a:1on1-bob"]
    assert "you backed #1; your vote is counted" in answers[-1]
    assert len([s for s in connector.sent if s.conversation == ROTAS]) == 1  # no second idea card


async def test_post_as_idea_pressed_as_action_execute_shows_the_question_with_its_buttons(teams, connector):
    # Imported here: tests.teams.test_compare imports this module's helpers, so a top-level import would be circular.
    from tests.teams.test_compare import compare_invoke
    from tests.teams.test_universal_actions import invoke

    question = await command_or_idea_after_first(teams, connector)

    button = card_actions(question.activity)["Post as idea"]
    answer = await invoke(teams, compare_invoke(connector, "bob", button, "b-2", question.returned_id))

    assert answer["type"] == "application/vnd.microsoft.card.adaptive", answer  # the question card, replaced
    actions = {action["title"]: action for action in answer["value"].get("actions", [])}
    assert set(actions) == {"Back #1", "Post mine anyway"}
    backed = await invoke(teams, compare_invoke(connector, "bob", actions["Back #1"], "b-3", question.returned_id))
    (row,) = await rows(teams)
    assert row["votes"] == 1
    # The answer replaces the question card, so its buttons cannot be pressed again by mistake (as on Slack).
    assert backed["type"] == "application/vnd.microsoft.card.adaptive", backed
    assert "your vote is counted" in str(backed["value"]) and not backed["value"].get("actions")


async def test_erasing_a_backer_blanks_their_words_in_the_thread(aiohttp_client, database_url: str, connector):
    """The copy of what bob added, posted by the bot as a reply in #1's thread, is updated in that thread's
    conversation when bob is erased with `erasure: delete`."""
    sections = {**SIMILAR_IDEAS_ON, "data_protection": {"erasure": "delete"}}
    teams = await aiohttp_client(create_app(teams_config(database_url, sections=sections), clock=FixedClock()))
    await install_in_rotas(teams, connector)
    assert await post_activity(teams, personal(connector, "alice", FIRST, "a-1")) == 200
    await drain(teams)
    (card,) = [s for s in connector.sent if s.conversation == ROTAS]
    prompt = await ask(teams, connector, "bob", "An app for swapping shifts, with a reminder the day before", "b-1")
    back = card_choice(connector, "bob", card_actions(prompt.activity)["Back #1"], "b-2", prompt.returned_id)
    assert await post_activity(teams, back) == 200
    await drain(teams)
    thread = f"{ROTAS};messageid={card.returned_id}"
    (copy,) = [s for s in connector.sent if s.conversation == thread]
    assert "reminder the day before" in str(copy.activity)

    forget = personal(connector, "bob", "", "b-3")
    forget["text"] = "forget me confirm"
    assert await post_activity(teams, forget) == 200
    await drain(teams)

    blanked = [u for u in connector.updated if u.activity_id == copy.returned_id]
    assert len(blanked) == 1 and blanked[0].conversation == thread
    assert "removed at its author" in str(blanked[0].activity)
    assert "reminder the day before" not in str(blanked[0].activity)
