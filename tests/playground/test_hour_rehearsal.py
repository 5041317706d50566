"""The playground's rehearsal clock runs an idea hour end to end over HTTP, under its own rehearsal key, so the
real hour still starts on time."""

from __future__ import annotations

import asyncio
import re

import pytest

from bot.app import RUNTIME, create_app
from bot.hour.rehearsal import rehearsal_key
from storage import hours
from tests.factories import harness_clock
from tests.playground.helpers import CM, OTHER, STAFF, act, open_stream, playground_config, post_with

KEY = "handovers-hour"
HOUR = {"key": KEY, "challenge": "rotas", "title": "Safer handovers", "channels": ["playground:rotas"],
        "starts": "2030-01-07 19:00", "questions": ["What makes a handover go well?", "What would you change?"],
        "question_interval_minutes": 15, "reminders": ["15m"]}


@pytest.fixture
async def client(aiohttp_client, database_url):
    config = playground_config(database_url)
    raw = config.model_dump(mode="json")
    raw["challenges"][0]["channels"] = ["playground:rotas"]
    raw["idea_hours"] = [HOUR]
    app = create_app(type(config).model_validate(raw), clock=harness_clock())
    return await aiohttp_client(app)


async def question_recorded(client, message_id: str) -> None:
    """The outbox records where a question went just after publishing it: wait for that before answering."""
    core = client.app[RUNTIME].core
    async with asyncio.timeout(10):
        while True:
            async with core.db.transaction() as session:
                if await hours.questions_for_posts(session, platform="playground", message_ids=[message_id]):
                    return
            await asyncio.sleep(0.02)


def rehearsed_q1(event: dict) -> bool:
    """A rehearsal's Q1 (its tag says so), not the real hour's Q1 shown again with a new reply."""
    return post_with("Question 1 of 2")(event) and f"#{rehearsal_key(KEY)}" in event["html"]


async def rehearse(client, job: str) -> str:
    status, answer = await act(client, "clock", CM, what="job", job=f"hour:{KEY}:{job}")
    assert status == 200, answer
    assert "rehearsed in the playground only" in answer["result"], answer
    return answer["result"]


async def test_the_rehearsal_clock_runs_an_idea_hour_end_to_end(client) -> None:
    channel = await open_stream(client, STAFF)
    page = await (await client.get("/", params={"as": CM})).text()
    assert "Idea hour starts: Safer handovers" in page  # "Coming up" lists the hour's steps
    await rehearse(client, "remind:15m")
    reminder = await channel.next(post_with("Idea hour in 15 minutes"))
    assert f'data-action="hour_remind" data-value="{rehearsal_key(KEY)}">Remind me' in reminder["html"]
    status, answer = await act(client, "action", OTHER, message=reminder["id"], action="hour_remind",
                               value=rehearsal_key(KEY))
    assert status == 200 and "remind you privately" in answer["ephemeral"][0]
    reminded = await open_stream(client, OTHER)
    assert "started" in await rehearse(client, "start")
    await channel.next(post_with("The idea hour starts now"))
    assert "is on now" in (await reminded.next(lambda event: event["type"] == "direct"))["html"]
    q1 = await channel.next(post_with("Question 1 of 2"))
    assert f"#{rehearsal_key(KEY)}" in q1["html"]  # its tag says it is a rehearsal
    await question_recorded(client, q1["id"])
    for persona, text in ((STAFF, "A written checklist"), (OTHER, "Handover at the bedside")):
        status, _ = await act(client, "reply", persona, message=q1["id"], text=text)
        assert status == 200
    answered = await channel.next(lambda e: e["type"] == "post" and e["id"] == q1["id"] and "bedside" in e["html"])
    checklist = re.search(r'data-reply="([^"]+)"><p class="author">Sam Patel<', answered["html"]).group(1)
    status, agreed = await act(client, "reaction", CM, message=q1["id"], reply=checklist, emoji="+1")
    assert status == 200 and agreed["added"] is True  # the rehearsal records agreement, as Slack and Teams do
    assert "Q2 posted" in await rehearse(client, "q2")
    await channel.next(post_with("Question 2 of 2"))
    assert "ended" in await rehearse(client, "end")
    closing = await channel.next(post_with("The idea hour has ended"))
    assert "3 people took part" in closing["html"] and "Q1: What makes a handover go well? (2 answers)" in \
        closing["html"]
    assert "1. &quot;A written checklist&quot; (1 agree)" in closing["html"]
    core = client.app[RUNTIME].core
    async with core.db.transaction() as session:
        assert await hours.get_run(session, hour_key=KEY) is None  # the real hour is untouched: it runs on time
        rehearsed = await hours.get_run(session, hour_key=rehearsal_key(KEY))
    assert rehearsed is not None and rehearsed.ended_at is not None


