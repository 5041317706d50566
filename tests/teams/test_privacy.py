"""In a Teams channel or group chat the bot posts only new ideas' cards; every answer to a person reaches them
alone, in a 1:1 chat the bot opens itself, or (when it cannot) as a neutral line that names nothing."""

from __future__ import annotations

import pytest

from bot.app import RUNTIME
from bot.compose import ANONYMITY_LIMITS
from storage import ideas as idea_store
from tests.teams.fake_connector import FakeConnector, Recorded
from tests.teams.helpers import ROTAS, drain, in_thread, payload, post_activity

ALICE_CHAT = "a:1on1-29:alice-bf-id"
GROUP = "19:d1c2b3a4group@thread.v2"
IDEA = "Rota swaps should be bookable in the app"


def text_of(sent: Recorded) -> str:
    """The card's text as people read it (without the markdown escapes)."""
    return str(sent.activity["attachments"][0]["content"]).replace("\\\\", "")


def in_channel(connector: FakeConnector) -> list[Recorded]:
    """What the bot posted where others read it: the channel, its threads, the group chat."""
    return [s for s in connector.sent if not s.conversation.startswith("a:")]


def mention(connector: FakeConnector, command: str, **overrides: object) -> dict:
    return payload("activity_message_channel_mention", connector.url, text=f"<at>Crowdbot</at> idea {command}",
                   **overrides)


def group_chat(body: dict) -> dict:
    body["conversation"] = {"id": GROUP, "conversationType": "groupChat", "isGroup": True, "tenantId": "tenant-1"}
    body["channelData"] = {"tenant": {"id": "tenant-1"}}
    return body


async def submit_idea(teams, connector: FakeConnector) -> str:  # type: ignore[no-untyped-def]
    """Alice shares an idea in the channel; returns the id of its card there."""
    assert await post_activity(teams, mention(connector, IDEA)) == 200
    await drain(teams)
    (card,) = in_channel(connector)
    assert card.conversation == ROTAS and IDEA in text_of(card)
    return card.returned_id or ""


async def test_a_new_idea_posts_only_its_card_and_thanks_the_author_privately(teams, connector):
    await submit_idea(teams, connector)
    (thanks,) = [s for s in connector.sent if s.conversation == ALICE_CHAT]
    assert "your idea #1 is in" in text_of(thanks)
    (created,) = connector.created
    assert created["members"] == [{"id": "29:alice-bf-id"}] and created["isGroup"] is False
    assert created["tenantID"] == "tenant-1" and created["bot"]["id"] == "28:crowdbot-app-id"


@pytest.mark.parametrize(("command", "expected"), [
    ("mine", "Your ideas"),
    ("help", "Share an idea"),
    ("vote #x", "A command or an idea?"),  # asked privately: perhaps an idea that starts with "vote"
    ("status #1 done", "Only"),
    ("show #1", IDEA),
    ("", "Share an idea: pick a challenge"),  # the submission card goes to the 1:1 chat, not the channel
])
async def test_answers_to_channel_commands_reach_only_the_person(teams, connector, command, expected):
    await submit_idea(teams, connector)
    before = len(connector.sent)
    body = mention(connector, command, id="1700000100099")
    body["conversation"]["id"] = f"{ROTAS};messageid=1700000100099"
    assert await post_activity(teams, body) == 200
    await drain(teams)
    (answer,) = connector.sent[before:]
    assert answer.conversation == ALICE_CHAT and expected in text_of(answer)
    assert len(in_channel(connector)) == 1  # still only the idea card


async def test_own_vote_refusal_from_the_card_button_is_private(teams, connector):
    root = await submit_idea(teams, connector)
    before = len(connector.sent)
    vote = in_thread(payload("activity_card_vote", connector.url), root)  # alice presses Vote on her own idea
    assert await post_activity(teams, vote) == 200
    (answer,) = connector.sent[before:]
    assert answer.conversation == ALICE_CHAT and "is yours" in text_of(answer)


async def test_group_chat_answers_are_private_too(teams, connector):
    assert await post_activity(teams, group_chat(mention(connector, "mine"))) == 200
    (answer,) = connector.sent
    assert answer.conversation == ALICE_CHAT and "Your ideas" in text_of(answer)


async def test_when_no_private_chat_can_be_opened_a_neutral_line_says_where_to_look(teams, connector):
    await submit_idea(teams, connector)
    before = len(connector.sent)
    connector.fail_next(403)  # the create-conversation call is refused
    body = mention(connector, "show #1", id="1700000100098")
    body["conversation"]["id"] = f"{ROTAS};messageid=1700000100098"
    assert await post_activity(teams, body) == 200
    (notice,) = connector.sent[before:]
    assert notice.conversation == f"{ROTAS};messageid=1700000100098"  # in the thread where alice asked
    shown = text_of(notice)
    assert "private message" in shown and "1:1 chat" in shown
    assert "#1" not in shown and "Rota" not in shown


@pytest.mark.parametrize("where", ["channel", "group chat"])
async def test_anon_typed_where_others_read_is_refused_privately_and_stores_nothing(teams, connector, where):
    body = mention(connector, "anon Managers should cover lunch breaks")
    if where == "group chat":
        body = group_chat(body)
    assert await post_activity(teams, body) == 200
    await drain(teams)
    (answer,) = connector.sent
    assert answer.conversation == ALICE_CHAT
    assert "anonymous" in text_of(answer) and "Share anonymously" in text_of(answer) and "1:1" in text_of(answer)
    async with teams.app[RUNTIME].core.db.transaction() as session:
        assert await idea_store.all_ideas(session) == []


async def test_anonymous_confirmation_says_what_still_shows_the_authors_name(teams, connector):
    submit = payload("activity_card_submit_idea", connector.url)  # anonymous, from alice's 1:1 chat
    assert await post_activity(teams, submit) == 200
    (confirmation,) = connector.updated
    assert "anonymously" in text_of(confirmation)
    assert "react" in ANONYMITY_LIMITS and "thread" in ANONYMITY_LIMITS
    assert ANONYMITY_LIMITS.split(":")[0] in text_of(confirmation)
    # `anon` in the 1:1 chat stays an anonymous route.
    body = payload("activity_message_personal", connector.url, text="anon Quiet rooms on every ward")
    assert await post_activity(teams, body) == 200
    (answer,) = connector.sent
    assert answer.conversation == "a:1on1-alice" and "anonymously" in text_of(answer)
    async with teams.app[RUNTIME].core.db.transaction() as session:
        assert [idea.anonymous for idea in await idea_store.all_ideas(session)] == [True, True]


async def test_a_refused_reaction_is_explained_privately(teams, connector):
    root = await submit_idea(teams, connector)
    before = len(connector.sent)
    own = in_thread(payload("activity_message_reaction_like", connector.url), root)  # alice likes her own idea
    assert await post_activity(teams, own) == 200
    (answer,) = connector.sent[before:]
    assert answer.conversation == ALICE_CHAT and "is yours" in text_of(answer)


async def test_a_card_sent_from_a_channel_is_confirmed_privately_not_in_place(teams, connector):
    """A submission card still in a channel (posted before answers went private): its anonymous confirmation
    must not replace the card where everyone reads it."""
    submit = payload("activity_card_submit_idea", connector.url, replyToId="OLDFORM",
                     conversation={"id": f"{ROTAS};messageid=OLDFORM", "conversationType": "channel",
                                   "isGroup": True, "tenantId": "tenant-1"})
    assert await post_activity(teams, submit) == 200
    assert connector.updated == []
    (answer,) = connector.sent
    assert answer.conversation == ALICE_CHAT and "anonymously" in text_of(answer)
