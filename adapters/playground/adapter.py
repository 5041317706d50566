"""PlaygroundAdapter: a chat channel per challenge in the browser, served by the bot's own aiohttp server."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from adapters.playground.clock import RehearsalClock
from adapters.playground.history import Entry, History, Post
from adapters.playground.live import LiveHub
from adapters.playground.messenger import PlaygroundMessenger
from adapters.playground.page import reaction_choices, render_entry, render_post
from adapters.playground.personas import PLATFORM, personas
from adapters.playground.routes import PlaygroundRoutes
from bot.adapter import Dispatch
from bot.config import AppConfig, ChallengeConfig

logger = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"


class PlaygroundAdapter:
    platform = PLATFORM

    def __init__(self, config: AppConfig, dispatch: Dispatch, scheduler: Callable[[], Any | None]) -> None:
        self.config = config
        self.dispatch = dispatch
        self.scheduler = scheduler  # a getter: the scheduler starts after the adapters are built
        self.rehearsal = RehearsalClock(config, scheduler)
        self.personas = {persona.name: persona for persona in personas(config)}
        self.channels = {challenge.key for challenge in config.challenges}
        self.choices = reaction_choices(config.voting.emoji)
        self.history = History()
        self.hub = LiveHub()
        self.messenger = PlaygroundMessenger(self.history, self.publish_post, self.publish_direct)

    def default_channel(self) -> ChallengeConfig:
        return self.config.challenges[0]

    def publish_post(self, post: Post) -> None:
        self.hub.publish({"type": "post", "conversation": post.conversation, "id": post.id,
                          "html": render_post(post, self.choices)})

    def publish_direct(self, person: str, entry: Entry) -> None:
        self.hub.publish({"type": "direct", "id": entry.id, "html": render_entry(entry)}, only=person)

    def mount(self, app: web.Application) -> None:
        PlaygroundRoutes(self).mount(app)
        app.router.add_static("/playground/static", STATIC)
        app.on_shutdown.append(self._end_streams)

    async def _end_streams(self, app: web.Application) -> None:
        # Open event streams would otherwise hold the server's shutdown until its timeout.
        self.hub.close()

    async def start(self) -> None:
        logger.info("playground: open the address crowdbot listens on in a browser; personas: %s",
                    ", ".join(self.personas))

    async def stop(self) -> None:
        self.hub.close()
