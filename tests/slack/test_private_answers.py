"""What the bot says to one person stays with that person: own-idea reactions and commands that look like ideas."""

from __future__ import annotations

from tests.slack.conftest import SlackHarness, reaction


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
