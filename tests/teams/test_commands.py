"""Commands over HTTP: a 1:1 message and a channel @mention run the grammar; answers reach the connector."""

from __future__ import annotations

import re

from bot.app import RUNTIME
from storage import ideas as idea_store
from tests.teams.helpers import ROTAS, drain, payload, post_activity


def card_texts(activity: dict) -> str:
    card = activity["attachments"][0]["content"]
    return "\n".join(str(block.get("text", "")) for block in card["body"])


async def test_channel_mention_submits_the_idea_and_posts_its_card(teams, connector):
    body = payload("activity_message_channel_mention", connector.url)
    assert await post_activity(teams, body) == 200
    core = teams.app[RUNTIME].core
    async with core.db.transaction() as session:
        (idea,) = await idea_store.all_ideas(session)
    assert idea.text == "Rota swaps should be bookable in the app"
    assert idea.challenge_key == "rotas" and idea.author_ref == "teams:aad-alice"
    # The confirmation reaches alice alone, in the 1:1 chat the bot opens with her; the channel gets nothing.
    (created,) = connector.created
    assert created["members"] == [{"id": "29:alice-bf-id"}] and created["tenantID"] == "tenant-1"
    (answer,) = connector.sent
    assert answer.conversation == "a:1on1-29:alice-bf-id"
    assert "#1" in card_texts(answer.activity)
    await drain(teams)
    post = connector.sent[-1]
    assert post.conversation == ROTAS
    assert "Rota swaps should be bookable in the app" in card_texts(post.activity)
    assert post.activity["attachments"][0]["content"]["actions"][0]["data"] == {"crowdbot": "vote", "value": "1"}


async def test_personal_message_runs_a_command_without_the_idea_word(teams, connector):
    assert await post_activity(teams, payload("activity_message_personal", connector.url, text="idea help")) == 200
    (answer,) = connector.sent
    assert answer.conversation == "a:1on1-alice"
    assert "top" in card_texts(answer.activity)


async def test_idea_with_no_text_opens_the_form_card(teams, connector):
    assert await post_activity(teams, payload("activity_message_personal", connector.url, text="idea")) == 200
    (answer,) = connector.sent
    card = answer.activity["attachments"][0]["content"]
    inputs = {block["id"]: block for block in card["body"] if block["type"].startswith("Input.")}
    assert inputs["challenge"]["type"] == "Input.ChoiceSet"
    assert [c["value"] for c in inputs["challenge"]["choices"]] == ["rotas", "breaks"]
    assert inputs["idea"]["isMultiline"] is True and inputs["idea"]["maxLength"] == 200
    assert inputs["anonymous"]["type"] == "Input.Toggle"
    assert card["actions"][0]["data"] == {"crowdbot": "submit_idea"}


async def test_form_submission_stores_the_idea_and_replaces_the_form(teams, connector):
    body = payload("activity_card_submit_idea", connector.url)
    assert await post_activity(teams, body) == 200
    assert await post_activity(teams, body) == 200  # a retried activity: counted once
    core = teams.app[RUNTIME].core
    async with core.db.transaction() as session:
        (idea,) = await idea_store.all_ideas(session)
    assert (idea.text, idea.challenge_key, idea.anonymous) == ("Shared rota calendar", "rotas", True)
    (replaced,) = connector.updated
    assert replaced.activity_id == "FORM" and "#1" in card_texts(replaced.activity)


async def test_bad_input_gets_a_specific_message_and_stores_nothing(teams, connector):
    body = payload("activity_message_personal", connector.url, text="idea " + "x" * 201)
    assert await post_activity(teams, body) == 200
    (answer,) = connector.sent
    assert "200" in card_texts(answer.activity)
    async with teams.app[RUNTIME].core.db.transaction() as session:
        assert await idea_store.all_ideas(session) == []


async def test_user_text_cannot_inject_mentions_or_markup(teams, connector):
    text = "<at>Everyone</at> **urgent** [click](http://evil.example)"
    body = payload("activity_message_channel_mention", connector.url,
                   text=f"<at>Crowdbot</at> idea {text}")
    assert await post_activity(teams, body) == 200
    await drain(teams)
    post = connector.sent[-1].activity
    rendered = card_texts(post)
    # Every character the card markdown would read (tags, emphasis, link brackets) arrives backslash-escaped.
    assert re.findall(r"(?<!\\)[<>*\[\]]", rendered) == []
    assert "\\<at\\>Everyone\\</at\\> \\*\\*urgent\\*\\* \\[click\\](http://evil.example)" in rendered
    assert "entities" not in post or not post["entities"]
