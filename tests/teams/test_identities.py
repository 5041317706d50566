"""One person is one participant whether or not an activity carries their Entra object id: the Bot Framework
`29:` id is linked to it as soon as one activity shows both. De-duplication keys name the conversation."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import RUNTIME
from bot.exports import idea_rows
from storage.models import Comment, Idea, Participant
from tests.teams.helpers import drain, in_thread, payload, person, post_activity


def without_object_id(name: str) -> dict[str, str]:
    """How `from` looks on activities that carry only the Bot Framework id."""
    return {"id": f"29:{name}-bf-id", "name": name.title()}


async def votes(client) -> list[int]:  # type: ignore[no-untyped-def]
    core = client.app[RUNTIME].core
    async with core.db.transaction() as session:
        return [row["votes"] for row in await idea_rows(core, session)]


async def participants(client) -> list[str]:  # type: ignore[no-untyped-def]
    async with client.app[RUNTIME].core.db.transaction() as session:
        return sorted((await session.execute(select(Participant.ref))).scalars())


async def share(teams, connector, **overrides) -> str:  # type: ignore[no-untyped-def]
    assert await post_activity(teams, payload("activity_message_channel_mention", connector.url, **overrides)) == 200
    await drain(teams)
    return connector.sent[-1].returned_id


async def test_an_author_cannot_vote_for_their_own_idea_through_their_other_id(teams, connector):
    root = await share(teams, connector)  # alice, with both ids
    before = len(connector.sent)
    own = in_thread(payload("activity_message_reaction_like", connector.url,
                            **{"from": without_object_id("alice")}), root)
    assert await post_activity(teams, own) == 200
    await drain(teams)
    assert await votes(teams) == [0]
    refusal = [s for s in connector.sent[before:] if s.conversation.startswith("a:")]
    assert refusal and "is yours" in str(refusal[0].activity)


async def test_a_voter_seen_first_without_an_object_id_stays_one_voter(teams, connector):
    root = await share(teams, connector)
    like = in_thread(payload("activity_message_reaction_like", connector.url, id="f:bob-like",
                             **{"from": without_object_id("bob")}), root)
    comment = in_thread(payload("activity_message_thread_reply", connector.url,
                                **{"from": without_object_id("bob")}), root)
    assert await post_activity(teams, like) == 200
    assert await post_activity(teams, comment) == 200
    await drain(teams)
    assert await votes(teams) == [1]
    button = in_thread(payload("activity_card_vote", connector.url, id="bob-button", **{"from": person("bob")}),
                       root)
    assert await post_activity(teams, button) == 200
    heart = in_thread(payload("activity_message_reaction_like", connector.url, id="f:bob-heart",
                              reactionsAdded=[{"type": "heart"}], **{"from": person("bob")}), root)
    assert await post_activity(teams, heart) == 200
    await drain(teams)
    assert await votes(teams) == [1]
    assert await participants(teams) == ["teams:aad-alice", "teams:aad-bob"]
    async with teams.app[RUNTIME].core.db.transaction() as session:
        assert list((await session.execute(select(Comment.author_ref))).scalars()) == ["teams:aad-bob"]


async def test_an_idea_shared_without_an_object_id_is_theirs_once_linked(teams, connector):
    root = await share(teams, connector, **{"from": without_object_id("carol")})
    async with teams.app[RUNTIME].core.db.transaction() as session:
        assert (await session.execute(select(Idea.author_ref))).scalar_one() == "teams:29:carol-bf-id"
    # carol's next activity carries both ids: her own reaction is refused, and the idea is hers by object id.
    own = in_thread(payload("activity_message_reaction_like", connector.url, **{"from": person("carol")}), root)
    assert await post_activity(teams, own) == 200
    await drain(teams)
    assert await votes(teams) == [0]
    async with teams.app[RUNTIME].core.db.transaction() as session:
        assert (await session.execute(select(Idea.author_ref))).scalar_one() == "teams:aad-carol"
    assert await participants(teams) == ["teams:aad-carol"]


async def test_the_same_activity_id_in_two_conversations_is_two_activities(teams, connector):
    alice = payload("activity_message_personal", connector.url, id="1", text="idea Quiet rooms")
    bob = payload("activity_message_personal", connector.url, id="1", text="idea Free parking on nights",
                  conversation={"id": "a:1on1-bob", "conversationType": "personal", "tenantId": "tenant-1"},
                  **{"from": person("bob")})
    assert await post_activity(teams, alice) == 200
    assert await post_activity(teams, bob) == 200
    assert await post_activity(teams, bob) == 200  # a redelivery still counts once
    async with teams.app[RUNTIME].core.db.transaction() as session:
        assert sorted((await session.execute(select(Idea.author_ref))).scalars()) == [
            "teams:aad-alice", "teams:aad-bob"]
