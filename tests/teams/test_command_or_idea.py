"""Teams over /api/messages: a command word that does not fit is asked about in the 1:1 chat, and the card's
Post as idea button (an Action.Submit carrying only a token) posts it to the challenge's channel."""

from __future__ import annotations

from bot.app import RUNTIME
from storage import ideas as idea_store
from tests.teams.helpers import ROTAS, drain, payload, post_activity


def card_of(activity: dict) -> dict:
    return activity["attachments"][0]["content"]


async def test_the_question_and_its_button_work_over_the_bot_framework(teams, connector) -> None:
    # Installed in the team, so the bot can post to the challenge's channel.
    assert await post_activity(teams, payload("activity_conversation_update_bot_added", connector.url)) == 200
    typed = payload("activity_message_personal", connector.url, text="idea mine <at>Bob</at> too")
    assert await post_activity(teams, typed) == 200
    (question,) = connector.sent
    assert question.conversation == "a:1on1-alice"
    card = card_of(question.activity)
    assert "A command or an idea?" in card["body"][0]["text"]
    (button,) = card["actions"]
    assert button["title"] == "Post as idea" and button["data"]["crowdbot"] == "post_idea"
    token = button["data"]["value"]
    assert "mine" not in token and "Bob" not in token

    press = payload("activity_card_submit_idea", connector.url, id="1700000100077", replyToId=question.returned_id,
                    value={"crowdbot": "post_idea", "value": token})
    assert await post_activity(teams, press) == 200
    confirmation = connector.sent[-1]
    assert confirmation.conversation == "a:1on1-alice"
    assert card_of(confirmation.activity)["body"][0]["text"].startswith("Thanks, your idea \\#1 is in")
    core = teams.app[RUNTIME].core
    async with core.db.transaction() as session:
        (idea,) = await idea_store.all_ideas(session)
    assert (idea.text, idea.author_ref, idea.challenge_key) == ("mine <at>Bob</at> too", "teams:aad-alice", "rotas")

    await drain(teams)
    post = connector.sent[-1]
    assert post.conversation == ROTAS
    assert card_of(post.activity)["body"][1]["text"] == "mine \\<at\\>Bob\\</at\\> too"  # escaped: notifies nobody
