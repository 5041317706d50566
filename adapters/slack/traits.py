"""What the core needs to know of Slack: commands are the app's slash command, and the bot can open one
conversation for several people (conversations.open with their ids)."""

from __future__ import annotations

from adapters.slack.interactions import COMMAND
from bot.platform import PlatformTraits

TRAITS = PlatformTraits(name="Slack", command_word=COMMAND, group_conversation=True)
