"""End to end: a manager's `/idea digest` with twenty long decisions in the week reaches a leader's Slack DM
with every entry, and the chart follows it as an image uploaded the way Slack uploads files today."""

from __future__ import annotations

import json
from typing import Any

from bot.app import RUNTIME, create_app
from bot.config import AppConfig
from tests import largest
from tests.factories import CM, FixedClock, make_config
from tests.slack.conftest import SIGNING_SECRET, SlackHarness
from tests.slack.fake_slack import BOT_TOKEN, FakeSlack

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def campaign(database_url: str, fake: FakeSlack) -> AppConfig:
    base = largest.largest_config()
    return make_config(
        storage={"url": database_url},
        campaign=base.campaign.model_dump(),
        challenges=[{"key": "rotas", "title": "Fairer rotas", "questions": ["Q1?"], "channels": ["slack:CROTA"]}],
        slack={"bot_token": BOT_TOKEN, "signing_secret": SIGNING_SECRET, "api_url": fake.base_url},
    )


def digest_posts(fake: FakeSlack) -> list[Any]:
    return [call for call in fake.answered("chat.postMessage")
            if any(block.get("type") == "header" and block["text"]["text"].startswith("You said, we did")
                   for block in call.args.get("blocks") or [])]


async def test_a_leaders_digest_with_twenty_decisions_arrives_whole_with_its_chart(
    fake_slack: FakeSlack, aiohttp_client: Any, database_url: str
) -> None:
    clock = FixedClock()
    client = await aiohttp_client(create_app(campaign(database_url, fake_slack), clock=clock))
    slack = SlackHarness(client, fake_slack)
    runtime = client.server.app[RUNTIME]
    await largest.decide_many(runtime.bot, clock)
    await slack.drain()

    reply = await slack.command_reply("digest", user=CM.removeprefix("slack:"))
    await slack.drain()

    assert "Digest queued for slack:ULEAD" in reply["text"]
    (post,) = digest_posts(fake_slack)
    blocks = post.args["blocks"]
    assert len(blocks) <= 50
    shown = "\n".join(block["text"]["text"] for block in blocks if block["type"] == "section" and "text" in block)
    assert all(f"(#{n}) / We did:" in shown for n in range(6, 26))  # the twenty latest decisions, all of them
    assert "...and 5 more decisions this period" in shown
    assert len(post.args["text"]) <= 4000
    # The chart: an upload URL asked for with alt text, the bytes sent there, the file shared into the DM.
    (asked,) = fake_slack.of("files.getUploadURLExternal")
    assert asked["filename"].endswith(".png") and "participation" in asked["alt_txt"].lower()
    (completed,) = fake_slack.answered("files.completeUploadExternal")
    assert completed.args["channel_id"] == post.answer["channel"]
    (chart,) = fake_slack.shared_files(post.answer["channel"])
    assert chart.content is not None and chart.content.startswith(PNG_SIGNATURE)
    assert len(chart.content) == int(asked["length"])
    assert "files.upload" not in fake_slack.method_names()  # the retired method is never called
    assert json.dumps(post.args).count("data:image") == 0


async def test_a_failed_chart_upload_never_sends_the_digest_twice(
    fake_slack: FakeSlack, aiohttp_client: Any, database_url: str
) -> None:
    clock = FixedClock()
    client = await aiohttp_client(create_app(campaign(database_url, fake_slack), clock=clock))
    slack = SlackHarness(client, fake_slack)
    await largest.decide_many(client.server.app[RUNTIME].bot, clock, count=2)
    fake_slack.fail("files.completeUploadExternal", "internal_error", times=5)

    await slack.command_reply("digest", user=CM.removeprefix("slack:"))
    await slack.drain()

    assert len(digest_posts(fake_slack)) == 1
    assert fake_slack.shared_files(digest_posts(fake_slack)[0].answer["channel"]) == []
