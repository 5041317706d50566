"""End to end: a leaders' digest with twenty decisions whose notes run to 2,000 characters shows each shortened
note with a "Read the full note" button; pressing one (signed block_actions through bolt) opens a modal, for the
presser only, holding that idea's whole note within Block Kit's limits."""

from __future__ import annotations

import copy
from typing import Any

from adapters.slack.render import escape
from bot.app import RUNTIME, create_app
from storage import ideas as idea_store
from tests import largest
from tests.factories import CM, LEADER, FixedClock
from tests.slack.conftest import SlackHarness, payload, trigger_id
from tests.slack.fake_slack import FakeSlack
from tests.slack.test_digest_delivery import campaign, digest_posts


def note_buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The digest's "Read the full note" buttons by idea number."""
    return {block["accessory"]["value"]: block for block in blocks
            if block.get("accessory", {}).get("action_id") == "full_note"}


def press(button: dict[str, Any], *, user: str, channel: str, ts: str, response_url: str) -> dict[str, Any]:
    body = copy.deepcopy(payload("block_actions_vote"))
    body["user"]["id"] = user
    body["container"].update(channel_id=channel, message_ts=ts)
    body["channel"] = {"id": channel, "name": "directmessage"}
    body["message"]["ts"] = ts
    body["trigger_id"] = trigger_id()
    body["response_url"] = response_url
    body["actions"] = [{"action_id": "full_note", "block_id": "n", "type": "button", "value": button["value"],
                        "text": button["text"], "action_ts": "1700000600.000200"}]
    return body


async def test_each_long_note_in_the_digest_opens_whole_in_a_modal(
    fake_slack: FakeSlack, aiohttp_client: Any, database_url: str
) -> None:
    clock = FixedClock()
    client = await aiohttp_client(create_app(campaign(database_url, fake_slack), clock=clock))
    slack = SlackHarness(client, fake_slack)
    runtime = client.server.app[RUNTIME]
    await largest.decide_many(runtime.bot, clock)
    await slack.drain()
    await slack.command_reply("digest", user=CM.removeprefix("slack:"))
    await slack.drain()

    (post,) = digest_posts(fake_slack)
    blocks = post.args["blocks"]
    assert len(blocks) <= 50
    buttons = note_buttons(blocks)
    assert sorted(buttons, key=int) == [str(n) for n in range(6, 26)]  # one per decision listed, all twenty
    assert all(len(block["text"]["text"]) <= 3000 for block in blocks if "text" in block)
    assert all(f"(#{n}) / We did:" in buttons[str(n)]["text"]["text"] for n in range(6, 26))  # beside its entry

    body = press(buttons["12"]["accessory"], user=LEADER.removeprefix("slack:"), channel=post.answer["channel"],
                 ts=post.answer["ts"], response_url=slack.response_url)
    assert (await slack.interactive(body)).status == 200

    (opened,) = await fake_slack.wait_for(lambda: fake_slack.of("views.open"))
    assert opened["trigger_id"] == body["trigger_id"]
    view = opened["view"]
    assert view["type"] == "modal" and len(view["title"]["text"]) <= 24 and len(view["blocks"]) <= 100
    texts = [block["text"]["text"] for block in view["blocks"] if "text" in block]
    assert all(len(text) <= 3000 for text in texts)
    async with runtime.core.db.transaction() as session:
        idea = await idea_store.get_idea(session, number=12)
        note = (await idea_store.last_decisions(session, idea_ids=[idea.id]))[idea.id].note
    assert len(note) > 1900
    shown = "\n".join(texts)
    assert escape(note) in shown and "&lt;night&gt;" in shown  # whole, and escaped for Slack
    assert "Decision note on idea #12" in shown
    assert all("Decision note" not in str(call) for call in fake_slack.of("chat.postMessage"))  # only the modal


async def test_a_note_button_for_an_idea_without_a_note_answers_privately(slack: SlackHarness) -> None:
    ts = await slack.submit_idea("Better rota swaps", user="U1")
    body = press({"value": "1", "text": {"type": "plain_text", "text": "Read the full note"}}, user="U2",
                 channel="CROTA", ts=ts, response_url=slack.response_url)
    assert (await slack.interactive(body)).status == 200
    (answer,) = await slack.fake.wait_for(lambda: slack.fake.of("response_url"))
    assert "has no decision note yet" in answer["text"] and answer["response_type"] == "ephemeral"
    assert not slack.fake.of("views.open")
