"""An idea hour over the fake Slack: posts in order and once each with two schedulers on one database, answers
and agreements from signed thread replies and reactions, a summary equal to the report, and the harvest."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.app import create_app
from bot.context import Core
from bot.hour.anonymise import ANONYMISE_ACTION
from bot.hour.compose import REMIND_ACTION
from bot.hour.promote import PROMOTE_ACTION
from bot.hour.report import build_report, to_csv, to_markdown
from scheduler.runner import CampaignScheduler
from storage.database import Database
from storage.models import (
    Comment,
    Idea,
    IdeaHourAgreement,
    IdeaHourAnswer,
    IdeaHourReminderRequest,
    IdeaHourRun,
    OutboxMessage,
)
from tests.factories import FixedClock, make_config
from tests.slack.conftest import SlackHarness, payload, reaction, slack_config, thread_reply
from tests.slack.fake_slack import FakeSlack
from tests.slack.test_manifest import MANIFEST

HOST, CM = "UHOST", "UCM"  # UCM is a community manager in make_config
QUESTIONS = ["Q1: What makes a handover go well?", "Q2: What one thing would you change tomorrow?",
             "Q3: Who should we learn from?"]
HOUR = {"key": "handovers-hour", "challenge": "rotas", "title": "Safer handovers: an idea hour",
        "channels": ["slack:CROTA"], "starts": "2026-11-23 19:00", "questions": QUESTIONS,
        "question_interval_minutes": 15, "hosts": [f"slack:{HOST}"], "reminders": ["1d", "15m"]}
START = datetime(2026, 11, 23, 19, 0, tzinfo=UTC)  # GMT in November: UTC is local time


def at(hour: int, minute: int) -> datetime:
    return datetime(2026, 11, 23, hour, minute, tzinfo=UTC)


@pytest.fixture
async def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 22, 18, 0, tzinfo=UTC))


@pytest.fixture
async def slack(fake_slack: FakeSlack, aiohttp_client: Any, database_url: str, clock: FixedClock
                ) -> AsyncIterator[SlackHarness]:
    base = slack_config(database_url, fake_slack)
    config = make_config(**{**base.model_dump(include={"storage", "slack"}), "idea_hours": [HOUR]})
    client = await aiohttp_client(create_app(config, clock=clock))
    yield SlackHarness(client, fake_slack)


@pytest.fixture
async def replica(slack: SlackHarness, database_url: str, clock: FixedClock) -> AsyncIterator[CampaignScheduler]:
    """A second replica's scheduler: its own engine and connections on the same database."""
    core = slack.runtime.core
    assert core is not None
    other_db = Database(database_url)
    yield CampaignScheduler(Core(core.config, other_db, platforms=core.platforms, clock=clock,
                                 traits=core.traits), node="replica-2")
    await other_db.dispose()


async def fire_on_both(slack: SlackHarness, replica: CampaignScheduler, clock: FixedClock, job_id: str,
                       when: datetime) -> None:
    clock.now = when
    first = slack.runtime.scheduler
    assert isinstance(first, CampaignScheduler)
    results = await asyncio.gather(first.fire(job_id, when), replica.fire(job_id, when))
    assert sum("had already run" in result for result in results) == 1, results
    await slack.drain()


def channel_posts(fake: FakeSlack) -> list[Any]:
    return [c for c in fake.answered("chat.postMessage") if c.args.get("channel") == "CROTA"
            and not c.args.get("thread_ts")]


async def count(slack: SlackHarness, table: Any) -> int:
    async with slack.runtime.core.db.transaction() as session:  # type: ignore[union-attr]
        return int((await session.execute(select(func.count()).select_from(table))).scalar_one())


