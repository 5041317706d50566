"""What the bot says to one person stays with that person: own-idea reactions and commands that look like ideas."""

from __future__ import annotations

from tests.slack.conftest import SlackHarness, payload, reaction


async def test_a_reaction_on_ones_own_anonymous_idea_is_answered_only_to_its_author(slack: SlackHarness) -> None:
    ts = await slack.submit_idea("anon Managers cover lunch breaks")
    posts_before = len(slack.fake.of("chat.postMessage"))

    response = await slack.event(reaction("U1", ts), "EvOwn")

    assert response.status == 200
    (warning,) = await slack.fake.wait_for(lambda: slack.fake.of("chat.postEphemeral"))
    assert (warning["channel"], warning["user"]) == ("CROTA", "U1")
    assert "your anonymous idea" in warning["text"] and "Slack shows your reaction to everyone" in warning["text"]
    await slack.drain()
    assert len(slack.fake.of("chat.postMessage")) == posts_before  # nothing said in the channel or its thread
    assert await slack.votes() == 0


async def test_a_command_word_that_does_not_fit_is_asked_about_privately_and_posted_on_the_press(
        slack: SlackHarness) -> None:
    answer = await slack.command_reply("stats please", user="U1")

    assert answer["response_type"] == "ephemeral" and "A command or an idea?" in answer["text"]
    (buttons,) = [block for block in answer["blocks"] if block["type"] == "actions"]
    (button,) = buttons["elements"]
    assert button["action_id"] == "post_idea" and "stats please" not in button["value"]
    await slack.drain()
    assert slack.idea_posts() == [] and await slack.idea_texts() == []  # nothing said in the channel

    press = payload("block_actions_vote")
    press["user"]["id"] = "U1"
    press["container"].update(is_ephemeral=True, message_ts="1700000000.000900")
    del press["message"]  # Slack sends no message body for an ephemeral message
    press["actions"][0].update(action_id="post_idea", value=button["value"], text={"type": "plain_text",
                                                                                 "text": "Post as idea"})
    press["response_url"] = slack.response_url
    assert (await slack.interactive(press)).status == 200

    (confirmed,) = await slack.fake.wait_for(lambda: slack.fake.of("response_url"))
    assert confirmed["response_type"] == "ephemeral" and confirmed["replace_original"] is True
    assert "Thanks, your idea #1 is in" in confirmed["text"]
    assert await slack.idea_texts() == ["stats please"]
    await slack.drain()
    (post,) = slack.idea_posts()
    assert post["channel"] == "CROTA" and "stats please" in post["text"]
