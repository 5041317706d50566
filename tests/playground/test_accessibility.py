"""WCAG 2.2 AA in a real browser: axe-core finds no violation on the playground (as staff and as a community
manager) or the dashboard; both reflow at 320 CSS pixels; the keyboard reaches everything with a visible focus;
the chart has a text alternative and its data as a table."""

from __future__ import annotations

import asyncio
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page, expect
from sqlalchemy import func, select

from bot.app import RUNTIME, create_app
from bot.config import AppConfig
from storage.models import IdeaHourAgreement, IdeaHourPost
from tests.factories import harness_clock
from tests.playground.helpers import CM, OTHER, STAFF, playground_config, post_recorded
from tests.playground.test_browser import browser, open_as, say, server  # noqa: F401 - fixtures and helpers

pytestmark = pytest.mark.browser
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


async def violations(page: Page) -> list[str]:
    results = await Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]]


async def a_busy_channel(server, browser: Browser) -> tuple[Page, Page]:  # noqa: F811
    base, app = server
    staff = await open_as(browser, base, STAFF)
    manager = await open_as(browser, base, CM)
    await say(staff, "/idea Shared handover notes between night and day shifts")
    await expect(staff.locator("#ephemeral")).to_contain_text("your idea #1 is in")
    post = staff.locator(".post", has_text="Idea #1")
    await post_recorded(app[RUNTIME].core, await post.get_attribute("data-id"))
    await post.get_by_label("Reply in thread").fill("Yes, with a checklist")
    await post.get_by_label("Reply in thread").press("Enter")
    await say(manager, "/idea status #1 in_progress Trialling on ward 7")
    await expect(staff.locator("#direct-list")).to_contain_text("Update on your idea #1")
    return staff, manager


async def test_axe_finds_no_violation_as_staff_as_a_manager_and_on_the_dashboard(
        server, browser: Browser) -> None:  # noqa: F811
    staff, manager = await a_busy_channel(server, browser)
    assert await violations(staff) == []
    assert await violations(manager) == []
    await staff.get_by_role("link", name="Dashboard").click()
    await expect(staff.locator("#figures")).to_contain_text("Ideas1")
    assert await violations(staff) == []


async def test_pages_reflow_at_320_css_pixels(server, browser: Browser) -> None:  # noqa: F811
    base, _ = server
    await a_busy_channel(server, browser)
    page = await (await browser.new_context(viewport={"width": 320, "height": 640})).new_page()
    for path in (f"/?as={OTHER}&channel=rotas", "/dashboard"):
        await page.goto(base + path)
        await expect(page.locator("main")).to_have_count(1)
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        wide = await page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
            .map(el => el.tagName + (el.id ? '#' + el.id : '') + '.' + el.className).slice(0, 8)""")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px: {wide}"


async def test_the_keyboard_reaches_every_control_with_a_visible_focus(server, browser: Browser) -> None:  # noqa: F811
    base, _ = server
    staff, _ = await a_busy_channel(server, browser)
    reached = []
    for _ in range(40):
        await staff.keyboard.press("Tab")
        focused = await staff.evaluate("""() => {
            const el = document.activeElement; const style = getComputedStyle(el);
            const label = el.labels && el.labels.length ? el.labels[0].textContent.trim() : '';
            return {name: el.getAttribute('aria-label') || label || el.textContent.trim().slice(0, 30) || el.id,
                    tag: el.tagName, visible: style.outlineStyle !== 'none' || style.boxShadow !== 'none'};
        }""")
        reached.append(focused)
    assert all(item["visible"] for item in reached if item["tag"] != "BODY"), reached
    names = " | ".join(item["name"] for item in reached)
    assert "Message #" in names and "Reply in thread" in names


async def test_the_chart_has_a_text_alternative_and_its_data_as_a_table(server, browser: Browser) -> None:  # noqa: F811
    base, _ = server
    staff, _ = await a_busy_channel(server, browser)
    await staff.goto(f"{base}/dashboard")
    alt = await staff.locator("#chart").get_attribute("alt") or ""
    assert "people have taken part" in alt and "ideas were shared" in alt
    table = staff.locator("#chart-data")
    await expect(table.locator("thead")).to_contain_text("People taking part")
    await expect(table.locator("tbody tr")).not_to_have_count(0)


HOUR = {"key": "handovers-hour", "challenge": "rotas", "title": "Safer handovers", "channels": ["playground:rotas"],
        "starts": "2035-01-08 19:00", "questions": ["What makes a handover go well?", "What would you change?"],
        "question_interval_minutes": 15}


@pytest.fixture
async def hour_server(tmp_path: Path, sqlite_template: Path) -> AsyncIterator[tuple[str, web.Application]]:
    """The real bot with an idea hour configured in the playground's rotas channel."""
    database = tmp_path / "crowdbot.db"
    shutil.copy(sqlite_template, database)
    raw = playground_config(f"sqlite+aiosqlite:///{database}").model_dump(mode="json")
    raw["challenges"][0]["channels"] = ["playground:rotas"]
    raw["idea_hours"] = [HOUR]
    app = create_app(AppConfig.model_validate(raw), clock=harness_clock())
    runner = web.AppRunner(app, shutdown_timeout=5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}", app
    await runner.cleanup()