async def run_the_hour(slack: SlackHarness, replica: CampaignScheduler, clock: FixedClock) -> dict[str, str]:
    """Reminders, start, answers and agreements, the other questions, the end. Returns answer ts by name."""
    await fire_on_both(slack, replica, clock, "hour:handovers-hour:remind:1d", at(19, 0).replace(day=22))
    clock.now = at(18, 30)
    idea_ts = await slack.submit_idea("Earlier idea from a regular", user="UOLD")  # UOLD has taken part before
    await fire_on_both(slack, replica, clock, "hour:handovers-hour:remind:15m", at(18, 45))
    await fire_on_both(slack, replica, clock, "hour:handovers-hour:start", START)
    q1 = channel_posts(slack.fake)[-1].answer["ts"]
    clock.now = at(19, 5)
    answers = {"a": ("UNEW1", "Use a written checklist <b>every</b> time"), "b": ("UOLD", "Handover at the bedside"),
               "c": ("UNEW2", "Protected ten minutes")}
    ts = {}
    for number, (name, (user, text)) in enumerate(answers.items(), start=1):
        ts[name] = f"1700000500.00010{number}"
        response = await slack.event(thread_reply(user, q1, ts[name], text), f"Ev-answer-{name}")
        assert response.status == 200
    # A retry of the same event and an edit-free duplicate delivery change nothing.
    await slack.event(thread_reply("UNEW1", q1, ts["a"], answers["a"][1]), "Ev-answer-a", retry_num=1)
    agreements = [("UOLD", "a", "heart"), ("UNEW2", "a", "+1"), ("UNEW3", "a", "clap"), ("UNEW3", "a", "tada"),
                  ("UNEW1", "a", "heart"),  # the author on their own answer: not agreement
                  ("UNEW1", "b", "+1"), ("UNEW3", "b", "+1"), ("UNEW2", "c", "eyes")]
    for index, (user, name, emoji) in enumerate(agreements):
        assert (await slack.event(reaction(user, ts[name], emoji=emoji), f"Ev-agree-{index}")).status == 200
    # In the hour's channel, a vote on an idea post and a comment in its thread work as ever (not agreements).
    assert (await slack.event(reaction("UNEW9", idea_ts, emoji="+1"), "Ev-vote")).status == 200
    assert (await slack.event(thread_reply("UNEW9", idea_ts, "1700000550.000100", "Agreed!"), "Ev-comment")
            ).status == 200
    # Withdrawn: UNEW2 takes back the reaction on c, so c has no agreement.
    assert (await slack.event(reaction("UNEW2", ts["c"], emoji="eyes", added=False), "Ev-unagree")).status == 200
    await fire_on_both(slack, replica, clock, "hour:handovers-hour:q2", at(19, 15))
    q2 = channel_posts(slack.fake)[-1].answer["ts"]
    clock.now = at(19, 20)
    ts["d"] = "1700000600.000100"
    # A backlog can deliver a reaction before the answer it is on: it is kept, and counts once the answer is in.
    assert (await slack.event(reaction("UOLD", ts["d"], emoji="bulb"), "Ev-early")).status == 200
    await slack.event(thread_reply("UNEW3", q2, ts["d"], "Ask the night team first"), "Ev-answer-d")
    await fire_on_both(slack, replica, clock, "hour:handovers-hour:q3", at(19, 30))
    await fire_on_both(slack, replica, clock, "hour:handovers-hour:end", at(19, 45))
    return ts


async def test_the_posts_of_an_hour_go_out_in_order_once_each_with_two_replicas(slack, replica, clock):
    await run_the_hour(slack, replica, clock)
    titles = [post.args["text"].splitlines()[0] for post in channel_posts(slack.fake)
              if "idea hour" in post.args["text"].lower() or post.args["text"].startswith("Question")]
    assert titles == [
        "Idea hour tomorrow: Safer handovers: an idea hour",
        "Idea hour in 15 minutes: Safer handovers: an idea hour",
        "The idea hour starts now: Safer handovers: an idea hour",
        "Question 1 of 3 · Safer handovers: an idea hour",
        "Question 2 of 3 · Safer handovers: an idea hour",
        "Question 3 of 3 · Safer handovers: an idea hour",
        "Thank you! The idea hour has ended: Safer handovers: an idea hour",
    ]
    # A restart after the hour: catching up runs nothing again.
    clock.now = at(19, 50)
    await replica.catch_up()
    await slack.drain()
    assert len(channel_posts(slack.fake)) == 8  # the 7 above and the idea posted before the hour


