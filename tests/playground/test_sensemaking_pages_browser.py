"""The dashboard's sensemaking pages in real headless Chromium: reached from the dashboard, a theme renamed and
applied to the ideas left ticked, a pair merged by its button (the browser's own form posts pass the same-origin
check), no WCAG 2.2 AA violation found by axe-core, and no sideways scrolling at 320 CSS pixels."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from playwright.async_api import Browser, expect
from sqlalchemy import select

from bot.app import RUNTIME, create_app
from storage.models import Idea, IdeaTheme
from tests.factories import harness_clock
from tests.playground.helpers import OTHER, STAFF, playground_config
from tests.playground.test_accessibility import violations
from tests.playground.test_browser import browser  # noqa: F401 - the fixture
from tests.playground.test_dashboard_sensemaking import RAIL

pytestmark = pytest.mark.browser


@pytest.fixture
async def server(tmp_path: Path, sqlite_template: Path) -> AsyncIterator[tuple[str, web.Application]]:
    database = tmp_path / "crowdbot.db"
    shutil.copy(sqlite_template, database)
    config = playground_config(f"sqlite+aiosqlite:///{database}", similarity={"enabled": False})
    app = create_app(config, clock=harness_clock())
    runner = web.AppRunner(app, shutdown_timeout=5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    async with aiohttp.ClientSession() as session:
        for index, text in enumerate(RAIL):
            async with session.post(f"{base}/playground/api/command", json={
                    "as": (STAFF, OTHER)[index % 2], "channel": "rotas", "text": f"/idea {text}"}) as response:
                assert response.status == 200, await response.text()
    yield base, app
    await runner.cleanup()


async def test_themes_and_duplicates_pages_work_in_a_browser_and_meet_wcag_aa(
        server, browser: Browser) -> None:  # noqa: F811
    base, app = server
    page = await (await browser.new_context(viewport={"width": 1280, "height": 900})).new_page()
    await page.goto(f"{base}/dashboard")
    await page.get_by_role("link", name="Suggested themes").first.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Suggested themes: Fairer rotas")
    assert await violations(page) == []

    group = page.locator("section").first
    await group.get_by_text("ideas it goes to").click()
    boxes = group.get_by_role("checkbox")
    count = await boxes.count()
    assert count >= 2
    await boxes.nth(count - 1).uncheck()
    await group.get_by_label("Theme name").fill("Shift swaps")
    await group.get_by_role("button", name="Apply to the ticked ideas").click()
    await expect(page.locator("#outcome")).to_contain_text(f"Theme 'shift swaps' is now on {count - 1} idea(s)")
    assert await violations(page) == []
    async with app[RUNTIME].core.db.transaction() as session:
        themed = (await session.execute(select(IdeaTheme.idea_id))).scalars().all()
    assert len(themed) == count - 1

    await page.get_by_role("link", name="Back to the campaign dashboard").click()
    await page.get_by_role("link", name="Probable duplicates").first.click()
    assert await violations(page) == []
    await page.get_by_role("button", name="Merge #2 into #1").click()
    await expect(page.locator("#outcome")).to_contain_text("Merged #2 into #1")
    async with app[RUNTIME].core.db.transaction() as session:
        merged = (await session.execute(select(Idea.number).where(Idea.merged_into_id.is_not(None)))).all()
    assert [number for (number,) in merged] == [2]

    narrow = await (await browser.new_context(viewport={"width": 320, "height": 640})).new_page()
    for path in ("/dashboard/challenges/rotas/themes", "/dashboard/challenges/rotas/duplicates"):
        await narrow.goto(base + path)
        overflow = await narrow.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