async def act(base: str, persona: str, path: str, **body: str) -> None:
    async with aiohttp.ClientSession() as session, session.post(
            f"{base}/playground/api/{path}", json={"as": persona, "channel": "rotas", **body}) as response:
        assert response.status == 200, await response.text()


async def run_an_hour(base: str, app: web.Application) -> None:
    """Over the playground's HTTP API: a host starts the hour, two people answer Q1, the host ends it."""
    await start_and_answer(base, app)
    await act(base, CM, "command", text="/idea hour end handovers-hour")


async def start_and_answer(base: str, app: web.Application) -> None:
    """A host starts the hour and two people answer Q1."""
    core = app[RUNTIME].core
    await act(base, CM, "command", text="/idea hour start handovers-hour")
    async with asyncio.timeout(10):
        while True:  # the outbox records where Q1 went just after publishing it
            async with core.db.transaction() as session:
                q1 = (await session.execute(select(IdeaHourPost.message_id))).scalars().first()
            if q1:
                break
            await asyncio.sleep(0.05)
    await act(base, STAFF, "reply", message=q1, text="A written checklist <every> time")
    await act(base, OTHER, "reply", message=q1, text="Handover at the bedside")


async def test_an_idea_hours_dashboard_page_meets_wcag_aa_and_reflows(hour_server, browser: Browser) -> None:  # noqa: F811
    base, app = hour_server
    await run_an_hour(base, app)
    page = await (await browser.new_context(viewport={"width": 1280, "height": 900})).new_page()
    await page.goto(f"{base}/dashboard")
    await page.get_by_role("link", name="Safer handovers").click()
    await expect(page.locator("#hour-figures")).to_contain_text("Answers2")
    assert await violations(page) == []
    await expect(page.get_by_role("img", name="Answers per minute")).to_have_count(1)
    await page.get_by_text("The chart as a table").click()  # the same figures as text, for anyone
    await expect(page.locator("#per-minute tbody")).to_contain_text("2")
    assert await violations(page) == []
    narrow = await (await browser.new_context(viewport={"width": 320, "height": 640})).new_page()
    await narrow.goto(f"{base}/dashboard/hours/handovers-hour")
    overflow = await narrow.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the hour page scrolls sideways by {overflow}px at 320px"


async def test_agreeing_with_an_answer_by_click_and_keyboard(hour_server, browser: Browser) -> None:  # noqa: F811
    """The Agree button on a thread reply: a real button with an accessible name, pressed by a click and taken back
    by the keyboard, counted as the hour's agreement; axe finds no violation with it on the page."""
    base, app = hour_server
    await start_and_answer(base, app)
    page = await open_as(browser, base, OTHER)
    agree = page.get_by_role("button", name=re.compile(r"^Agree with Sam Patel's reply: 0"))
    await agree.click()
    pressed = page.get_by_role("button", name="Agree with Sam Patel's reply: 1 (Alex Morgan)")
    await expect(pressed).to_have_attribute("aria-pressed", "true")
    await agreements_reach(app, 1)
    assert await violations(page) == []
    await pressed.focus()
    await page.keyboard.press("Enter")  # a second press takes the agreement back
    await expect(page.get_by_role("button", name="Agree with Sam Patel's reply: 0")).to_have_attribute(
        "aria-pressed", "false")
    await agreements_reach(app, 0)


async def agreements_reach(app: web.Application, expected: int) -> None:
    """The page shows the press before the bot has stored it (as Slack does): wait for the database to agree."""
    async with asyncio.timeout(10):
        while True:
            async with app[RUNTIME].core.db.transaction() as session:
                stored = (await session.execute(select(func.count()).select_from(IdeaHourAgreement))).scalar_one()
            if stored == expected:
                return
            await asyncio.sleep(0.05)
