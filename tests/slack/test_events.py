"""Events API through bolt: reactions as votes, thread replies as comments, retries, App Home."""

from __future__ import annotations

import asyncio

from tests.slack.conftest import SlackHarness, payload, reaction, thread_reply


async def test_vote_emoji_from_two_people_counts_two_votes_and_updates_the_post(slack: SlackHarness) -> None:
    ts = await slack.submit_idea("Better rota swaps")

    first = await slack.event(reaction("U2", ts), "Ev1")
    second = await slack.event(reaction("U3", ts, emoji="thumbsup::skin-tone-2"), "Ev2")
    await slack.drain()

    assert (first.status, second.status) == (200, 200)
    assert await slack.votes() == 2
    assert "Votes: 2" in slack.fake.of("chat.update")[-1]["text"]


async def test_one_vote_per_person_however_many_emoji(slack: SlackHarness) -> None:
    ts = await slack.submit_idea("Better rota swaps")

    await slack.event(reaction("U2", ts, emoji="+1"), "Ev1")
    await slack.event(reaction("U2", ts, emoji="heart"), "Ev2")

    assert await slack.votes() == 1


async def test_removing_the_reaction_removes_the_vote(slack: SlackHarness) -> None:
    ts = await slack.submit_idea("Better rota swaps")
    await slack.event(reaction("U2", ts), "Ev1")

    removed = await slack.event(reaction("U2", ts, added=False), "Ev2")

    assert removed.status == 200
    assert await slack.votes() == 0


async def test_a_retried_delivery_with_the_same_event_id_counts_once(slack: SlackHarness) -> None:
    ts = await slack.submit_idea("Better rota swaps")
    await slack.event(reaction("U2", ts), "EvSame")
    await slack.event(reaction("U2", ts, added=False), "EvRemove")

    retried = await slack.event(reaction("U2", ts), "EvSame", retry_num=1)

    assert retried.status == 200
    assert await slack.votes() == 0  # the replayed add did not bring the vote back


async def test_other_emoji_and_other_messages_are_ignored(slack: SlackHarness) -> None:
    ts = await slack.submit_idea("Better rota swaps")

    other_emoji = await slack.event(reaction("U2", ts, emoji="tada"), "Ev1")
    other_message = await slack.event(reaction("U2", "1699999999.000001"), "Ev2")
    file_item = await slack.event(payload("event_reaction_added_file"), "Ev3")

    assert [r.status for r in (other_emoji, other_message, file_item)] == [200, 200, 200]
    assert await slack.votes() == 0


async def test_a_self_vote_does_not_count_and_the_author_is_told_privately(slack: SlackHarness) -> None:
    ts = await slack.submit_idea("Better rota swaps", user="U1")

    response = await slack.event(reaction("U1", ts), "Ev1")

    assert response.status == 200
    assert await slack.votes() == 0
    ephemeral = await slack.fake.wait_for(lambda: slack.fake.of("chat.postEphemeral"))
    assert ephemeral[0]["user"] == "U1" and ephemeral[0]["channel"] == "CROTA"
    assert "own idea" in ephemeral[0]["text"]


async def test_a_thread_reply_is_a_comment_and_edits_or_bot_posts_are_not(slack: SlackHarness) -> None:
    ts = await slack.submit_idea("Better rota swaps")

    reply = await slack.event(thread_reply("U3", ts, "1700000200.000100", "Tried it on ward 7"), "Ev1")
    retried = await slack.event(thread_reply("U3", ts, "1700000200.000100", "Tried it on ward 7"), "Ev1",
                                retry_num=1)
    edited = payload("event_message_changed")
    edited["message"]["thread_ts"] = ts
    edit = await slack.event(edited, "Ev2")
    bot_post = payload("event_message_bot_reply")
    bot_post["thread_ts"] = ts
    bot = await slack.event(bot_post, "Ev3")
    top_level = await slack.event(thread_reply("U3", "1700000900.000001", "1700000900.000001", "hello"), "Ev4")

    assert [r.status for r in (reply, retried, edit, bot, top_level)] == [200] * 5
    assert await slack.comments() == ["Tried it on ward 7"]


async def test_a_reply_in_another_thread_is_not_a_comment(slack: SlackHarness) -> None:
    await slack.submit_idea("Better rota swaps")

    response = await slack.event(thread_reply("U3", "1699999999.000009", "1700000200.000100", "unrelated"), "Ev1")

    assert response.status == 200
    assert await slack.comments() == []


async def test_app_home_shows_my_ideas_with_status_and_decision_and_open_challenges(slack: SlackHarness) -> None:
    await slack.submit_idea("Better rota swaps", user="U1")
    await slack.command_reply("status #1 not_taken_forward Covered by the new e-rostering", user="ULEAD")

    response = await slack.event(payload("event_app_home_opened"), "EvHome")

    assert response.status == 200
    (published,) = await slack.fake.wait_for(lambda: slack.fake.of("views.publish"))
    assert published["user_id"] == "U1"
    assert published["view"]["type"] == "home"
    shown = str(published["view"]["blocks"])
    assert "Better rota swaps" in shown and "not taken forward" in shown
    assert "Covered by the new e-rostering" in shown
    assert "Fairer rotas" in shown and "Better breaks" in shown and "Old challenge" not in shown


async def test_when_a_private_reply_cannot_be_shown_in_the_channel_it_arrives_as_a_direct_message(
        slack: SlackHarness) -> None:
    ts = await slack.submit_idea("Better rota swaps", user="U1")
    slack.fake.fail("chat.postEphemeral", "user_not_in_channel")

    await slack.event(reaction("U1", ts), "Ev1")

    direct = await slack.fake.wait_for(lambda: [p for p in slack.fake.of("chat.postMessage") if p["channel"] == "U1"])
    assert "own idea" in direct[0]["text"]


async def test_a_burst_of_reactions_costs_fewer_updates_than_reactions(slack: SlackHarness) -> None:
    ts = await slack.submit_idea("Better rota swaps", user="U1")
    voters = [f"UV{i}" for i in range(8)]

    responses = await asyncio.gather(*(slack.event(reaction(v, ts), f"EvBurst{v}") for v in voters))
    await slack.drain()

    assert [r.status for r in responses] == [200] * len(voters)
    updates = [u for u in slack.fake.of("chat.update") if u["ts"] == ts]
    assert 1 <= len(updates) < len(voters)
    assert "Votes: 8" in updates[-1]["text"]
