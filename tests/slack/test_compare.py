""""A or B?" in Slack: /idea compare answers ephemerally with the pair; each press (signed block_actions through
bolt) stores the answer and the next pair replaces the one answered; Stop ends; top --by preference ranks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.models import Comparison
from tests.slack.conftest import SlackHarness
from tests.slack.test_similar_ideas import buttons, press

IDEAS = ("Self-rostering app for nurses", "Quiet room for breaks on every ward", "Hot food for the night team")


async def answers(slack: SlackHarness) -> list[Comparison]:
    async with slack.runtime.core.db.transaction() as session:  # type: ignore[union-attr]
        return list((await session.execute(select(Comparison).order_by(Comparison.id))).scalars())


def pair_in(message: dict[str, Any]) -> tuple[int, int]:
    first, second = buttons(message)["A"]["value"].split(":")
    return int(first), int(second)


async def test_compare_in_slack_stores_each_answer_and_shows_the_next_pair(slack: SlackHarness) -> None:
    for text in IDEAS:
        await slack.submit_idea(text, user="U1")
    posts_before = len(slack.fake.of("chat.postMessage"))

    reply = await slack.command_reply("compare", user="U2")

    assert reply["response_type"] == "ephemeral" and "A or B?" in reply["text"]
    assert set(buttons(reply)) == {"A", "B", "Can't decide", "Stop"}
    assert "U1" not in str(reply["blocks"])  # the authors are not named
    first_pair = pair_in(reply)
    response = await slack.interactive(press(slack, buttons(reply)["B"], user="U2"))
    assert response.status == 200

    (next_pair,) = await slack.fake.wait_for(lambda: slack.fake.of("response_url"))
    assert next_pair["replace_original"] is True and next_pair["response_type"] == "ephemeral"
    assert f"Saved: you chose #{first_pair[1]}" in str(next_pair["blocks"])
    assert set(pair_in(next_pair)) != set(first_pair)
    (row,) = await answers(slack)
    winner = row.idea_a_id if row.outcome == "a" else row.idea_b_id
    assert (row.person_ref, winner) == ("slack:U2", first_pair[1])  # ids are the numbers in a fresh campaign

    await slack.interactive(press(slack, buttons(next_pair)["Can't decide"], user="U2"))
    third = (await slack.fake.wait_for(lambda: len(slack.fake.of("response_url")) >= 2
                                       and slack.fake.of("response_url")))[1]
    await slack.interactive(press(slack, buttons(third)["Stop"], user="U2"))
    done = (await slack.fake.wait_for(lambda: len(slack.fake.of("response_url")) >= 3
                                      and slack.fake.of("response_url")))[2]
    assert "2 answers in all" in done["text"] and done["replace_original"] is True
    assert not [b for b in done.get("blocks", []) if b["type"] == "actions"]
    assert [r.outcome for r in await answers(slack)][1] == "tie"
    await slack.drain()
    assert len(slack.fake.of("chat.postMessage")) == posts_before  # nothing posted where others read

    top = await slack.command_reply("top --by preference", user="U3")
    assert top["response_type"] == "ephemeral"
    listed = [e["text"] for b in top["blocks"] if b["type"] == "section" for e in [b["text"]] if "score" in e["text"]]
    assert listed and listed[0].lstrip("•- ").startswith(f"#{first_pair[1]} "), top["blocks"]


async def test_a_forged_pair_is_refused_beside_the_message(slack: SlackHarness) -> None:
    for text in IDEAS:
        await slack.submit_idea(text, user="U1")
    reply = await slack.command_reply("compare", user="U2")
    forged = {**buttons(reply)["A"], "value": "1:99"}

    await slack.interactive(press(slack, forged, user="U2"))

    (answer,) = await slack.fake.wait_for(lambda: slack.fake.of("response_url"))
    assert "no longer open" in answer["text"] and answer["replace_original"] is False
    assert await answers(slack) == []
