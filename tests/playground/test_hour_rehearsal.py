"""The playground's rehearsal clock runs an idea hour end to end over HTTP, under its own rehearsal key, so the
real hour still starts on time."""

from __future__ import annotations

import asyncio

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
    assert "Q2 posted" in await rehearse(client, "q2")
    await channel.next(post_with("Question 2 of 2"))
    assert "ended" in await rehearse(client, "end")
    closing = await channel.next(post_with("The idea hour has ended"))
    assert "2 people took part" in closing["html"] and "Q1: What makes a handover go well? (2 answers)" in \
        closing["html"]
    core = client.app[RUNTIME].core
    async with core.db.transaction() as session:
        assert await hours.get_run(session, hour_key=KEY) is None  # the real hour is untouched: it runs on time
        rehearsed = await hours.get_run(session, hour_key=rehearsal_key(KEY))
    assert rehearsed is not None and rehearsed.ended_at is not None
