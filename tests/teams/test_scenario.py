"""The must-show scenario over HTTP: a channel idea becomes a card, reactions vote once per person, a channel
seen only through an installation event gets a proactive post."""

from __future__ import annotations

from bot.app import RUNTIME
from bot.exports import idea_rows
from tests.teams.helpers import BREAKS, ROTAS, drain, in_thread, payload, person, post_activity


def facts(activity: dict) -> dict[str, str]:
    card = activity["attachments"][0]["content"]
    (fact_set,) = [block for block in card["body"] if block["type"] == "FactSet"]
    return {fact["title"]: fact["value"] for fact in fact_set["facts"]}


async def test_channel_idea_reactions_and_retry_make_two_votes(teams, connector):
    await post_activity(teams, payload("activity_message_channel_mention", connector.url))
    await drain(teams)
    card_post = connector.sent[-1]
    assert card_post.conversation == ROTAS
    root = card_post.returned_id

    bob_like = in_thread(payload("activity_message_reaction_like", connector.url, id="f:bob-like",
                                 **{"from": person("bob")}), root)
    carol_thumbs = in_thread(payload("activity_message_reaction_emoji_id", connector.url, id="f:carol-thumbs",
                                     **{"from": person("carol")}), root)
    for body in (bob_like, carol_thumbs, bob_like):  # the last is Teams retrying bob's activity
        assert await post_activity(teams, body) == 200
    await drain(teams)

    core = teams.app[RUNTIME].core
    async with core.db.transaction() as session:
        (row,) = await idea_rows(core, session)
    assert row["votes"] == 2
    assert connector.updated[-1].activity_id == root
    assert facts(connector.updated[-1].activity)["Votes"] == "2"


async def test_reaction_removed_withdraws_the_vote_and_other_messages_are_ignored(teams, connector):
    await post_activity(teams, payload("activity_message_channel_mention", connector.url))
    await drain(teams)
    root = connector.sent[-1].returned_id
    bob = {"from": person("bob")}
    await post_activity(teams, in_thread(payload("activity_message_reaction_like", connector.url, **bob), root))
    await post_activity(teams, in_thread(payload("activity_message_reaction_removed", connector.url, **bob), root))
    # A reaction on a message that is not an idea post changes nothing.
    await post_activity(teams, in_thread(payload("activity_message_reaction_like", connector.url, id="f:other",
                                                 **bob), "1699999999999"))
    await drain(teams)
    core = teams.app[RUNTIME].core
    async with core.db.transaction() as session:
        (row,) = await idea_rows(core, session)
    assert row["votes"] == 0


async def test_thread_reply_becomes_a_comment_once(teams, connector):
    await post_activity(teams, payload("activity_message_channel_mention", connector.url))
    await drain(teams)
    root = connector.sent[-1].returned_id
    reply = in_thread(payload("activity_message_thread_reply", connector.url, **{"from": person("bob")}), root)
    assert await post_activity(teams, reply) == 200
    assert await post_activity(teams, reply) == 200  # retried
    core = teams.app[RUNTIME].core
    async with core.db.transaction() as session:
        (row,) = await idea_rows(core, session)
    assert row["comments"] == 1


async def test_vote_button_counts_like_a_reaction(teams, connector):
    await post_activity(teams, payload("activity_message_channel_mention", connector.url))
    await drain(teams)
    root = connector.sent[-1].returned_id
    sent_before = len(connector.sent)
    vote = in_thread(payload("activity_card_vote", connector.url, **{"from": person("bob")}), root)
    assert await post_activity(teams, vote) == 200
    (thanks,) = connector.sent[sent_before:]
    assert thanks.conversation == "a:1on1-29:bob-bf-id" and "counted" in str(thanks.activity)
    core = teams.app[RUNTIME].core
    async with core.db.transaction() as session:
        (row,) = await idea_rows(core, session)
    assert row["votes"] == 1


async def test_channel_seen_only_through_installation_gets_the_idea_post(teams, connector):
    install = payload("activity_conversation_update_bot_added", connector.url)
    install["conversation"]["id"] = BREAKS
    install["channelData"]["team"]["id"] = install["channelData"]["channel"]["id"] = BREAKS
    assert await post_activity(teams, install) == 200
    assert connector.sent == []  # an installation needs no answer
    submit = payload("activity_card_submit_idea", connector.url,
                     value={"crowdbot": "submit_idea", "challenge": "breaks", "idea": "Quiet room",
                            "anonymous": "false"})
    assert await post_activity(teams, submit) == 200
    await drain(teams)
    (post,) = [sent for sent in connector.sent if sent.conversation == BREAKS]
    assert "Quiet room" in str(post.activity["attachments"][0]["content"]["body"])
