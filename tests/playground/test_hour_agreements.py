"""An idea hour run in the playground over HTTP: agreeing with an answer (a reaction on a thread reply) counts in
the closing summary and the report, and staff cannot start, move on or end the hour."""

from __future__ import annotations

import re
from html import unescape

from sqlalchemy import func, select

from bot.app import RUNTIME
from bot.hour.report import build_report, to_markdown
from storage.models import IdeaHourAgreement, IdeaHourQuestion, IdeaHourRun, OutboxMessage
from tests.playground.helpers import CM, LEADER, OTHER, STAFF, act, open_stream, post_with
from tests.playground.test_hour_rehearsal import KEY, client, question_recorded

__all__ = ["client"]  # the rehearsal tests' playground with the idea hour configured


def reply_ids(html: str) -> dict[str, str]:
    """Each thread reply's id in a post's HTML, by its author."""
    return {author: reply for reply, author in
            re.findall(r'data-reply="([^"]+)"><p class="author">([^<]+)</p>', html)}


async def agree(client, persona: str, post: str, reply: str) -> dict:
    status, answer = await act(client, "reaction", persona, message=post, reply=reply, emoji="+1")
    assert status == 200, answer
    return answer


def said(answer: dict) -> str:
    return unescape(answer["ephemeral"][0])


async def count(client, table) -> int:
    async with client.app[RUNTIME].core.db.transaction() as session:
        return int((await session.execute(select(func.count()).select_from(table))).scalar_one())


async def test_agreeing_with_an_answer_counts_in_the_summary_and_the_report(client) -> None:
    channel = await open_stream(client, STAFF)
    status, answer = await act(client, "command", CM, text=f"/idea hour start {KEY}")
    assert status == 200 and "has started" in answer["ephemeral"][0], answer
    q1 = await channel.next(post_with("Question 1 of 2"))
    await question_recorded(client, q1["id"])
    for persona, text in ((STAFF, "A written checklist"), (OTHER, "Handover at the bedside")):
        assert (await act(client, "reply", persona, message=q1["id"], text=text))[0] == 200
    threaded = await channel.next(lambda e: e["type"] == "post" and e["id"] == q1["id"] and "bedside" in e["html"])
    replies = reply_ids(threaded["html"])
    assert 'aria-label="Agree with Alex Morgan&#x27;s reply: 0"' in threaded["html"]

    assert (await agree(client, CM, q1["id"], replies[STAFF]))["added"] is True
    assert (await agree(client, LEADER, q1["id"], replies[STAFF]))["added"] is True
    assert (await agree(client, OTHER, q1["id"], replies[STAFF]))["added"] is True
    assert (await agree(client, OTHER, q1["id"], replies[STAFF]))["added"] is False  # a second press takes it back
    assert (await agree(client, STAFF, q1["id"], replies[STAFF]))["added"] is True  # one's own: not agreement
    assert (await agree(client, CM, q1["id"], replies[OTHER]))["added"] is True
    shown = await channel.next(lambda e: e["type"] == "post" and "Agree with Alex Morgan&#x27;s reply: 1" in e["html"])
    assert "Agree with Sam Patel&#x27;s reply: 3 (Casey Brown, Dr Lee Harper, Sam Patel)" in shown["html"]
    assert await count(client, IdeaHourAgreement) == 3

    status, answer = await act(client, "reaction", OTHER, message=q1["id"], reply="no-such-reply", emoji="+1")
    assert status == 400 and "no longer in the playground" in answer["error"]
    status, answer = await act(client, "reaction", OTHER, message=q1["id"], reply=replies[STAFF], emoji="tada")
    assert status == 400 and "Unknown reaction 'tada' on a reply" in answer["error"]
    assert await count(client, IdeaHourAgreement) == 3

    status, answer = await act(client, "command", CM, text=f"/idea hour end {KEY}")
    assert status == 200 and "has ended" in answer["ephemeral"][0], answer
    closing = (await channel.next(post_with("The idea hour has ended")))["html"]
    assert "1. &quot;A written checklist&quot; (2 agree)" in closing
    assert "2. &quot;Handover at the bedside&quot; (1 agree)" in closing
    core = client.app[RUNTIME].core
    async with core.db.transaction() as session:
        markdown = to_markdown(await build_report(core, session, KEY))
    assert "Most agreed with: answer 1 (2 agree), answer 2 (1 agree)" in markdown
    assert re.search(r"\| 1 \| A written checklist \| Sam Patel \| [^|]+ \| 2 \|", markdown)


async def test_staff_cannot_start_move_on_or_end_an_hour_and_nothing_changes(client) -> None:
    status, answer = await act(client, "command", STAFF, text=f"/idea hour start {KEY}")
    assert status == 200 and "Only the hosts of 'handovers-hour' and community managers can start" in \
        said(answer), answer
    for text, expected in (("hour next", "No idea hour is running"), (f"hour end {KEY}", "has not started")):
        status, answer = await act(client, "command", STAFF, text=f"/idea {text}")
        assert status == 200 and expected in said(answer), (text, answer)
    assert await count(client, IdeaHourRun) == 0 and await count(client, OutboxMessage) == 0

    assert "has started" in (await act(client, "command", CM, text=f"/idea hour start {KEY}"))[1]["ephemeral"][0]
    queued = await count(client, OutboxMessage)
    for text in (f"hour start {KEY}", "hour next", f"hour next {KEY}", "hour end", f"hour end {KEY}"):
        status, answer = await act(client, "command", STAFF, text=f"/idea {text}")
        assert status == 200 and "Only the hosts of 'handovers-hour'" in said(answer), (text, answer)
    assert await count(client, OutboxMessage) == queued and await count(client, IdeaHourQuestion) == 1
    async with client.app[RUNTIME].core.db.transaction() as session:
        run = (await session.execute(select(IdeaHourRun))).scalar_one()
    assert run.ended_at is None
