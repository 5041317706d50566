"""'Is your idea one of these?' in Slack: ephemeral buttons from /idea and the modal, Back #N and Post mine anyway
through bolt's real interactivity path."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.app import create_app
from tests.factories import SIMILAR_IDEAS_ON, harness_clock
from tests.slack.conftest import SlackHarness, payload, slack_config
from tests.slack.test_interactions import submission

FIRST = "Let nurses swap shifts through an app instead of the paper book at the nurses' station"


@pytest.fixture
async def slack(fake_slack: Any, aiohttp_client: Any, database_url: str) -> AsyncIterator[SlackHarness]:
    """The usual Slack harness with the similar-ideas check on."""
    config = slack_config(database_url, fake_slack, sections=SIMILAR_IDEAS_ON)
    client = await aiohttp_client(create_app(config, clock=harness_clock()))
    yield SlackHarness(client, fake_slack)


def buttons(reply: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {element["text"]["text"]: element for block in reply["blocks"] if block["type"] == "actions"
            for element in block["elements"]}


def press(slack: SlackHarness, button: dict[str, Any], *, user: str, ephemeral: bool = True) -> dict[str, Any]:
    body = payload("block_actions_vote")
    body["user"]["id"] = user
    body["container"]["is_ephemeral"] = ephemeral
    body["response_url"] = slack.response_url
    body["actions"] = [{**body["actions"][0], "action_id": button["action_id"], "value": button["value"]}]
    return body


async def test_a_similar_idea_is_held_and_backing_it_votes_once_and_comments(slack: SlackHarness) -> None:
    ts = await slack.submit_idea(FIRST, user="U1")
    posts_before = len(slack.idea_posts())

    reply = await slack.command_reply("An app for swapping shifts, with a reminder the day before", user="U2")

    assert reply["response_type"] == "ephemeral"
    assert "Is your idea one of these?" in reply["text"] and "#1" in reply["text"]
    choices = buttons(reply)
    assert set(choices) == {"Back #1", "Post mine anyway"}
    assert choices["Back #1"]["action_id"].startswith("similar_back_")
    await slack.drain()
    assert len(slack.idea_posts()) == posts_before  # nothing posted while the person decides
    assert await slack.idea_texts() == [FIRST]

    first = await slack.interactive(press(slack, choices["Back #1"], user="U2"))
    again = await slack.interactive(press(slack, choices["Back #1"], user="U2"))

    assert (first.status, again.status) == (200, 200)
    assert await slack.votes() == 1
    assert await slack.comments() == ["An app for swapping shifts, with a reminder the day before"]
    answers = await slack.fake.wait_for(lambda: len(slack.fake.of("response_url")) >= 2 and
                                        slack.fake.of("response_url"))
    assert "you backed #1; your vote is counted and what you wrote is added" in answers[0]["text"]
    assert answers[0]["replace_original"] is True  # the question (and its buttons) is replaced by the answer
    assert "You already chose" in answers[1]["text"]
    await slack.drain()
    in_thread = [a for a in slack.fake.of("chat.postMessage") if a.get("thread_ts") == ts]
    assert len(in_thread) == 1 and "with a reminder the day before" in in_thread[0]["text"]
    assert "U2" not in in_thread[0]["text"] and "alex" not in in_thread[0]["text"]  # the backer is not named
    assert await slack.idea_texts() == [FIRST]


async def test_post_mine_anyway_posts_the_idea(slack: SlackHarness) -> None:
    await slack.submit_idea(FIRST, user="U1")
    reply = await slack.command_reply("A phone app for swapping shifts instead of the paper book", user="U3")
    post_anyway = buttons(reply)["Post mine anyway"]

    response = await slack.interactive(press(slack, post_anyway, user="U3"))

    assert response.status == 200
    (answer,) = await slack.fake.wait_for(lambda: slack.fake.of("response_url"))
    assert "your idea #2 is in" in answer["text"]
    await slack.drain()
    assert [p["channel"] for p in slack.idea_posts()] == ["CROTA", "CROTA"]
    assert "A phone app for swapping shifts" in slack.idea_posts()[1]["text"]
    assert await slack.votes() == 0


async def test_someone_else_cannot_answer_for_the_author(slack: SlackHarness) -> None:
    await slack.submit_idea(FIRST, user="U1")
    reply = await slack.command_reply("An app for swapping shifts", user="U2")

    await slack.interactive(press(slack, buttons(reply)["Post mine anyway"], user="U4"))

    (answer,) = await slack.fake.wait_for(lambda: slack.fake.of("response_url"))
    assert "no longer open" in answer["text"] and answer["replace_original"] is False
    assert len(await slack.idea_texts()) == 1


async def test_a_different_idea_is_posted_at_once(slack: SlackHarness) -> None:
    await slack.submit_idea(FIRST, user="U1")

    await slack.submit_idea("Free hot drinks for the night team", user="U2")  # asserts "is in" and one post


async def test_the_modal_asks_privately_too(slack: SlackHarness) -> None:
    await slack.submit_idea("A quiet rest room on every ward for staff breaks", user="U1", channel="CBREAK")

    response = await slack.interactive(submission("Quiet break room on each ward", challenge="breaks",
                                                  anonymous=True, user="U2"))

    assert response.status == 200 and await response.text() == ""  # the modal closes
    (asked,) = await slack.fake.wait_for(lambda: slack.fake.of("chat.postEphemeral"))
    assert asked["user"] == "U2" and "Is your idea one of these?" in asked["text"]
    actions = [b for b in asked["blocks"] if b["type"] == "actions"]
    assert [e["text"]["text"] for e in actions[0]["elements"]] == ["Back #1", "Post mine anyway"]
    assert len(await slack.idea_texts()) == 1


async def test_post_as_idea_asks_about_similar_ideas_first(slack: SlackHarness) -> None:
    await slack.submit_idea(FIRST, user="U1")
    question = await slack.command_reply("help nurses swap shifts through an app instead of the paper book",
                                         user="U2")
    assert "A command or an idea?" in question["text"]

    await slack.interactive(press(slack, buttons(question)["Post as idea"], user="U2"))

    (asked,) = await slack.fake.wait_for(lambda: slack.fake.of("response_url"))
    assert asked["replace_original"] is True and "Is your idea one of these?" in asked["text"]
    choices = buttons(asked)
    assert set(choices) == {"Back #1", "Post mine anyway"}
    await slack.drain()
    assert len(slack.idea_posts()) == 1  # nothing posted while the person decides

    await slack.interactive(press(slack, choices["Back #1"], user="U2"))

    answers = await slack.fake.wait_for(lambda: len(slack.fake.of("response_url")) >= 2 and
                                        slack.fake.of("response_url"))
    assert "you backed #1; your vote is counted" in answers[1]["text"]
    assert await slack.votes() == 1 and await slack.idea_texts() == [FIRST]


async def backed_with_words(fake_slack: Any, aiohttp_client: Any, database_url: str) -> tuple[SlackHarness, str]:
    """U2 backs U1's #1 and adds words, with `erasure: delete`; returns the harness and #1's ts."""
    sections = {**SIMILAR_IDEAS_ON, "data_protection": {"erasure": "delete"}}
    config = slack_config(database_url, fake_slack, sections=sections)
    slack = SlackHarness(await aiohttp_client(create_app(config, clock=harness_clock())), fake_slack)
    ts = await slack.submit_idea(FIRST, user="U1")
    reply = await slack.command_reply("An app for swapping shifts, with a reminder the day before", user="U2")
    await slack.interactive(press(slack, buttons(reply)["Back #1"], user="U2"))
    return slack, ts


async def test_erasing_a_backer_blanks_their_words_in_the_thread(
        fake_slack: Any, aiohttp_client: Any, database_url: str) -> None:
    """What someone added when they backed #1 is posted by the bot in its thread, so they cannot delete it on
    Slack themselves: erasing them with `erasure: delete` blanks that copy, as it blanks their ideas."""
    slack, ts = await backed_with_words(fake_slack, aiohttp_client, database_url)
    await slack.drain()
    (copy,) = [call for call in fake_slack.answered("chat.postMessage") if call.args.get("thread_ts") == ts]
    assert "with a reminder the day before" in copy.args["text"]

    erased = await slack.command_reply("forget me confirm", user="U2")
    await slack.drain()

    assert "erased" in erased["text"].lower() or "forgotten" in erased["text"].lower(), erased["text"]
    blanked = [a for a in fake_slack.of("chat.update") if a.get("ts") == copy.answer["ts"]]
    assert len(blanked) == 1 and blanked[0]["channel"] == copy.args["channel"]
    assert "removed at its author's request" in blanked[0]["text"]
    assert "reminder the day before" not in str(blanked[0])
    assert await slack.comments() == []


async def test_a_backers_words_erased_before_their_copy_went_out_are_blanked_once_it_does(
        fake_slack: Any, aiohttp_client: Any, database_url: str) -> None:
    slack, ts = await backed_with_words(fake_slack, aiohttp_client, database_url)
    await slack.command_reply("forget me confirm", user="U2")  # before the outbox has delivered the copy
    await slack.drain()

    copies = [call for call in fake_slack.answered("chat.postMessage") if call.args.get("thread_ts") == ts]
    assert len(copies) == 1 and "reminder the day before" in copies[0].args["text"]
    blanked = [a for a in fake_slack.of("chat.update") if a.get("ts") == copies[0].answer["ts"]]
    assert len(blanked) == 1 and "removed at its author's request" in blanked[0]["text"]
