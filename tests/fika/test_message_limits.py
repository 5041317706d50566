"""Fika messages at the largest realistic size stay within Block Kit's and Teams' limits."""

from __future__ import annotations

import json

from adapters.slack.render import message_payload
from adapters.teams.links import chat_link
from adapters.teams.render import activity
from bot.fika import compose
from bot.fika.pairing import group_sizes

LONGEST_NAME = 200  # the people CSV's limit per field


def test_the_largest_group_with_the_longest_names_and_question_fits_slack_and_teams() -> None:
    largest = max(max(group_sizes(count, 10)) for count in range(2, 200))
    names = [f"<!channel> {i} " + "N" * (LONGEST_NAME - 14) for i in range(largest)]
    question = "Q" * 4000
    link = chat_link([f"person_{i}@example.org" for i in range(largest - 1)], "Fika")
    messages = [
        compose.introduction(people=names, challenge_title="T" * 300, question=question, group_id=123456789),
        compose.introduction(people=names[1:], challenge_title="T" * 300, question=question, group_id=1,
                             to_one=True, chat_link=link),
        compose.did_you_meet(others=names[1:], round_id=99, question=question),
        compose.announcement(number=10**6, people=20_000, question=question, challenge_title="<!channel> " + "T" * 300,
                             command_word="/idea"),
    ]
    for message in messages:
        payload = message_payload([message])
        blocks = payload["blocks"]
        assert len(blocks) <= 50
        assert all(len(b["text"]["text"]) <= 150 for b in blocks if b["type"] == "header")
        assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section" and "text" in b)
        assert all(len(f["text"]) <= 2000 for b in blocks for f in b.get("fields", []))
        # Escaped wherever Slack parses mentions (mrkdwn and the fallback text); plain_text is never parsed.
        mrkdwn = [payload["text"]] + [t["text"] for b in blocks for t in [b.get("text"), *b.get("fields", [])]
                                      if t and t["type"] == "mrkdwn"]
        assert mrkdwn and not any("<!channel>" in text for text in mrkdwn)
        assert len(json.dumps(activity(message)).encode()) < 80 * 1024
    assert largest == 13  # group_size is at most 10; 13 people make one group of 13 rather than 7 + 6