async def test_answers_and_agreements_are_recorded_from_thread_replies_and_reactions(slack, replica, clock):
    await run_the_hour(slack, replica, clock)
    assert await count(slack, IdeaHourAnswer) == 4
    assert await slack.votes() == 1 and await slack.comments() == ["Agreed!"]
    async with slack.runtime.core.db.transaction() as session:
        rows = (await session.execute(select(IdeaHourAnswer.text, func.count(func.distinct(
            IdeaHourAgreement.person_ref))).outerjoin(IdeaHourAgreement, IdeaHourAgreement.answer_id ==
                                                      IdeaHourAnswer.id).group_by(IdeaHourAnswer.id)
                                           .order_by(IdeaHourAnswer.id))).all()
    assert [tuple(row) for row in rows] == [("Use a written checklist <b>every</b> time", 3),
                                            ("Handover at the bedside", 2), ("Protected ten minutes", 0),
                                            ("Ask the night team first", 1)]
    # An answer after the end is not recorded, and its author is told why, privately.
    (q3,) = [p.answer["ts"] for p in channel_posts(slack.fake) if p.args["text"].startswith("Question 3 of")]
    clock.now = at(19, 50)
    await slack.event(thread_reply("UNEW1", q3, "1700000700.000100", "Late answer"), "Ev-late")
    await slack.fake.wait_for(lambda: slack.fake.of("chat.postEphemeral"))
    assert "has ended" in slack.fake.of("chat.postEphemeral")[-1]["text"]
    assert await count(slack, IdeaHourAnswer) == 4


def summary_figures(text: str) -> dict[str, Any]:
    people, first = re.search(r"(\d+) people took part \((\d+) for the first time", text).groups()  # type: ignore[union-attr]
    per_question = [int(n) for n in re.findall(r"Q\d: [^\n]*?\((\d+) answers?\)", text)]
    return {"people": int(people), "first": int(first), "per_question": per_question}


async def test_the_summary_figures_equal_the_report(slack, replica, clock):
    await run_the_hour(slack, replica, clock)
    closing = channel_posts(slack.fake)[-1].args
    summary = summary_figures(closing["text"])
    # UNEW1, UNEW2, UNEW3 contributed for the first time during the hour; UOLD had shared an idea before.
    assert summary == {"people": 4, "first": 3, "per_question": [3, 1, 0]}
    blocks_text = "\n".join(str(block) for block in closing["blocks"])
    assert "Use a written checklist &lt;b&gt;every&lt;/b&gt; time" in blocks_text  # user text escaped
    assert "(3 agree)" in closing["text"] and "(2 agree)" in closing["text"]
    core = slack.runtime.core
    async with core.db.transaction() as session:
        report = await build_report(core, session, "handovers-hour")
    markdown = to_markdown(report)
    people, first = re.search(r"People taking part: (\d+) \((\d+) for the first time", markdown).groups()  # type: ignore[union-attr]
    headings = [int(n) for n in re.findall(r"^## Q\d: .*\((\d+) answers\)$", markdown, re.M)]
    assert {"people": int(people), "first": int(first), "per_question": headings} == summary
    rows = to_csv(report).strip().splitlines()[1:]
    per_question = [sum(1 for row in rows if row.startswith(f"{n},")) for n in (1, 2, 3)]
    assert per_question == summary["per_question"]
    assert "| 1 | Use a written checklist <b>every</b> time | UNEW1 | 2026-11-23 19:05 | 3 |  |" in markdown


