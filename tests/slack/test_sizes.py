"""Every message kind at its largest realistic size fits Block Kit's limits, and nothing in it is cut off."""

from __future__ import annotations

import re
from typing import Any

import pytest

from adapters.slack.render import (
    FALLBACK_LIMIT,
    HEADER_LIMIT,
    HOME_BLOCK_LIMIT,
    MESSAGE_BLOCK_LIMIT,
    SECTION_LIMIT,
    escape,
    home_view,
    message_payload,
    modal_view,
)
from bot.config import AppConfig
from bot.context import Core
from bot.digest import PREFERRED_HEADING, PREFERRED_LIMIT, SAID_DID_LIMIT
from bot.handler import Bot
from bot.message import Message
from tests import largest
from tests.factories import FixedClock


@pytest.fixture
def config() -> AppConfig:
    return largest.largest_config()


def texts_of(node: Any) -> list[str]:
    if isinstance(node, list):
        return [text for item in node for text in texts_of(item)]
    if isinstance(node, dict):
        own = [node["text"]] if node.get("type") in ("mrkdwn", "plain_text") else []
        return own + [text for value in node.values() for text in texts_of(value)]
    return []


def assert_within_block_kit(payload: dict[str, Any], block_limit: int = MESSAGE_BLOCK_LIMIT) -> None:
    blocks = payload["blocks"]
    assert len(blocks) <= block_limit, len(blocks)
    for block in blocks:
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= HEADER_LIMIT
        if block["type"] == "section" and "text" in block:
            assert 0 < len(block["text"]["text"]) <= SECTION_LIMIT
        if block["type"] == "section" and "fields" in block:
            assert len(block["fields"]) <= 10 and all(len(f["text"]) <= 2000 for f in block["fields"])
        if block["type"] == "context":
            assert len(block["elements"]) <= 10 and all(len(e["text"]) <= SECTION_LIMIT for e in block["elements"])
    assert "(More than Slack shows at once" not in str(blocks)  # the safety net was not needed
    if "text" in payload:
        assert len(payload["text"]) <= FALLBACK_LIMIT


def shown(payload: dict[str, Any]) -> str:
    return "\n".join(texts_of(payload["blocks"]))


def assert_every_entry_shown(message: Message, payload: dict[str, Any]) -> None:
    text = re.sub(r"\s+", " ", shown(payload))
    for section in message.sections:
        for line in section.lines:
            assert re.sub(r"\s+", " ", escape(line)) in text, line[:60]


def assert_nothing_clipped(messages: list[Message], payload: dict[str, Any]) -> None:
    """The renderer cut nothing: every "…" shown was already in what the core wrote (a shortened entry that
    says where the rest is)."""
    written = "".join(m.text + (m.body or "") + (m.context or "") for m in messages)
    assert shown(payload).count("…") <= written.count("…")


async def test_leaders_digest_with_twenty_long_decisions(core: Core, bot: Bot, clock: FixedClock) -> None:
    message = await largest.leaders_digest(core, bot, clock)
    payload = message_payload([message])

    assert_within_block_kit(payload)
    assert_every_entry_shown(message, payload)
    assert_nothing_clipped([message], payload)
    said_did = next(s for s in message.sections if s.heading == "You said, we did")
    assert len(said_did.lines) == SAID_DID_LIMIT + 1
    assert "...and 5 more decisions this period (all of them are on the dashboard: https://crowdbot.example.org/" \
        "dashboard)." in shown(payload)
    assert shown(payload).count("(whole note: show #") == SAID_DID_LIMIT  # every long note says where the rest is
    assert payload["text"].startswith("You said, we did:") and "25 decisions" in payload["text"]
    preferred = next(s for s in message.sections if s.heading == PREFERRED_HEADING)
    assert len(preferred.lines) == PREFERRED_LIMIT and preferred.lines[0].startswith("#1 ")


async def test_community_digest_with_twenty_long_decisions(core: Core, bot: Bot, clock: FixedClock) -> None:
    message = await largest.leaders_digest(core, bot, clock, for_leaders=False)
    payload = message_payload([message])

    assert_within_block_kit(payload)
    assert_every_entry_shown(message, payload)
    assert_nothing_clipped([message], payload)
    themes = next(s for s in message.sections if s.heading == "Themes accepted this period")
    assert len(themes.lines) == 10 and all(" ideas" not in line.split(";")[0] for line in themes.lines)


async def test_mine_for_a_person_with_fifty_ideas(bot: Bot) -> None:
    message = await largest.mine(bot)
    payload = message_payload([message])

    assert_within_block_kit(payload)
    assert_every_entry_shown(message, payload)
    assert_nothing_clipped([message], payload)
    assert all(f"#{n} " in shown(payload) for n in range(1, 51))


async def test_app_home_for_a_person_with_fifty_ideas_and_a_hundred_challenges(bot: Bot) -> None:
    messages = await largest.home(bot)
    view = home_view(messages)

    assert_within_block_kit(view, HOME_BLOCK_LIMIT)
    assert_nothing_clipped(messages, view)
    for message in messages:
        assert_every_entry_shown(message, view)


@pytest.mark.parametrize("kind", ["top", "top_by_preference", "compare", "unanswered", "backers", "prompt",
                                  "idea_post"])
async def test_lists_prompts_and_posts_at_their_largest(kind: str, core: Core, bot: Bot, clock: FixedClock) -> None:
    builders = {"top": lambda: largest.top(bot), "unanswered": lambda: largest.unanswered(core, bot, clock),
                "top_by_preference": lambda: largest.top_by_preference(core, bot),
                "compare": lambda: largest.compare_pair(bot),
                "backers": lambda: largest.backers(core, bot, clock), "prompt": lambda: largest.prompt(core),
                "idea_post": lambda: largest.idea_post(bot)}
    message = await builders[kind]()
    payload = message_payload([message])

    assert_within_block_kit(payload)
    assert_every_entry_shown(message, payload)
    assert_nothing_clipped([message], payload)
    if message.body:
        assert re.sub(r"\s", "", escape(message.body)) in re.sub(r"\s", "", shown(payload))


async def test_the_submission_form_offers_a_hundred_open_challenges(bot: Bot) -> None:
    message = await largest.submission_form(bot)
    assert message.form is not None
    view = modal_view(message.form, channel="CROTA")

    (select,) = [block["element"] for block in view["blocks"] if block["element"]["type"] == "static_select"]
    assert len(select["options"]) == largest.CHALLENGES == 100  # Slack's most for a static_select
    assert all(len(option["text"]["text"]) <= 75 for option in select["options"])
    assert len(view["blocks"]) <= HOME_BLOCK_LIMIT
