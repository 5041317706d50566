"""Fika in a real browser: the introduction lands in the direct messages panel and its button opens the idea
form there; the idea sent from it counts as from fika."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web
from playwright.async_api import Browser, expect
from sqlalchemy import select

from bot.app import RUNTIME, create_app
from storage.fika_models import FikaIdea
from tests.factories import FixedClock
from tests.playground.helpers import CM, OTHER, STAFF, playground_config
from tests.playground.test_browser import browser, open_as, say  # noqa: F401  (the browser fixture)

pytestmark = pytest.mark.browser
STARTED = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # a Monday, after the 09:00 round's grace period
FIKA = {"cron": "0 9 * * mon", "group_size": 2, "challenge": "rotas", "follow_up_after_days": 4}


@pytest.fixture
async def server(tmp_path: Path, sqlite_template: Path) -> AsyncIterator[tuple[str, web.Application]]:
    database = tmp_path / "crowdbot.db"
    shutil.copy(sqlite_template, database)
    app = create_app(playground_config(f"sqlite+aiosqlite:///{database}", fika=FIKA), clock=FixedClock(STARTED))
    runner = web.AppRunner(app, shutdown_timeout=5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}", app
    await runner.cleanup()


async def test_share_an_idea_from_the_fika_introduction_in_the_direct_messages(server, browser: Browser  # noqa: F811
                                                                               ) -> None:
    base, app = server
    staff = await open_as(browser, base, STAFF)
    other = await open_as(browser, base, OTHER)
    manager = await open_as(browser, base, CM)
    for page in (staff, other):
        await say(page, "/idea fika on")
        await expect(page.locator("#ephemeral")).to_contain_text("You're in fika")
    await say(manager, "/idea fika round")
    await expect(manager.locator("#ephemeral")).to_contain_text("Fika round 1: 2 people in 1 groups")

    intro = staff.locator("#direct-list .entry", has_text="Fika: meet")
    await expect(intro).to_contain_text(f"Fika: meet {OTHER}")
    await intro.get_by_role("button", name="Share an idea from our chat").click()
    form = staff.locator("#ephemeral form.idea-form")
    await form.get_by_label("Your idea").fill("Swap shifts over coffee")
    await form.get_by_role("button", name="Submit idea").click()
    await expect(staff.locator("#ephemeral")).to_contain_text("your idea #1 is in")
    await expect(staff.locator(".post", has_text="Swap shifts over coffee")).to_have_count(1)

    async with app[RUNTIME].core.db.transaction() as session:
        assert len((await session.execute(select(FikaIdea))).scalars().all()) == 1