async def test_promoting_an_answer_creates_an_idea_with_a_link_back(slack, replica, clock):
    slack.fake.add_user("UOLD", display_name="Ola Old")
    await run_the_hour(slack, replica, clock)
    refused = await slack.command_reply("promote handovers-hour 1 2", user="UNEW1")
    assert "Only admins or community managers can turn" in refused["text"] and "Nothing was changed" in refused["text"]
    reply = await slack.command_reply("promote handovers-hour 1 2", user=CM)
    assert "is now idea #2" in reply["text"], reply
    again = await slack.command_reply("promote handovers-hour 1 2", user=CM)
    assert "is an idea already" in again["text"]
    missing = await slack.command_reply("promote handovers-hour 1 9", user=CM)
    assert "has 3 answer(s), so there is no answer 9" in missing["text"]
    await slack.drain()
    async with slack.runtime.core.db.transaction() as session:
        idea = (await session.execute(select(Idea).where(Idea.number == 2))).scalar_one()
        answer = (await session.execute(select(IdeaHourAnswer).where(IdeaHourAnswer.promoted_idea_id == idea.id)
                                        )).scalar_one()
        comment = (await session.execute(select(Comment.text).where(Comment.idea_id == idea.id))).scalar_one()
    assert (idea.text, idea.author_ref, idea.challenge_key, idea.vote_count) == (
        "Handover at the bedside", "slack:UOLD", "rotas", 0)  # the author kept; agreements are not votes
    assert answer.text == idea.text and "Q1 answer 2" in comment
    direct = [c.args for c in slack.fake.answered("chat.postMessage") if c.args["channel"] == "UOLD"]
    assert any("is now idea #2" in args["text"] and "2 people who agreed" in args["text"] for args in direct)
    (q1,) = [p.answer["ts"] for p in channel_posts(slack.fake) if p.args["text"].startswith("Question 1 of")]
    link = [c.args for c in slack.fake.answered("chat.postMessage") if c.args.get("thread_ts") == q1]
    assert link and "Answer 2 to this question is now idea #2" in link[-1]["text"]
    await slack.settle()
    async with slack.runtime.core.db.transaction() as session:
        report = await build_report(slack.runtime.core, session, "handovers-hour")
    # The name Slack shows (users.info), not the id or the account handle of the slash command.
    assert "| 2 | Handover at the bedside | Ola Old | 2026-11-23 19:05 | 2 | #2 |" in to_markdown(report)


async def test_host_commands_are_refused_for_others_with_nothing_changed(slack, clock):
    clock.now = at(12, 0)
    refused = await slack.command_reply("hour start handovers-hour", user="USTAFF")
    assert "Only the hosts of 'handovers-hour' and community managers" in refused["text"]
    assert await count(slack, IdeaHourRun) == 0 and await count(slack, OutboxMessage) == 0
    started = await slack.command_reply("hour start handovers-hour", user=HOST)
    assert "has started" in started["text"]
    assert "was started already" in (await slack.command_reply("hour start handovers-hour", user=HOST))["text"]
    queued = await count(slack, OutboxMessage)
    for text in ("hour start handovers-hour", "hour next", "hour end", "hour end handovers-hour"):
        reply = await slack.command_reply(text, user="USTAFF")
        assert "Only the hosts" in reply["text"], reply
    assert await count(slack, OutboxMessage) == queued
    for expected in ("Q2 of", "Q3 of", "All 3 questions"):
        assert expected in (await slack.command_reply("hour next", user=HOST))["text"]
    assert "has ended" in (await slack.command_reply("hour end", user=HOST))["text"]
    assert "No idea hour is running" in (await slack.command_reply("hour next", user=HOST))["text"]
    await slack.drain()
    titles = [post.args["text"].splitlines()[0] for post in channel_posts(slack.fake)]
    assert [t.split(" ·")[0].split(":")[0] for t in titles] == [
        "The idea hour starts now", "Question 1 of 3", "Question 2 of 3", "Question 3 of 3",
        "Thank you! The idea hour has ended"]
    # The schedule, later, repeats none of it.
    scheduler = slack.runtime.scheduler
    for job, when in (("start", START), ("q2", at(19, 15)), ("q3", at(19, 30)), ("end", at(19, 45))):
        clock.now = when
        await scheduler.fire(f"hour:handovers-hour:{job}", when)
    await slack.drain()
    assert len(channel_posts(slack.fake)) == 5


