"""Theme suggestions at their largest (as many as the command shows, from the longest ideas allowed, key terms of
over a thousand letters) fit Block Kit, with nothing clipped by the renderer."""

from __future__ import annotations

import pytest

from adapters.slack.render import MESSAGE_BLOCK_LIMIT, SECTION_LIMIT, message_payload
from bot.config import AppConfig
from bot.context import Core
from bot.handler import Bot
from bot.message import Message
from tests.core.test_themes import largest_theme_suggestions, largest_themes_config
from tests.slack.test_sizes import assert_every_entry_shown, assert_nothing_clipped, assert_within_block_kit


@pytest.fixture
def config() -> AppConfig:
    return largest_themes_config()


async def test_the_most_suggestions_from_the_longest_ideas_fit_block_kit(core: Core, bot: Bot) -> None:
    message = await largest_theme_suggestions(core, bot)
    payload = message_payload([message])

    assert_within_block_kit(payload)  # <= 50 blocks, section text <= 3,000, no "more than Slack shows"
    assert len(payload["blocks"]) <= MESSAGE_BLOCK_LIMIT == 50 and SECTION_LIMIT == 3000
    assert_every_entry_shown(message, payload)
    labels = Message(text=" ".join(action.label for action in message.actions))  # "Apply <theme cut to 40>"
    assert_nothing_clipped([message, labels], payload)
    shown = str(payload["blocks"])
    assert all(f"S{action.value}:" in shown for action in message.actions)  # every heading, every Apply button
