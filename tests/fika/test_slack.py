"""Fika over Slack's real request path: signed commands and button presses in, the fake Web API out."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import create_app
from bot.fika.report import fika_report
from storage.fika_models import FikaIdea, FikaMember, FikaPerson
from tests.factories import FixedClock
from tests.fika.conftest import fika_config
from tests.slack.conftest import SIGNING_SECRET, SlackHarness, payload
from tests.slack.fake_slack import BOT_TOKEN, FakeSlack

MONDAY_0900 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
STARTED = MONDAY_0900 + timedelta(hours=3)  # after the 09:00 round's grace period: start-up runs nothing
STAFF = ("U1", "U2", "U3", "U4")


@pytest.fixture
async def slack(fake_slack: FakeSlack, aiohttp_client: Any, database_url: str) -> AsyncIterator[SlackHarness]:
    settings = {"bot_token": BOT_TOKEN, "signing_secret": SIGNING_SECRET, "api_url": fake_slack.base_url}
    config = fika_config(storage={"url": database_url}, slack=settings, playground={"enabled": False})
    client = await aiohttp_client(create_app(config, clock=FixedClock(STARTED)))
    yield SlackHarness(client, fake_slack)


def button(harness: SlackHarness, *, user: str, action_id: str, value: str, channel: str) -> dict[str, Any]:
    body = payload("block_actions_vote")
    body["user"]["id"] = user
    body["container"]["channel_id"] = body["channel"]["id"] = channel
    body["actions"][0].update(action_id=action_id, value=value)
    body["response_url"] = harness.response_url
    return body


def actions_of(post: dict[str, Any]) -> list[dict[str, Any]]:
    return [element for block in post["blocks"] if block["type"] == "actions" for element in block["elements"]]


async def join(slack: SlackHarness, *users: str) -> None:
    for user in users:
        assert "You're in fika" in (await slack.command_reply("fika on", user=user))["text"]


async def round_posts(slack: SlackHarness) -> list[dict[str, Any]]:
    await slack.drain()
    return [p for p in slack.fake.of("chat.postMessage") if str(p["channel"]).startswith("G")]


async def test_a_round_opens_one_group_dm_per_group_with_the_question_and_the_idea_button(
        slack: SlackHarness) -> None:
    await join(slack, *STAFF)
    reply = await slack.command_reply("fika round", user="UCM")
    assert "Fika round 1: 4 people in 2 groups" in reply["text"]
    posts = await round_posts(slack)
    opened = [set(args["users"].split(",")) for args in slack.fake.of("conversations.open")]
    assert len(opened) == 2 and set().union(*opened) == set(STAFF) and all(len(g) == 2 for g in opened)
    assert len(posts) == 2
    for post in posts:
        assert post["blocks"][0]["type"] == "header" and post["blocks"][0]["text"]["text"].startswith("Fika:")
        assert "Q1?" in post["text"]
        (share,) = actions_of(post)
        assert share["text"]["text"] == "Share an idea from our chat" and share["action_id"] == "fika_idea"


async def test_a_staff_member_is_refused_a_round_and_nothing_is_sent(slack: SlackHarness) -> None:
    await join(slack, "U1", "U2")
    reply = await slack.command_reply("fika round", user="U1")
    assert "Only admins or community managers can start a fika round" in reply["text"]
    assert await round_posts(slack) == [] and slack.fake.of("conversations.open") == []


async def test_follow_up_buttons_record_each_answer(slack: SlackHarness) -> None:
    await join(slack, "U1", "U2")
    scheduler = slack.runtime.scheduler
    await scheduler.fire("fika:round", MONDAY_0900)  # type: ignore[attr-defined]
    await scheduler.fire("fika:follow-up", MONDAY_0900 + timedelta(days=4))  # type: ignore[attr-defined]
    await slack.drain()
    asks = [p for p in slack.fake.of("chat.postMessage") if p["channel"] in ("U1", "U2")]  # DMs go to the user id
    assert len(asks) == 2 and all("Did you meet?" in p["text"] for p in asks)
    labels = {channel: [b["text"]["text"] for b in actions_of(p)] for p in asks for channel in [p["channel"]]}
    assert labels["U1"] == ["Yes", "Not yet", "We can't"]
    yes = next(b for b in actions_of(asks[0]) if b["action_id"] == "fika_met")
    user = asks[0]["channel"]
    other = "U2" if user == "U1" else "U1"
    response = await slack.interactive(button(slack, user=user, action_id="fika_met", value=yes["value"],
                                              channel=asks[0]["channel"]))
    assert response.status == 200
    (thanks,) = await slack.fake.wait_for(lambda: slack.fake.of("response_url"))
    assert thanks["text"] == "Thanks, noted: you met." and thanks["response_type"] == "ephemeral"
    await slack.interactive(button(slack, user=other, action_id="fika_cant", value=yes["value"], channel="DX"))
    await slack.fake.wait_for(lambda: len(slack.fake.of("response_url")) == 2)
    # Someone pressing a button for a round they were not in changes nothing.
    await slack.interactive(button(slack, user="U9", action_id="fika_not_yet", value=yes["value"], channel="DX"))
    refused = await slack.fake.wait_for(lambda: len(slack.fake.of("response_url")) == 3 and
                                        slack.fake.of("response_url")[2])
    assert "wasn't one of yours" in refused["text"]
    async with slack.runtime.core.db.transaction() as session:  # type: ignore[union-attr]
        outcomes = dict((await session.execute(select(FikaMember.person_ref, FikaMember.outcome))).all())
    assert outcomes == {f"slack:{user}": "met", f"slack:{other}": "cant"}


async def test_share_an_idea_opens_the_form_and_the_idea_counts_as_from_fika(slack: SlackHarness) -> None:
    await join(slack, "U1", "U2")
    await slack.command_reply("fika round", user="UCM")
    (post,) = await round_posts(slack)
    (share,) = actions_of(post)
    await slack.interactive(button(slack, user="U1", action_id="fika_idea", value=share["value"],
                                   channel=post["channel"]))
    (opened,) = await slack.fake.wait_for(lambda: slack.fake.of("views.open"))
    view = opened["view"]
    assert view["callback_id"] == "idea_form"
    assert view["blocks"][0]["element"]["initial_option"]["value"] == "rotas"
    submission = payload("view_submission_idea_form")
    submission["view"]["private_metadata"] = view["private_metadata"]
    submission["view"]["state"]["values"]["challenge"]["challenge_select"]["selected_option"]["value"] = "rotas"
    submission["view"]["state"]["values"]["idea"]["idea_text"]["value"] = "Swap shifts over coffee"
    assert (await slack.interactive(submission)).status == 200
    async with slack.runtime.core.db.transaction() as session:  # type: ignore[union-attr]
        linked = list((await session.execute(select(FikaIdea))).scalars())
    assert len(linked) == 1 and json.loads(view["private_metadata"])["source"] == f"fika:{linked[0].group_id}"
    assert await slack.idea_texts() == ["Swap shifts over coffee"]


async def test_opting_out_is_honoured_in_the_next_round(slack: SlackHarness) -> None:
    await join(slack, "U1", "U2", "U3")
    await slack.command_reply("fika round", user="UCM")
    await slack.drain()
    first = [set(a["users"].split(",")) for a in slack.fake.of("conversations.open")]
    assert first == [{"U1", "U2", "U3"}]
    assert "You're out of fika" in (await slack.command_reply("fika off", user="U3"))["text"]
    await slack.command_reply("fika round", user="UCM")
    await slack.drain()
    second = [set(a["users"].split(",")) for a in slack.fake.of("conversations.open")][1:]
    assert {"U1", "U2"} in second and not any("U3" in users for users in second)
    # U1 and U2 met in round 1: the managers hear that a pair had to meet again.
    note = next(p for p in slack.fake.of("chat.postMessage") if p["channel"] == "UCM")
    assert "1 pair(s) met before" in note["text"]


async def test_the_silent_are_asked_to_stay_in_and_each_answer_is_kept(slack: SlackHarness) -> None:
    await join(slack, "U1", "U2")
    for _ in range(4):  # at the fourth round's follow-up, the three before it went unanswered
        assert "Fika round" in (await slack.command_reply("fika round", user="UCM"))["text"]
    await slack.runtime.scheduler.fire("fika:follow-up", STARTED + timedelta(days=4))  # type: ignore[attr-defined]
    await slack.drain()
    asks = {p["channel"]: p for p in slack.fake.of("chat.postMessage") if p["text"].startswith("Stay in fika?")}
    assert sorted(asks) == ["U1", "U2"]  # privately, to each
    answers = (("U1", "fika_stay", "Great, you stay in fika."), ("U2", "fika_leave", "You're out of fika for now"))
    for count, (user, action_id, reply) in enumerate(answers, start=1):
        labels = [b["text"]["text"] for b in actions_of(asks[user])]
        assert labels == ["Keep me in", "Take a break"]
        chosen = next(b for b in actions_of(asks[user]) if b["action_id"] == action_id)
        await slack.interactive(button(slack, user=user, action_id=action_id, value=chosen["value"], channel="DX"))
        said = await slack.fake.wait_for(lambda n=count: len(slack.fake.of("response_url")) == n
                                         and slack.fake.of("response_url")[-1])
        assert reply in said["text"]
    async with slack.runtime.core.db.transaction() as session:  # type: ignore[union-attr]
        chosen_now = dict((await session.execute(select(FikaPerson.ref, FikaPerson.opted_in))).all())
    assert chosen_now == {"slack:U1": True, "slack:U2": False}


async def test_the_trial_compares_who_took_part_over_slack_with_everyone_else(slack: SlackHarness) -> None:
    await join(slack, "U1", "U2")
    await slack.command_reply("fika round", user="UCM")
    (post,) = await round_posts(slack)
    (share,) = actions_of(post)
    await slack.interactive(button(slack, user="U1", action_id="fika_idea", value=share["value"],
                                   channel=post["channel"]))
    (opened,) = await slack.fake.wait_for(lambda: slack.fake.of("views.open"))
    submission = payload("view_submission_idea_form")
    submission["view"]["private_metadata"] = opened["view"]["private_metadata"]
    values = submission["view"]["state"]["values"]
    values["challenge"]["challenge_select"]["selected_option"]["value"] = "rotas"
    values["idea"]["idea_text"]["value"] = "Swap shifts over coffee"
    values["anonymous"]["anonymous_check"]["selected_options"] = []  # the comparison counts named ideas only
    assert (await slack.interactive(submission)).status == 200
    for user, text in (("U7", "Rota swaps app"), ("U8", "Quiet room for breaks")):  # never in fika
        assert "your idea #" in (await slack.command_reply(text, user=user))["text"]
    async with slack.runtime.core.db.transaction() as session:  # type: ignore[union-attr]
        report = (await fika_report(session)).text
    assert "Rounds: 1" in report and "People paired: 2 (2 opted in now)" in report
    assert "Ideas from fika conversations: 1" in report
    assert "Took part in fika: 2 people, 50% took part; per person 0.50 ideas" in report
    assert "Everyone else the bot knows: 3 people, 67% took part; per person 0.67 ideas" in report


async def test_the_round_announcement_s_join_button_opts_the_presser_in_for_the_next_round(
        slack: SlackHarness) -> None:
    await join(slack, "U1", "U2")
    await slack.command_reply("fika round", user="UCM")
    await slack.drain()
    (announcement,) = [p for p in slack.fake.of("chat.postMessage") if p["channel"] == "CROTA"]
    assert "Fika round 1: 2 people paired" in announcement["text"] and "Q1?" in announcement["text"]
    assert "U1" not in json.dumps(announcement) and "U2" not in json.dumps(announcement)
    buttons = {b["text"]["text"]: b for b in actions_of(announcement)}
    assert list(buttons) == ["Join the next round", "Leave"]
    joining = buttons["Join the next round"]
    for count in (1, 2):  # pressed twice: in once, told so privately each time
        response = await slack.interactive(button(slack, user="U3", action_id=joining["action_id"],
                                                  value=joining["value"], channel="CROTA"))
        assert response.status == 200
        said = await slack.fake.wait_for(lambda n=count: len(slack.fake.of("response_url")) == n
                                         and slack.fake.of("response_url")[-1])
        assert "You're in fika" in said["text"] and said["response_type"] == "ephemeral"
    async with slack.runtime.core.db.transaction() as session:  # type: ignore[union-attr]
        people = dict((await session.execute(select(FikaPerson.ref, FikaPerson.opted_in))).all())
    assert people == {"slack:U1": True, "slack:U2": True, "slack:U3": True}
    await slack.command_reply("fika round", user="UCM")
    await slack.drain()
    second = [set(a["users"].split(",")) for a in slack.fake.of("conversations.open")][1:]
    assert second == [{"U1", "U2", "U3"}]
    announcements = [p for p in slack.fake.of("chat.postMessage") if p["channel"] == "CROTA"]
    assert len(announcements) == 2 and "Fika round 2: 3 people paired" in announcements[1]["text"]