def shortcut(slack: SlackHarness, user: str, ts: str) -> dict[str, Any]:
    return {"type": "message_action", "callback_id": PROMOTE_ACTION, "trigger_id": "1.2.3", "token": "unused",
            "response_url": slack.response_url, "action_ts": "1700000900.000100", "message_ts": ts,
            "user": {"id": user, "name": user.lower()}, "channel": {"id": "CROTA", "name": "rotas"},
            "team": {"id": "T0TEST", "domain": "test"}, "message": {"type": "message", "user": "UNEW3", "ts": ts}}


async def test_the_make_this_an_idea_shortcut_promotes_the_answer_it_is_used_on(slack, replica, clock):
    assert {s["callback_id"] for s in MANIFEST["features"]["shortcuts"]} == {PROMOTE_ACTION}
    ts = await run_the_hour(slack, replica, clock)
    for user, target, expected in (("UNEW1", ts["d"], "Only admins or community managers can turn"),
                                   (CM, "1700000000.999999", "is not an answer in an idea hour"),
                                   (CM, ts["d"], "Answer 1 to Q2 of 'handovers-hour' is now idea #2")):
        before = len(slack.fake.of("response_url"))
        assert (await slack.interactive(shortcut(slack, user, target))).status == 200
        await slack.fake.wait_for(lambda before=before: len(slack.fake.of("response_url")) > before)
        assert expected in slack.fake.of("response_url")[-1]["text"]
    async with slack.runtime.core.db.transaction() as session:
        texts = list((await session.execute(select(Idea.text).order_by(Idea.number))).scalars())
    assert texts == ["Earlier idea from a regular", "Ask the night team first"]


def remind_press(slack: SlackHarness, user: str, ts: str, value: str = "handovers-hour") -> dict[str, Any]:
    body = payload("block_actions_vote")
    body["user"] = {"id": user, "username": user.lower(), "name": user.lower(), "team_id": "T0TEST"}
    body["container"]["message_ts"] = body["message"]["ts"] = ts
    body["actions"][0].update(action_id=REMIND_ACTION, value=value, text={"type": "plain_text", "text": "Remind me"})
    body["response_url"] = slack.response_url
    return body


async def test_remind_me_sends_each_person_who_asked_one_private_reminder_at_the_start(slack, replica, clock):
    await fire_on_both(slack, replica, clock, "hour:handovers-hour:remind:1d", at(19, 0).replace(day=22))
    (announcement,) = channel_posts(slack.fake)
    buttons = [element for block in announcement.args["blocks"] if block["type"] == "actions"
               for element in block["elements"]]
    assert [(b["action_id"], b["value"], b["text"]["text"]) for b in buttons] == [
        (REMIND_ACTION, "handovers-hour", "Remind me")]
    ts = announcement.answer["ts"]
    for user in ("UNEW1", "UNEW1", "UNEW2"):  # UNEW1 presses twice: one request
        before = len(slack.fake.of("response_url"))
        assert (await slack.interactive(remind_press(slack, user, ts))).status == 200
        await slack.fake.wait_for(lambda before=before: len(slack.fake.of("response_url")) > before)
    answers = [a["text"] for a in slack.fake.of("response_url")]
    assert "I'll remind you privately" in answers[0] and "already on the list" in answers[1]
    assert all(a["response_type"] == "ephemeral" for a in slack.fake.of("response_url"))
    assert slack.fake.answered("chat.postMessage")[-1].args["channel"] == "CROTA"  # nothing sent to them yet
    await fire_on_both(slack, replica, clock, "hour:handovers-hour:start", START)
    await fire_on_both(slack, replica, clock, "hour:handovers-hour:q2", at(19, 15))
    direct = [c.args["channel"] for c in slack.fake.answered("chat.postMessage")
              if c.args["channel"] in ("UNEW1", "UNEW2") and "is on now" in c.args["text"]]
    assert sorted(direct) == ["UNEW1", "UNEW2"]  # once each, across both replicas and the later question
    # After the start, a press is answered and stores nothing.
    before = len(slack.fake.of("response_url"))
    await slack.interactive(remind_press(slack, "UNEW3", ts))
    await slack.fake.wait_for(lambda: len(slack.fake.of("response_url")) > before)
    assert "has started" in slack.fake.of("response_url")[-1]["text"]
    assert await count(slack, IdeaHourReminderRequest) == 2


