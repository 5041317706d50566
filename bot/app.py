"""The composition root: builds the database, core, adapters, outbox dispatcher and scheduler, and the
aiohttp application that serves them; everything is opened and closed in aiohttp's cleanup_ctx."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from datetime import datetime

from aiohttp import web

from bot.adapter import Adapter
from bot.config import AppConfig
from bot.context import Core, utc_now
from bot.events import Event
from bot.handler import UNAVAILABLE, Bot
from bot.message import Message, Reply
from bot.outbox import OutboxDispatcher
from storage.database import Database, DatabaseUnavailable
from storage.schema import ensure_current

logger = logging.getLogger(__name__)


class Runtime:
    """What `crowdbot run` holds while it runs. Built by `create_app`, opened in cleanup_ctx."""

    def __init__(self, config: AppConfig, *, host: str, clock: Callable[[], datetime] = utc_now) -> None:
        self.config = config
        self.host = host
        self.clock = clock
        self.adapters: list[Adapter] = []
        self.db: Database | None = None
        self.core: Core | None = None
        self.bot: Bot | None = None
        self.dispatcher: OutboxDispatcher | None = None
        self.scheduler: object | None = None

    async def dispatch(self, event: Event) -> Reply:
        if self.bot is None:
            raise RuntimeError("the bot is not started")
        try:
            return await self.bot.handle(event)
        except DatabaseUnavailable:
            return Reply(messages=(Message(text=UNAVAILABLE),), unavailable=True)

    async def lifecycle(self, app: web.Application) -> AsyncIterator[None]:
        self.db = Database(self.config.storage.url)
        try:
            await ensure_current(self.db.engine)
            platforms = frozenset(adapter.platform for adapter in self.adapters)
            self.core = Core(self.config, self.db, platforms=platforms, clock=self.clock)
            self.bot = Bot(self.core)
            for adapter in self.adapters:
                await adapter.start()
            self.dispatcher = OutboxDispatcher(self.core, {a.platform: a.messenger for a in self.adapters})
            self.dispatcher.start()
            self.scheduler = await _start_scheduler(self.core)
            logger.info("crowdbot is up: %s", ", ".join(sorted(platforms)) or "no platform adapters")
            yield
        finally:
            await _stop_scheduler(self.scheduler)
            if self.dispatcher is not None:
                await self.dispatcher.stop()
            for adapter in reversed(self.adapters):
                await adapter.stop()
            await self.db.dispose()


RUNTIME = web.AppKey("runtime", Runtime)


async def _start_scheduler(core: Core) -> object | None:
    from scheduler.runner import CampaignScheduler

    campaign_scheduler = CampaignScheduler(core)
    await campaign_scheduler.start()
    return campaign_scheduler


async def _stop_scheduler(scheduler: object | None) -> None:
    if scheduler is not None:
        scheduler.shutdown()  # type: ignore[attr-defined]


def enabled_platforms(config: AppConfig, host: str) -> frozenset[str]:
    """Which adapters `crowdbot run` turns on for this configuration and listening address."""
    platforms = set()
    if config.slack.enabled:
        platforms.add("slack")
    # Only an app id or an explicit `teams.enabled: true` turns Teams on: naming a Teams person or channel in
    # app.yaml must not open an unauthenticated /api/messages.
    teams = config.teams.enabled
    if teams or (teams is None and config.teams.app_id):
        platforms.add("teams")
    credentials = bool(config.slack.bot_token or config.teams.app_id)
    if config.playground.enabled or (config.playground.enabled is None and not credentials):
        platforms.add("playground")
    return frozenset(platforms)


def build_adapters(runtime: Runtime) -> list[Adapter]:
    """Each adapter is on only when configured; adapters are imported here and nowhere else in the core."""
    platforms = enabled_platforms(runtime.config, runtime.host)
    adapters: list[Adapter] = []
    if "slack" in platforms:
        from adapters.slack import create_adapter as create_slack

        adapters.append(create_slack(runtime))
    if "teams" in platforms:
        from adapters.teams import create_adapter as create_teams

        adapters.append(create_teams(runtime))
    if "playground" in platforms:
        from adapters.playground import create_adapter as create_playground

        adapters.append(create_playground(runtime))
    del platforms  # each adapter issue adds its branch here
    return adapters


async def _healthz(request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


def create_app(config: AppConfig, *, host: str = "127.0.0.1", clock: Callable[[], datetime] = utc_now
               ) -> web.Application:
    runtime = Runtime(config, host=host, clock=clock)
    runtime.adapters = build_adapters(runtime)
    app = web.Application(client_max_size=2 * 1024 * 1024)
    app[RUNTIME] = runtime
    app.router.add_get("/healthz", _healthz)
    from adapters.dashboard import mount_dashboard

    mount_dashboard(app, runtime)
    for adapter in runtime.adapters:
        adapter.mount(app)
    app.cleanup_ctx.append(runtime.lifecycle)
    return app
