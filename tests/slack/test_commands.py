"""/idea through bolt's real request path: submissions, every command word, manager permissions."""

from __future__ import annotations

import pytest

from tests.factories import CM, LEADER
from tests.slack.conftest import SlackHarness

CM_USER = CM.removeprefix("slack:")
LEADER_USER = LEADER.removeprefix("slack:")


async def test_submit_acks_ephemerally_and_posts_to_the_challenge_channel(slack: SlackHarness) -> None:
    reply = await slack.command_reply("Better rota swaps")

    assert reply["response_type"] == "ephemeral"
    assert reply["text"].startswith("Thanks, your idea #1 is in")
    await slack.drain()
    (post,) = slack.idea_posts()
    assert post["channel"] == "CROTA"
    assert "Better rota swaps" in post["text"]
    kinds = [block["type"] for block in post["blocks"]]
    assert kinds[0] == "header" and "actions" in kinds and "context" in kinds
    (button,) = next(b for b in post["blocks"] if b["type"] == "actions")["elements"]
    assert (button["action_id"], button["value"]) == ("vote", "1")
    assert "link_names" not in post and "parse" not in post


async def test_anonymous_idea_names_nobody_in_the_post(slack: SlackHarness) -> None:
    reply = await slack.command_reply("anon Free parking for night shifts", user="USECRET")

    assert "anonymously" in reply["text"]
    await slack.drain()
    (post,) = slack.idea_posts()
    assert "usecret" not in str(post).lower()
    assert "anonymous" in post["text"]


@pytest.mark.parametrize("text, expected", [
    ("help", "/idea"),
    ("top", "Top ideas"),
    ("mine", "Your ideas"),
    ("stats", "Participation"),
    ("show #1", "Idea #1"),
    ("vote #1", "Thanks, your vote for #1 is counted"),
    ("unvote #1", "You had no vote on #1"),
    ("notifications off", "now off"),
    ("show #99", "#99"),
])
async def test_everyone_commands_answer_ephemerally(slack: SlackHarness, text: str, expected: str) -> None:
    await slack.submit_idea("Shared drive for rota swaps", user="U1")

    reply = await slack.command_reply(text, user="U2")

    assert reply["response_type"] == "ephemeral"
    assert expected in reply["text"]


@pytest.mark.parametrize("text, expected", [
    ("status #1 under_review", "is now under review"),
    ("horizon #1 H1", "is now H1"),
    ("theme #1 rostering", "now has the theme"),
    ("prompt rotas", ""),
    ("digest preview", ""),
])
async def test_manager_commands_work_for_community_managers_only(slack: SlackHarness, text: str,
                                                                 expected: str) -> None:
    await slack.submit_idea("Rota app with swap requests", user="U1")

    refused = await slack.command_reply(text, user="U2")
    allowed = await slack.command_reply(text, user=CM_USER)

    assert refused["text"].startswith("Only ") and "Nothing was changed" in refused["text"]
    assert not allowed["text"].startswith("Only ")
    assert expected in allowed["text"]


async def test_merge_and_unmerge(slack: SlackHarness) -> None:
    await slack.submit_idea("Swap shifts in an app", user="U1")
    await slack.submit_idea("An app to swap shifts", user="U2")  # a duplicate (the similar-ideas check is off here)

    merged = await slack.command_reply("merge #2 into #1", user=CM_USER)
    unmerged = await slack.command_reply("unmerge #2", user=CM_USER)

    assert "is merged into #1" in merged["text"]
    assert "separate again" in unmerged["text"]


async def test_leader_sets_a_status_and_the_post_is_updated(slack: SlackHarness) -> None:
    ts = await slack.submit_idea("Rota app with swap requests", user="U1")

    reply = await slack.command_reply("status #1 in_progress Piloting on ward 7", user=LEADER_USER)
    await slack.drain()

    assert "is now in progress" in reply["text"]
    updates = [u for u in slack.fake.of("chat.update") if u["ts"] == ts]
    assert updates and "in progress" in updates[-1]["text"]
    direct = [p for p in slack.fake.of("chat.postMessage") if p["channel"] == "U1"]
    assert any("Piloting on ward 7" in str(p["blocks"]) for p in direct)


@pytest.mark.parametrize("text, expected", [
    ("x" * 201, "200"),
    ("status #1 done", "Only"),
    ("horizon #1 H9", "H1"),
])
async def test_bad_input_is_refused_with_a_reason_and_stores_nothing(slack: SlackHarness, text: str,
                                                                     expected: str) -> None:
    reply = await slack.command_reply(text, user="U2")

    assert expected in reply["text"]
    assert await slack.idea_texts() == []