async def test_doctor_lists_each_hours_channels_reachable_or_not_and_what_to_do(slack, clock):
    from bot.doctor import diagnose, hour_channels

    core = slack.runtime.core
    async with core.db.transaction() as session:
        (before,) = [r for r in await diagnose(core.config, core.platforms, session) if "idea hour" in r.role]
    assert (before.ref, before.role, before.reachable) == (
        "slack:CROTA", "idea hour handovers-hour; a channel of challenge rotas", "not yet known")
    assert "/invite @Crowdbot" in before.detail
    slack.fake.fail("chat.postMessage", "not_in_channel", times=10)
    clock.now = START
    await slack.command_reply("hour start handovers-hour", user=HOST)
    await slack.drain()
    async with core.db.transaction() as session:
        (after,) = [r for r in await diagnose(core.config, core.platforms, session) if "idea hour" in r.role]
    assert after.reachable == "no" and "not_in_channel" in after.detail and "invite the bot" in after.detail
    # An hour in a channel that is not its challenge's (check-config refuses it; an older file may have it).
    hour = core.config.idea_hours[0].model_copy(update={"channels": ["slack:COTHER"]})
    (listed,) = hour_channels(core.config.model_copy(update={"idea_hours": [hour]}))
    assert listed[1] == "idea hour handovers-hour; NOT a channel of challenge rotas"
    assert "add slack:COTHER to the channels of 'rotas'" in listed[2] and "idea_hours[0].channels[0]" in listed[2]


async def test_a_promoted_ideas_author_makes_it_anonymous_and_is_never_named_again(slack, replica, clock):
    await run_the_hour(slack, replica, clock)
    await slack.command_reply("promote handovers-hour 1 2", user=CM)  # UOLD's "Handover at the bedside"
    await slack.drain()
    (told,) = [c.args for c in slack.fake.answered("chat.postMessage")
               if c.args["channel"] == "UOLD" and "is now idea #2" in c.args["text"]]
    assert "anonymise #2" in told["text"]
    (button,) = [e for block in told["blocks"] if block["type"] == "actions" for e in block["elements"]]
    assert (button["action_id"], button["value"]) == (ANONYMISE_ACTION, "2")
    # Someone else pressing it (or typing it) changes nothing and names no one.
    refused = await slack.command_reply("anonymise #2", user="UNEW1")
    assert "not an idea made from one of your idea hour answers" in refused["text"]
    assert "UOLD" not in refused["text"] and "uold" not in refused["text"]
    press = remind_press(slack, "UOLD", "1700000999.000001", value="2")
    press["actions"][0]["action_id"] = ANONYMISE_ACTION
    press["channel"] = {"id": "DUOLD", "name": "directmessage"}
    press["container"]["channel_id"] = "DUOLD"
    before_updates = len(slack.fake.answered("chat.update"))
    assert (await slack.interactive(press)).status == 200
    await slack.fake.wait_for(lambda: slack.fake.of("response_url"))
    assert "is now anonymous" in slack.fake.of("response_url")[-1]["text"]
    assert "already" in (await slack.command_reply("anonymise 2", user="UOLD"))["text"]
    clock.advance(seconds=10)  # post updates are coalesced for a few seconds
    await slack.drain()
    updates = slack.fake.answered("chat.update")[before_updates:]
    assert updates and all("uold" not in str(u.args).lower() for u in updates)
    assert "anonymous" in str(updates[-1].args)
    core = slack.runtime.core
    async with core.db.transaction() as session:
        markdown = to_markdown(await build_report(core, session, "handovers-hour"))
        comment = (await session.execute(select(Comment.text).where(Comment.source_ref.like("hour-answer:%"))
                                          )).scalar_one()
    assert "| 2 | Handover at the bedside | anonymous |" in markdown and "uold" not in markdown.lower()
    assert comment == "From an idea hour."
    shown = await slack.command_reply("show 2", user="UNEW3")
    assert "uold" not in str(shown).lower() and "anonymous" in str(shown).lower()


