"""Slack's Web API down, then rate limiting, then back: every post delivered once, in order per channel,
and every contribution saved throughout."""

from __future__ import annotations

import re

from tests.slack.conftest import SlackHarness

# Different ideas, so none is held back as "one of these?" (near-identical texts would be).
IDEAS = ["Rota swaps in an app", "Quiet rooms for breaks", "Free parking at night", "Lockers for every nurse",
         "Shorter handovers with a checklist", "Water bottles on long shifts", "Bike racks by the entrance"]


async def submit(slack: SlackHarness, numbers: range) -> None:
    for number in numbers:
        reply = await slack.command_reply(IDEAS[number - 1])
        assert "is in" in reply["text"]  # saved and acknowledged whatever Slack's Web API is doing


async def test_outbox_rides_out_an_outage_then_429s(slack: SlackHarness) -> None:
    slack.fake.fail("chat.postMessage", "service_unavailable", times=2, status=503)
    await submit(slack, range(1, 5))
    await slack.drain()  # the first attempts meet the outage and back off, then go through
    slack.fake.fail("chat.postMessage", "ratelimited", times=1, status=429, retry_after=1)
    await submit(slack, range(5, 8))
    await slack.drain()
    delivered = [call.args for call in slack.fake.answered("chat.postMessage") if call.args["channel"] == "CROTA"]
    numbers = [int(re.search(r"Idea #(\d+)", args["text"]).group(1)) for args in delivered]  # type: ignore[union-attr]
    assert numbers == list(range(1, 8))  # each exactly once, in submission order
    refused = [call for call in slack.fake.calls if call.method == "chat.postMessage" and not call.answer.get("ok")]
    assert [call.answer["error"] for call in refused] == ["service_unavailable"] * 2 + ["ratelimited"]
