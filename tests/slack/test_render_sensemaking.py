"""The similar-ideas question and the theme suggestions at their largest, within Block Kit's and Teams' limits,
with people's text escaped."""

from __future__ import annotations

import json

from adapters.slack.render import SECTION_LIMIT, message_payload
from adapters.teams.render import activity
from bot.message import Message, MessageAction, Section
from bot.similarity.prompt import similar_prompt
from bot.similarity.search import SimilarIdea
from bot.themes.chat import APPLY_ACTION

HOSTILE = "<!channel> & <@U123> "
LONGEST = (HOSTILE * 1000)[:10_000]  # campaign.idea_max_length allows up to 10,000 characters
TEAMS_RECOMMENDED = 80 * 1024


def three_longest() -> Message:
    matches = [SimilarIdea(i, 100_000 + i, 0.9, LONGEST, 12_345, "under_review", "slack:U1") for i in range(3)]
    return similar_prompt(123_456_789, matches, {m.number for m in matches}, "Fairer rotas " * 20)


def texts(blocks: list[dict]) -> list[str]:
    found = []
    for block in blocks:
        if "text" in block and isinstance(block["text"], dict):
            found.append(block["text"]["text"])
        found += [element["text"] for element in block.get("elements", []) if isinstance(element.get("text"), str)]
    return found


def test_the_similar_ideas_question_fits_block_kit_and_escapes_text() -> None:
    payload = message_payload([three_longest()])

    assert len(payload["blocks"]) <= 50
    assert all(len(text) <= SECTION_LIMIT for text in texts(payload["blocks"]))
    assert "<!channel>" not in json.dumps(payload["blocks"]) and "&lt;!channel&gt;" in json.dumps(payload["blocks"])
    (actions,) = [b for b in payload["blocks"] if b["type"] == "actions"]
    ids = [e["action_id"] for e in actions["elements"]]
    assert len(ids) == len(set(ids)) == 4  # Slack wants each action_id unique within its block
    assert all(len(e["value"]) <= 2000 for e in actions["elements"])


def test_the_similar_ideas_question_fits_a_teams_activity() -> None:
    rendered = activity(three_longest())

    assert len(json.dumps(rendered).encode()) < TEAMS_RECOMMENDED
    assert "Back #100000" in json.dumps(rendered)


def test_twelve_theme_suggestions_fit_block_kit() -> None:
    lines = tuple(f"#{n} " + LONGEST[:120] for n in range(3))
    sections = tuple(Section(f"S{i}: {'theme ' * 12} (500 ideas; key terms: a, b, c, d, e)", lines) for i in range(12))
    actions = tuple(MessageAction("Apply " + "x" * 40, f"{APPLY_ACTION}_{i}", str(10**9 + i)) for i in range(12))
    payload = message_payload([Message(text="t", title="Suggested themes: x", sections=sections, actions=actions,
                                       context="hint")])

    assert len(payload["blocks"]) <= 50
    assert all(len(text) <= SECTION_LIMIT for text in texts(payload["blocks"]))
    assert len(json.dumps(activity(Message(text="t", sections=sections, actions=actions)))) < TEAMS_RECOMMENDED
