"""The playground and the dashboard in a real browser: headless Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from playwright.async_api import Browser, Page, async_playwright, expect

from bot.app import RUNTIME, create_app
from tests.factories import harness_clock
from tests.playground.helpers import CM, OTHER, STAFF, playground_config, post_recorded

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WAIT_MS = 10_000


def chromium_path() -> str:
    path = os.environ.get("CROWDBOT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(f"Chromium is not installed (looked for {path}): run `apt-get install chromium` "
                    "(or set CROWDBOT_CHROMIUM to its path).")
    return path


@pytest.fixture
async def server(tmp_path: Path, sqlite_template: Path) -> AsyncIterator[tuple[str, web.Application]]:
    """The real bot (create_app) on an ephemeral loopback port, on a migrated SQLite file of its own."""
    database = tmp_path / "crowdbot.db"
    shutil.copy(sqlite_template, database)
    app = create_app(playground_config(f"sqlite+aiosqlite:///{database}"), clock=harness_clock())
    runner = web.AppRunner(app, shutdown_timeout=5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}", app
    await runner.cleanup()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


async def open_as(browser: Browser, base: str, persona: str, channel: str = "rotas") -> Page:
    page = await (await browser.new_context(viewport={"width": 1400, "height": 1000})).new_page()
    page.set_default_timeout(WAIT_MS)
    await page.goto(f"{base}/?as={persona}&channel={channel}")
    await expect(page.locator("body[data-live=on]")).to_have_count(1)  # the live stream is connected
    return page


async def say(page: Page, text: str) -> None:
    await page.get_by_label("Message #").fill(text)
    await page.get_by_label("Message #").press("Enter")


async def test_a_campaign_in_two_windows_and_the_dashboard(server, browser: Browser) -> None:
    base, app = server
    ARTIFACTS.mkdir(exist_ok=True)
    staff = await open_as(browser, base, STAFF)
    other = await open_as(browser, base, OTHER)
    manager = await open_as(browser, base, CM)

    await say(staff, "/idea Shared handover notes between night and day shifts")
    await expect(staff.locator("#ephemeral")).to_contain_text("your idea #1 is in")
    await expect(other.locator("#ephemeral")).to_be_empty()  # ephemeral: only the author sees it
    staff_post = staff.locator(".post", has_text="Idea #1")
    other_post = other.locator(".post", has_text="Idea #1")
    await expect(other_post).to_contain_text("Shared handover notes between night and day shifts")
    await post_recorded(app[RUNTIME].core, await other_post.get_attribute("data-id"))

    # A vote from the second window, by keyboard, shows up live in the first.
    thumbs = other_post.locator('.reaction[data-emoji="+1"]')
    await thumbs.focus()
    await thumbs.press("Enter")
    await expect(thumbs).to_have_attribute("aria-pressed", "true")
    await expect(staff_post.locator('.reaction[data-emoji="+1"] .count')).to_have_text("1")
    await expect(staff_post.locator(".msg-fields")).to_contain_text("Votes1")

    # A comment in the thread.
    await other_post.get_by_label("Reply in thread").fill("Yes, and a checklist <b>for agency staff</b>")
    await other_post.get_by_label("Reply in thread").press("Enter")
    await expect(staff_post.locator(".replies")).to_contain_text("Yes, and a checklist <b>for agency staff</b>")
    await expect(staff_post.locator(".thread-count")).to_have_text("1 reply")

    # The community manager decides; the author hears in their direct messages, the voter does not.
    await say(manager, "/idea status #1 in_progress We will trial this on ward 7 in March")
    await expect(manager.locator("#ephemeral")).to_contain_text("Its author has been told")
    await expect(staff.locator("#direct-list")).to_contain_text("Update on your idea #1")
    await expect(staff.locator("#direct-list")).to_contain_text("We will trial this on ward 7 in March")
    await expect(staff_post.locator(".msg-fields")).to_contain_text("Statusin progress")
    await expect(other.locator("#direct-list")).not_to_contain_text("Update on your idea")
    await say(manager, "/idea horizon #1 H1")
    await expect(manager.locator("#ephemeral")).to_contain_text("now H1 (quick win)")

    # The rehearsal clock: the next scheduled job is the daily prompt; then a digest preview to the manager.
    await expect(manager.locator("#upcoming")).to_contain_text("Challenge prompt: Fairer rotas")
    await manager.get_by_role("button", name="Fire next scheduled job").click()
    await expect(manager.locator("#clock-result")).to_contain_text("Challenge prompt: Fairer rotas")
    await expect(staff.locator(".post", has_text="Share yours: /idea")).to_contain_text("Fairer rotas")
    await manager.get_by_label("Digest as a preview to me only").check()
    await manager.get_by_role("button", name="Run digest now").click()
    await expect(manager.locator("#clock-result")).to_have_text(
        "Rehearsal, in the playground only: Digest preview sent to playground:Casey Brown.")
    await expect(manager.locator("#direct-list .entry")).to_have_count(1)
    await expect(staff.locator("#direct-list .entry")).to_have_count(1)  # only the acknowledgement
    # Each coming job has its own Rehearse button, redrawn as the rehearsal time moves on; staff are refused.
    first_job = manager.locator("#upcoming li").first
    before = await first_job.text_content()
    await first_job.get_by_role("button", name="Rehearse").click()
    await expect(manager.locator("#clock-result")).to_contain_text("rehearsed in the playground only")
    await expect(manager.locator("#upcoming li").first).not_to_have_text(before or "")
    await staff.get_by_role("button", name="Fire next scheduled job").click()
    await expect(staff.locator("#clock-result")).to_have_text(
        "Only community managers or admins can use the rehearsal clock. Nothing was changed.")
    await manager.screenshot(path=str(ARTIFACTS / "playground-manager.png"), full_page=True)
    await staff.screenshot(path=str(ARTIFACTS / "playground-channel.png"), full_page=True)

    dashboard = staff
    await dashboard.get_by_role("link", name="Dashboard").click()
    figures = dashboard.locator("#figures")
    await expect(figures).to_contain_text("Ideas1")
    await expect(figures).to_contain_text("Votes1")
    await expect(figures).to_contain_text("Comments1")
    await expect(figures).to_contain_text("Participation2% (2 of 100)")
    await expect(dashboard.locator("#by-status")).to_contain_text("in progress1")
    await expect(dashboard.locator("#quick-wins")).to_contain_text("Shared handover notes between night and day")
    await expect(dashboard.locator("#chart")).to_have_js_property("complete", True)
    assert await dashboard.locator("#chart").evaluate("img => img.naturalWidth") > 0
    await dashboard.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
