"""An idea hour over the fake Teams connector: questions as channel posts, answers as thread replies,
agreements as reactions on them, host-only control from a 1:1 chat, and a closing card equal to the report."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from bot.app import RUNTIME, create_app
from bot.config import parse_config
from bot.exports import idea_rows
from bot.hour.anonymise import ANONYMISE_ACTION
from bot.hour.compose import REMIND_ACTION
from bot.hour.promote import PROMOTE_ACTION
from bot.hour.report import build_report, to_markdown
from storage.models import IdeaHourQuestion, IdeaHourRun, OutboxMessage
from tests.factories import FixedClock
from tests.teams.fake_connector import FakeConnector
from tests.teams.helpers import CM_AAD, ROTAS, drain, in_thread, payload, person, post_activity, teams_config

HOUR = {"key": "handovers-hour", "challenge": "rotas", "title": "Safer handovers", "channels": [f"teams:{ROTAS}"],
        "starts": "2026-11-23 19:00", "questions": ["What makes a handover go well?", "What would you change?"],
        "question_interval_minutes": 20}


@pytest.fixture
async def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 23, 18, 0, tzinfo=UTC))


@pytest.fixture
async def teams(aiohttp_client: Any, database_url: str, connector: FakeConnector, clock: FixedClock) -> TestClient:
    config = parse_config({**teams_config(database_url).model_dump(mode="json"), "idea_hours": [HOUR]}, environ={})
    return await aiohttp_client(create_app(config, clock=clock))


def card_text(activity: dict[str, Any]) -> str:
    card = activity["attachments"][0]["content"]
    return "\n".join(str(block.get("text", "")) for block in card["body"]) + str(card["body"])


async def say(teams: TestClient, connector: FakeConnector, text: str, who: str) -> str:
    before = len(connector.sent)
    sender = {"id": f"29:{who}-bf-id", "name": who, "aadObjectId": who}
    body = payload("activity_message_personal", connector.url, text=text, id=f"cmd-{who}-{text}", **{"from": sender})
    assert await post_activity(teams, body) == 200
    (answer,) = [sent for sent in connector.sent[before:] if sent.conversation.startswith("a:1on1")]
    return card_text(answer.activity)


async def test_an_hour_in_a_teams_channel_records_answers_and_agreements(teams, connector, clock):
    assert await post_activity(teams, payload("activity_conversation_update_bot_added", connector.url)) == 200
    scheduler = teams.app[RUNTIME].scheduler
    clock.now = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)
    assert "started" in await scheduler.fire("hour:handovers-hour:start", clock.now)
    await drain(teams)
    opening, q1 = [sent for sent in connector.sent if sent.conversation == ROTAS]
    assert "The idea hour starts now" in card_text(opening.activity)
    assert "What makes a handover go well?" in card_text(q1.activity)

    for name in ("alice", "bob"):
        reply = in_thread(payload("activity_message_thread_reply", connector.url, id=f"ans-{name}",
                                  text=f"{name.title()}'s answer", **{"from": person(name)}), q1.returned_id)
        assert await post_activity(teams, reply) == 200
        assert await post_activity(teams, reply) == 200  # Teams retrying: stored once
    for voter, answer, kind in (("carol", "ans-alice", "like"), ("bob", "ans-alice", "heart"),
                                ("carol", "ans-bob", "surprised"), ("alice", "ans-alice", "like")):
        reaction = in_thread(payload("activity_message_reaction_like", connector.url, id=f"r-{voter}-{answer}-{kind}",
                                     reactionsAdded=[{"type": kind}], **{"from": person(voter)}), answer)
        assert await post_activity(teams, reaction) == 200

    refused = await say(teams, connector, "idea hour next", "aad-staff")
    assert "Only the hosts of 'handovers-hour' and community managers" in refused
    assert "Q2 of 'handovers-hour'" in await say(teams, connector, "idea hour next", CM_AAD)
    assert "has ended" in await say(teams, connector, "idea hour end", CM_AAD)
    await drain(teams)

    posts = [sent for sent in connector.sent if sent.conversation == ROTAS]
    assert [card_text(p.activity).split("\n")[0] for p in posts] == [
        "The idea hour starts now: Safer handovers", "Question 1 of 2 · Safer handovers",
        "Question 2 of 2 · Safer handovers", "Thank you! The idea hour has ended: Safer handovers"]
    closing = card_text(posts[-1].activity)
    assert "3 people took part (3 for the first time in this campaign), with 2 answers." in closing
    assert re.search(r"1\. .Alice's answer. \(2 agree\)", closing)  # alice's own like is not agreement
    assert re.search(r"2\. .Bob's answer. \(1 agree\)", closing)
    core = teams.app[RUNTIME].core
    async with core.db.transaction() as session:
        markdown = to_markdown(await build_report(core, session, "handovers-hour"))
    assert "People taking part: 3 (3 for the first time in this campaign)" in markdown
    assert "## Q1: What makes a handover go well? (2 answers)" in markdown
    assert "| 1 | Alice's answer | Alice | 2026-11-23 19:00 | 2 |  |" in markdown
    # The schedule's later steps repeat nothing.
    for job, minute in (("q2", 20), ("end", 40)):
        clock.now = datetime(2026, 11, 23, 19, minute, tzinfo=UTC)
        await scheduler.fire(f"hour:handovers-hour:{job}", clock.now)
    await drain(teams)
    assert len([sent for sent in connector.sent if sent.conversation == ROTAS]) == 4


def message_action(connector: FakeConnector, who: str, message_id: str, root: str) -> dict[str, Any]:
    body = payload("activity_message_reaction_like", connector.url, type="invoke", id=f"inv-{who}-{message_id}",
                   **{"from": {"id": f"29:{who}", "name": who, "aadObjectId": who}})
    body["name"] = "composeExtension/fetchTask"
    for key in ("reactionsAdded", "replyToId"):
        body.pop(key, None)
    body["conversation"]["id"] = f"{ROTAS};messageid={root}"
    body["value"] = {"commandId": PROMOTE_ACTION, "commandContext": "message",
                     "messagePayload": {"id": message_id, "messageType": "message", "body": {"content": "..."}}}
    return body


async def test_the_make_this_an_idea_message_action_promotes_an_answer(teams, connector, clock):
    manifest = json.loads((Path(__file__).parents[2] / "adapters/teams/manifest.json").read_text())
    assert [c["id"] for c in manifest["composeExtensions"][0]["commands"]] == [PROMOTE_ACTION]
    assert await post_activity(teams, payload("activity_conversation_update_bot_added", connector.url)) == 200
    clock.now = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)
    await teams.app[RUNTIME].scheduler.fire("hour:handovers-hour:start", clock.now)
    await drain(teams)
    q1 = [sent for sent in connector.sent if sent.conversation == ROTAS][-1].returned_id
    reply = in_thread(payload("activity_message_thread_reply", connector.url, id="ans-alice", text="Bedside handover",
                              **{"from": person("alice")}), q1)
    assert await post_activity(teams, reply) == 200
    for who, expected in (("aad-staff", "Only admins or community managers can turn"),
                          (CM_AAD, "Answer 1 to Q1 of 'handovers-hour' is now idea #1")):
        response = await teams.post("/api/messages", json=message_action(connector, who, "ans-alice", q1))
        assert response.status == 200
        answer = await response.json()
        assert answer["task"]["type"] == "message" and expected in answer["task"]["value"], answer
    core = teams.app[RUNTIME].core
    async with core.db.transaction() as session:
        (row,) = await idea_rows(core, session)
    assert (row["text"], row["author"], row["votes"]) == ("Bedside handover", "teams:aad-alice", 0)


def remind_invoke(connector: FakeConnector, who: str, root: str, activity_id: str) -> dict[str, Any]:
    body = payload("activity_card_vote", connector.url, id=activity_id, **{"from": person(who)})
    body.update(type="invoke", name="adaptiveCard/action", replyToId=root,
                value={"action": {"type": "Action.Execute", "verb": REMIND_ACTION,
                                  "data": {"crowdbot": REMIND_ACTION, "value": "handovers-hour"}},
                       "trigger": "manual"})
    body["conversation"] = {**body["conversation"], "id": f"{ROTAS};messageid={root}"}
    return body


async def test_remind_me_is_an_action_execute_and_the_reminder_is_private(aiohttp_client, database_url, connector,
                                                                         clock):
    config = parse_config({**teams_config(database_url).model_dump(mode="json"),
                           "idea_hours": [{**HOUR, "reminders": ["15m"]}]}, environ={})
    teams = await aiohttp_client(create_app(config, clock=clock))
    assert await post_activity(teams, payload("activity_conversation_update_bot_added", connector.url)) == 200
    scheduler = teams.app[RUNTIME].scheduler
    clock.now = datetime(2026, 11, 23, 18, 45, tzinfo=UTC)
    await scheduler.fire("hour:handovers-hour:remind:15m", clock.now)
    await drain(teams)
    (announcement,) = [sent for sent in connector.sent if sent.conversation == ROTAS]
    (button,) = announcement.activity["attachments"][0]["content"]["actions"]
    assert (button["type"], button["verb"], button["title"]) == ("Action.Execute", REMIND_ACTION, "Remind me")
    answers = []
    for who, activity_id in (("alice", "f:alice-1"), ("alice", "f:alice-2"), ("bob", "f:bob-1")):
        response = await teams.post("/api/messages", json=remind_invoke(connector, who, announcement.returned_id,
                                                                        activity_id))
        assert response.status == 200
        answers.append(await response.json())
    assert all(a["type"] == "application/vnd.microsoft.activity.message" for a in answers)
    assert "I'll remind you privately" in answers[0]["value"] and "already on the list" in answers[1]["value"]
    before = len(connector.sent)
    clock.now = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)
    await scheduler.fire("hour:handovers-hour:start", clock.now)
    await scheduler.fire("hour:handovers-hour:q2", datetime(2026, 11, 23, 19, 20, tzinfo=UTC))
    await drain(teams)
    reminded = [sent for sent in connector.sent[before:] if "is on now" in card_text(sent.activity)]
    assert len(reminded) == 2 and all(sent.conversation != ROTAS for sent in reminded)  # 1:1 chats, once each


async def test_the_author_of_a_promoted_idea_makes_it_anonymous_from_their_private_card(teams, connector, clock):
    assert await post_activity(teams, payload("activity_conversation_update_bot_added", connector.url)) == 200
    clock.now = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)
    await teams.app[RUNTIME].scheduler.fire("hour:handovers-hour:start", clock.now)
    await drain(teams)
    q1 = [sent for sent in connector.sent if sent.conversation == ROTAS][-1].returned_id
    reply = in_thread(payload("activity_message_thread_reply", connector.url, id="ans-alice", text="Bedside handover",
                              **{"from": person("alice")}), q1)
    assert await post_activity(teams, reply) == 200
    assert "is now idea" in await say(teams, connector, "idea promote handovers-hour 1 1", CM_AAD)
    await drain(teams)
    (told,) = [sent for sent in connector.sent if "Your answer" in card_text(sent.activity)]
    assert not told.conversation.startswith(ROTAS)  # in alice's 1:1 chat
    (button,) = told.activity["attachments"][0]["content"]["actions"]
    assert (button["type"], button["verb"], button["data"]["value"]) == ("Action.Execute", ANONYMISE_ACTION, "1")

    async def press(who: str, activity_id: str) -> dict[str, Any]:
        body = remind_invoke(connector, who, told.returned_id, activity_id)
        body["value"]["action"] = {"type": "Action.Execute", "verb": ANONYMISE_ACTION,
                                   "data": {"crowdbot": ANONYMISE_ACTION, "value": "1"}}
        response = await teams.post("/api/messages", json=body)
        assert response.status == 200
        return await response.json()

    refused = await press("bob", "f:bob-anon")
    assert "not an idea made from one of your idea hour answers" in refused["value"] and "lice" not in refused["value"]
    done = await press("alice", "f:alice-anon")
    assert "is now anonymous" in done["value"]
    core = teams.app[RUNTIME].core
    async with core.db.transaction() as session:
        (row,) = await idea_rows(core, session)
    assert (row["author"], row["author_name"]) == ("", "")  # exports leave an anonymous author blank


async def test_staff_cannot_start_move_on_or_end_an_hour_and_nothing_changes(teams, connector, clock):
    assert await post_activity(teams, payload("activity_conversation_update_bot_added", connector.url)) == 200
    clock.now = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)
    core = teams.app[RUNTIME].core

    async def state() -> tuple[int, int, Any]:
        async with core.db.transaction() as session:
            queued = (await session.execute(select(func.count()).select_from(OutboxMessage))).scalar_one()
            questions = (await session.execute(select(func.count()).select_from(IdeaHourQuestion))).scalar_one()
            run = (await session.execute(select(IdeaHourRun.ended_at))).scalars().all()
        return queued, questions, run

    refused = await say(teams, connector, "idea hour start handovers-hour", "aad-staff")
    assert "Only the hosts of 'handovers-hour' and community managers can start" in refused
    assert await state() == (0, 0, [])
    assert "has started" in await say(teams, connector, "idea hour start handovers-hour", CM_AAD)
    before = await state()
    assert before[1:] == (1, [None])
    for text in ("idea hour start handovers-hour", "idea hour next", "idea hour end", "idea hour end handovers-hour"):
        refused = await say(teams, connector, text, "aad-staff")
        assert "Only the hosts of 'handovers-hour' and community managers" in refused, text
    assert await state() == before
