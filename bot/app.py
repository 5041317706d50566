"""The composition root: builds the database, core, adapters, outbox dispatcher and scheduler, and the
aiohttp application that serves them; everything is opened and closed in aiohttp's cleanup_ctx."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import datetime

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from bot.adapter import Adapter
from bot.clock import utc_now
from bot.config import AppConfig
from bot.context import Core
from bot.events import Event
from bot.handler import UNAVAILABLE, Bot
from bot.housekeeping import keep_house
from bot.message import Message, Reply
from bot.metrics import CONTENT_TYPE_LATEST, Metrics
from bot.name_directory import NameDirectory
from bot.observe import record_event
from bot.outbox import OutboxDispatcher
from bot.platform import PlatformTraits
from bot.references import StoredReferences
from bot.similarity.models import MODELS
from storage import outbox as outbox_store
from storage.database import Database, DatabaseUnavailable
from storage.schema import current_revision, ensure_current, head_revision

logger = logging.getLogger(__name__)
READY_TIMEOUT_SECONDS = 2.0


class Runtime:
    """What `crowdbot run` holds while it runs. Built by `create_app`, opened in cleanup_ctx."""

    def __init__(self, config: AppConfig, *, host: str, clock: Callable[[], datetime] | None = None) -> None:
        self.config = config
        self.host = host
        self.clock = clock or utc_now
        # APScheduler's timer reads the real time; with any other clock the caller drives the fires itself
        # (catch-up at start, the rehearsal clock, run_job), so a run never depends on when it happens.
        self.scheduler_timer = clock is None
        self.adapters: list[Adapter] = []
        self.db: Database | None = None
        self.core: Core | None = None
        self.bot: Bot | None = None
        self.dispatcher: OutboxDispatcher | None = None
        self.scheduler: object | None = None
        self.started = False
        self.housekeeping: asyncio.Task[None] | None = None

    async def problems(self) -> list[str]:
        """What keeps this process from serving: empty when the database answers at the current schema, every
        adapter has started and the scheduler runs."""
        if not self.started or self.db is None or self.core is None:
            return ["starting: adapters and scheduler not started yet"]
        found = []
        try:
            async with asyncio.timeout(READY_TIMEOUT_SECONDS):
                current, head = await current_revision(self.db.engine), head_revision()
            if current != head:
                found.append(f"database: schema at {current}, this version needs {head}")
        except (DatabaseUnavailable, OSError, TimeoutError, SQLAlchemyError) as error:
            found.append(f"database: not reachable ({type(error).__name__})")
        if not _scheduler_running(self.scheduler, timer=self.scheduler_timer):
            found.append("scheduler: not running")
        return found

    async def metrics(self) -> tuple[bytes, str]:
        """The exposition, with the outbox gauges read now (left as they were if the database does not answer)."""
        if self.core is not None and self.db is not None:
            try:
                async with asyncio.timeout(READY_TIMEOUT_SECONDS), self.db.transaction() as session:
                    depth, oldest = await outbox_store.pending_summary(session, now=self.core.now())
                self.core.metrics.outbox_depth.set(depth)
                self.core.metrics.outbox_oldest.set(oldest)
            except (DatabaseUnavailable, OSError, TimeoutError, SQLAlchemyError):
                self.core.metrics.database_errors.inc()
        registry_owner = self.core.metrics if self.core is not None else Metrics()
        return registry_owner.render(), CONTENT_TYPE_LATEST

    async def dispatch(self, event: Event) -> Reply:
        if self.bot is None or self.core is None:
            raise RuntimeError("the bot is not started")
        started = time.perf_counter()
        try:
            reply = await self.bot.handle(event)
        except DatabaseUnavailable:
            self.core.metrics.database_errors.inc()
            reply = Reply(messages=(Message(text=UNAVAILABLE),), unavailable=True)
        record_event(self.core.metrics, event, reply, time.perf_counter() - started)
        return reply

    async def lifecycle(self, app: web.Application) -> AsyncIterator[None]:
        self.db = Database(self.config.storage.url)
        try:
            await ensure_current(self.db.engine)
            platforms = frozenset(adapter.platform for adapter in self.adapters)
            self.core = Core(self.config, self.db, platforms=platforms, clock=self.clock,
                             traits=platform_traits(platforms))
            self.bot = Bot(self.core)
            await _learn_letters(self.core)
            for adapter in self.adapters:
                await adapter.start()
            self.dispatcher = OutboxDispatcher(self.core, {a.platform: a.messenger for a in self.adapters})
            self.dispatcher.start()
            self.scheduler = await _start_scheduler(self.core, timer=self.scheduler_timer)
            if self.scheduler_timer:  # like the timer, periodic housekeeping runs on the real clock only
                self.housekeeping = asyncio.create_task(keep_house(self.core))
            self.started = True
            logger.info("crowdbot is up: %s", ", ".join(sorted(platforms)) or "no platform adapters")
            yield
        finally:
            self.started = False
            if self.housekeeping is not None:
                self.housekeeping.cancel()
            await _stop_scheduler(self.scheduler)
            await MODELS.settled()
            if self.dispatcher is not None:
                await self.dispatcher.stop()
            for adapter in reversed(self.adapters):
                await adapter.stop()
            await self.db.dispose()


RUNTIME = web.AppKey("runtime", Runtime)


async def _learn_letters(core: Core) -> None:
    """Each challenge's similarity weights before the first submission asks for them (bot/similarity/models.py);
    without them a lookup would learn them itself, slowly but correctly, so a failure here only logs."""
    if not core.config.similarity.enabled:
        return
    try:
        await MODELS.warm(core.db, [challenge.key for challenge in core.config.challenges])
    except (DatabaseUnavailable, SQLAlchemyError, OSError, ValueError):
        logger.exception("similar ideas: could not learn the challenges' letters at startup")


async def _start_scheduler(core: Core, *, timer: bool) -> object | None:
    from scheduler.runner import CampaignScheduler

    campaign_scheduler = CampaignScheduler(core)
    await campaign_scheduler.start(timer=timer)
    return campaign_scheduler


def _scheduler_running(scheduler: object | None, *, timer: bool) -> bool:
    return scheduler is not None and (not timer or bool(getattr(scheduler, "running", False)))


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


def platform_traits(platforms: Iterable[str]) -> dict[str, PlatformTraits]:
    """What each platform's adapter declares the core should know of it (command words, a conversation per
    challenge); read without starting the adapter, so the CLI's core speaks the same way."""
    traits: dict[str, PlatformTraits] = {}
    if "slack" in platforms:
        from adapters.slack.traits import TRAITS as slack

        traits["slack"] = slack
    if "teams" in platforms:
        from adapters.teams.traits import TRAITS as teams

        traits["teams"] = teams
    if "playground" in platforms:
        from adapters.playground.traits import TRAITS as playground

        traits["playground"] = playground
    return traits


