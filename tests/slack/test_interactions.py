"""The idea modal (views.open, view_submission) and the Vote button, through bolt's interactivity path."""

from __future__ import annotations

from typing import Any

from tests.slack.conftest import SlackHarness, payload


def submission(text: str, *, challenge: str = "breaks", anonymous: bool = True, view_id: str = "V0FORM1",
               user: str = "U1") -> dict[str, Any]:
    body = payload("view_submission_idea_form")
    values = body["view"]["state"]["values"]
    values["challenge"]["challenge_select"]["selected_option"]["value"] = challenge
    values["idea"]["idea_text"]["value"] = text
    if not anonymous:
        values["anonymous"]["anonymous_check"]["selected_options"] = []
    body["view"]["id"] = view_id
    body["user"]["id"] = user
    return body


async def test_idea_with_no_text_opens_the_modal_defaulting_to_the_channels_challenge(slack: SlackHarness) -> None:
    response = await slack.command("", channel="CBREAK")

    assert response.status == 200
    assert await response.text() == ""
    (opened,) = slack.fake.of("views.open")
    assert opened["trigger_id"].split(".")[1] == "738474920"  # the harness's trigger id, passed on to views.open
    view = opened["view"]
    assert view["type"] == "modal" and view["callback_id"] == "idea_form"
    select = view["blocks"][0]["element"]
    assert select["initial_option"]["value"] == "breaks"
    assert [o["value"] for o in select["options"]] == ["rotas", "breaks"]  # the closed challenge is not offered
    assert view["blocks"][1]["element"]["max_length"] == 200
    assert "CBREAK" in view["private_metadata"]


async def test_when_the_modal_cannot_open_the_person_is_told_how_to_submit(slack: SlackHarness) -> None:
    slack.fake.fail("views.open", "expired_trigger_id")

    reply = await slack.command_reply("")

    assert "took too long to open" in reply["text"] and "/idea <your idea>" in reply["text"]


async def test_submitting_the_modal_saves_the_idea_and_posts_it_anonymously(slack: SlackHarness) -> None:
    response = await slack.interactive(submission("A quiet room for breaks"))

    assert response.status == 200
    assert await response.text() == ""  # an empty 200 closes the modal
    assert await slack.idea_texts() == ["A quiet room for breaks"]
    await slack.drain()
    (post,) = slack.idea_posts()
    assert post["channel"] == "CBREAK" and "anonymous" in post["text"] and "sam" not in post["text"]
    (thanks,) = await slack.fake.wait_for(lambda: slack.fake.of("chat.postEphemeral"))
    assert (thanks["channel"], thanks["user"]) == ("CROTA", "U1")
    assert "your idea #1 is in anonymously" in thanks["text"]


async def test_a_double_submission_of_the_same_modal_counts_once(slack: SlackHarness) -> None:
    first = await slack.interactive(submission("A quiet room for breaks"))
    again = await slack.interactive(submission("A quiet room for breaks"))

    assert (first.status, again.status) == (200, 200)
    assert await slack.idea_texts() == ["A quiet room for breaks"]


async def test_an_invalid_submission_keeps_the_modal_open_with_the_reason(slack: SlackHarness) -> None:
    response = await slack.interactive(submission("   "))

    assert response.status == 200
    answer = await response.json()
    assert answer["response_action"] == "errors"
    assert "idea" in answer["errors"] and answer["errors"]["idea"]
    assert await slack.idea_texts() == []


async def test_the_vote_button_votes_and_answers_privately(slack: SlackHarness) -> None:
    ts = await slack.submit_idea("Better rota swaps", user="U1")
    body = payload("block_actions_vote")
    body["container"]["message_ts"] = body["message"]["ts"] = ts
    body["response_url"] = slack.response_url

    response = await slack.interactive(body)
    again = await slack.interactive(body)

    assert (response.status, again.status) == (200, 200)
    assert await slack.votes() == 1
    answers = await slack.fake.wait_for(lambda: len(slack.fake.of("response_url")) >= 2 and
                                        slack.fake.of("response_url"))
    texts = sorted(a["text"] for a in answers)
    assert "Thanks, your vote for #1 is counted" in texts[0]
    assert "already counted" in texts[1]
    assert all(a["response_type"] == "ephemeral" and a["replace_original"] is False for a in answers)
