"""What the core needs to know of Teams: how a person addresses the bot.

In the 1:1 chat, where every answer meant for one person goes, they write `idea <command>` (the word is
optional, see translate.command_text); in a channel the bot reads only messages that @mention it, so a
command written into a channel post names the app as Teams shows it (the manifest's short name).
"""

from __future__ import annotations

import json

from adapters.teams.links import chat_link
from adapters.teams.package import HERE
from bot.platform import PlatformTraits

APP_NAME = json.loads((HERE / "manifest.json").read_text(encoding="utf-8"))["name"]["short"]

# A bot cannot add people to a group chat it starts, so a fika group gets a link to start one themselves.
TRAITS = PlatformTraits(name="Teams", command_word="idea", shared_command_word=f"@{APP_NAME} idea",
                        group_chat_link=chat_link)
