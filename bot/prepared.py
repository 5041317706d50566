"""Work a manager's command needs that is too slow for its transaction: done before the transaction opens, from a
snapshot and off the event loop, so the transaction stays short (on SQLite it holds the write lock that every
submission waits for) and the bot keeps answering meanwhile."""

from __future__ import annotations

from dataclasses import dataclass

from bot import grammar
from bot.config import ChallengeConfig
from bot.context import Core
from bot.digest import draw_digest_chart
from bot.errors import UserError
from bot.events import Address, CommandInvoked, Event
from bot.roles import MANAGERS
from bot.services import ideas
from bot.services.sensemaking_board import DuplicatesBoard, ThemesBoard, duplicates_for, themes_for


@dataclass(frozen=True)
class Prepared:
    chart: bytes | None = None  # the digest's chart
    themes: ThemesBoard | None = None  # `themes suggest`
    duplicates: DuplicatesBoard | None = None  # `duplicates`


async def prepare(core: Core, event: Event) -> Prepared:
    """Staff get nothing prepared: the command refuses them without the cost."""
    if not (isinstance(event, CommandInvoked) and core.roles(event.actor.ref) & MANAGERS):
        return Prepared()
    command = grammar.parse(event.text)
    try:
        if isinstance(command, grammar.Digest) and not command.preview:
            return Prepared(chart=await draw_digest_chart(core))
        if isinstance(command, grammar.Duplicates):
            return Prepared(duplicates=await duplicates_for(core, _challenge(core, command.challenge,
                                                                               event.address)))
        if isinstance(command, grammar.Themes) and command.action == "suggest":
            return Prepared(themes=await themes_for(core, _challenge(core, command.rest or None, event.address)))
    except UserError:
        pass  # no such challenge: the command itself says so
    return Prepared()


def _challenge(core: Core, key: str | None, address: Address) -> ChallengeConfig:
    return ideas.resolve_challenge(core, key, platform=address.platform, conversation=address.conversation)
