"""What the core needs to know of Slack: commands are the app's slash command."""

from __future__ import annotations

from adapters.slack.interactions import COMMAND
from bot.platform import PlatformTraits

TRAITS = PlatformTraits(command_word=COMMAND)