async def test_a_rehearsal_runs_again_replacing_the_previous_rehearsals_run(client) -> None:
    channel = await open_stream(client, STAFF)
    # The real hour, started by hand, with an answer and an agreement: no rehearsal may touch them.
    assert (await act(client, "command", CM, text=f"/idea hour start {KEY}"))[0] == 200
    real_q1 = await channel.next(post_with("Question 1 of 2"))
    await question_recorded(client, real_q1["id"])
    assert (await act(client, "reply", OTHER, message=real_q1["id"], text="The real answer"))[0] == 200
    shown = await channel.next(lambda e: e["id"] == real_q1["id"] and "real answer" in e.get("html", ""))
    real_answer = re.search(r'data-reply="([^"]+)"', shown["html"]).group(1)
    assert (await act(client, "reaction", STAFF, message=real_q1["id"], reply=real_answer, emoji="+1"))[0] == 200

    await rehearse(client, "start")
    first_q1 = await channel.next(rehearsed_q1)
    await question_recorded(client, first_q1["id"])
    assert (await act(client, "reply", STAFF, message=first_q1["id"], text="A written checklist"))[0] == 200
    await rehearse(client, "end")
    await channel.next(post_with("The idea hour has ended"))
    status, answer = await act(client, "clock", CM, what="fire-next")
    assert "Safer handovers" not in answer["result"]  # the hour has no step left ahead of the rehearsal time
    again = [item for item in answer["upcoming"] if item["again"]]
    assert [item["job"] for item in again] == [f"hour:{KEY}:remind:15m"]  # the hour from its first step
    page = await (await client.get("/", params={"as": CM})).text()
    label = "Rehearse Idea hour reminder (15m before): Safer handovers (2030-01-07 18:45) again"
    assert f'aria-label="{label}">Rehearse again</button>' in page, page[page.index('id="upcoming"'):][:800]

    result = await rehearse(client, "remind:15m")
    assert "the previous rehearsal's run (1 answer) was replaced" in result, result
    await channel.next(post_with("Idea hour in 15 minutes"))
    status, answer = await act(client, "clock", CM, what="job", job=f"hour:{KEY}:start")
    assert "started" in answer["result"] and "replaced" not in answer["result"], answer
    second_q1 = await channel.next(rehearsed_q1)
    assert second_q1["id"] != first_q1["id"]
    await question_recorded(client, second_q1["id"])
    status, late = await act(client, "reply", OTHER, message=first_q1["id"], text="Too late for the first one")
    assert status == 200 and late["changed"] is False  # the old thread is no question any more: a plain reply
    assert (await act(client, "reply", OTHER, message=second_q1["id"], text="Handover at the bedside"))[0] == 200
    assert "ended" in await rehearse(client, "end")
    closing = (await channel.next(post_with("The idea hour has ended")))["html"]
    assert "1 person took part" in closing and "(1 answer" in closing, closing
    core = client.app[RUNTIME].core
    async with core.db.transaction() as session:
        real = await hours.get_run(session, hour_key=KEY)

    # The host may go straight back to the start: that replaces the previous rehearsal too, and says so.
    result = await rehearse(client, "start")
    assert "the previous rehearsal's run (1 answer) was replaced" in result, result
    async with core.db.transaction() as session:
        assert (await hours.get_run(session, hour_key=KEY)) == real and real.ended_at is None  # type: ignore[union-attr]
        (answer, agreements), = await hours.answers_of(session, run_id=real.id)  # type: ignore[union-attr]
    assert answer.text == "The real answer" and agreements == 1