def build_adapters(runtime: Runtime) -> list[Adapter]:
    """Each adapter is on only when configured; adapters are imported here and nowhere else in the core."""
    platforms = enabled_platforms(runtime.config, runtime.host)
    adapters: list[Adapter] = []
    if "slack" in platforms:
        from adapters.slack import create_adapter as create_slack

        adapters.append(create_slack(runtime.config.slack, runtime.dispatch,
                                     names=NameDirectory(lambda: runtime.core)))
    if "teams" in platforms:
        from adapters.teams import create_adapter as create_teams

        adapters.append(create_teams(runtime.config.teams, runtime.dispatch, host=runtime.host,
                                     vote_emoji=runtime.config.voting.emoji,
                                     references=StoredReferences(lambda: runtime.db)))
    if "playground" in platforms:
        from adapters.playground import create_adapter as create_playground

        adapters.append(create_playground(runtime.config, runtime.dispatch, host=runtime.host,
                                          scheduler=lambda: runtime.scheduler))
    del platforms  # each adapter issue adds its branch here
    return adapters


def create_app(config: AppConfig, *, host: str = "127.0.0.1", clock: Callable[[], datetime] | None) -> web.Application:
    """The whole bot as an aiohttp application. `clock=None` is the real time; any other clock replaces it, and
    then no timer runs (the caller drives the scheduler), so a harness never depends on the wall clock."""
    runtime = Runtime(config, host=host, clock=clock)
    runtime.adapters = build_adapters(runtime)
    app = web.Application(client_max_size=2 * 1024 * 1024)
    app[RUNTIME] = runtime
    from adapters.dashboard import mount_dashboard
    from adapters.dashboard.access import TOKEN_VARIABLE
    from adapters.operations import mount_operations

    mount_operations(app, host=host, token=os.environ.get(TOKEN_VARIABLE) or None, problems=runtime.problems,
                     metrics=runtime.metrics)

    mount_dashboard(app, host=host, running_core=lambda: runtime.core)
    for adapter in runtime.adapters:
        adapter.mount(app)
    app.cleanup_ctx.append(runtime.lifecycle)
    return app