async def test_the_hours_dashboard_page_shows_the_reports_figures(slack, replica, clock):
    await run_the_hour(slack, replica, clock)
    await slack.command_reply("promote handovers-hour 1 2", user=CM)
    await slack.command_reply("anonymise #2", user="UOLD")
    core = slack.runtime.core
    async with core.db.transaction() as session:
        report = await build_report(core, session, "handovers-hour")
    listing = await (await slack.client.get("/dashboard")).text()
    assert '<a href="/dashboard/hours/handovers-hour">Safer handovers: an idea hour</a> (ended)' in listing
    response = await slack.client.get("/dashboard/hours/handovers-hour")
    assert response.status == 200
    page = await response.text()
    block = re.search(r'<dl class="figures" id="hour-figures">(.*?)</dl>', page, re.S)
    shown = dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block[1]))  # type: ignore[index]
    figures = report.figures
    assert shown == {"People taking part": str(figures.people), "First time in this campaign":
                     str(figures.first_timers), "Answers": str(figures.answers)} == {
        "People taking part": "4", "First time in this campaign": "3", "Answers": "4"}
    headings = [int(n) for n in re.findall(r'<h3 id="q\d">Q\d: .*?\((\d+) answers\)</h3>', page)]
    assert headings == [len(q.answers) for q in figures.questions] == [3, 1, 0]
    tops = re.findall(r'<table class="top-answers"><caption>Most agreed with, Q(\d)</caption>.*?<tbody>(.*?)</tbody>',
                      page, re.S)
    shown_tops = {int(q): re.findall(r'<tr><td class="num">\d</td><td>.*?</td><td class="num">(\d+)</td>'
                                     r'<td class="num">(\d+)</td></tr>', rows) for q, rows in tops}
    expected = {q.question.position: [(str(t.number), str(t.agreements)) for t in q.top]
                for q in figures.questions if q.top}
    assert shown_tops == expected == {1: [("1", "3"), ("2", "2")], 2: [("1", "1")]}
    assert "Use a written checklist &lt;b&gt;every&lt;/b&gt; time" in page  # escaped
    assert re.search(r'<table id="promoted">.*<td class="num">Q1</td><td class="num">2</td>'
                     r'<td class="num">#2</td>', page, re.S)
    minutes = [int(n) for n in re.findall(r'<tr><th scope="row">\d\d:\d\d</th><td class="num">(\d+)</td></tr>',
                                          page)]
    assert sum(minutes) == figures.answers and len(minutes) == 46  # 19:00 to 19:45, every minute
    assert 'role="img"' in page and "<desc id=\"hour-chart-desc\">Answers per minute from 19:00 to 19:45" in page
    assert not re.search(r"uold|unew", page, re.I)  # no author is named, anonymous or not
    assert (await slack.client.get("/dashboard/hours/no-such-hour")).status == 404
