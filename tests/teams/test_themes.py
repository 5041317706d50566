"""Theme suggestions at their largest (as many as the command shows, from the longest ideas allowed, key terms of
over a thousand letters) fit one Teams activity, well inside the bot message limit."""

from __future__ import annotations

import pytest

from adapters.teams.render import size
from bot.config import AppConfig
from bot.context import Core
from bot.handler import Bot
from tests.core.test_themes import largest_theme_suggestions, largest_themes_config
from tests.teams.test_sizes import assert_fits_teams, card_text

# Teams refuses a bot's message over about 28 KB; the renderer's own bounds (80 KB recommended) are looser.
BOT_MESSAGE_BYTES = 28 * 1024


@pytest.fixture
def config() -> AppConfig:
    return largest_themes_config()


async def test_the_most_suggestions_from_the_longest_ideas_fit_one_activity(core: Core, bot: Bot) -> None:
    message = await largest_theme_suggestions(core, bot)

    sent = assert_fits_teams(message)  # within the recommended size, and a valid Adaptive Card 1.5

    assert size(sent) <= BOT_MESSAGE_BYTES, size(sent)
    assert all(f"S{action.value}:" in card_text(sent) for action in message.actions)
