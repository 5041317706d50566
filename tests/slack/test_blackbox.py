"""Must show: `crowdbot run` as a real process with the Slack variables, talking to a fake Slack Web API."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import json
import os
import sqlite3
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import unused_port

from tests.factories import QUIET_MOMENT
from tests.slack.conftest import SIGNING_SECRET, SLACK_ACK_TIMEOUT, command_body, event_envelope, reaction, sign
from tests.slack.fake_slack import BOT_TOKEN, FakeSlack

ROOT = Path(__file__).parents[2]
APP_YAML = """
campaign: {name: "Black-box campaign", audience_size: 50}
storage: {url: "${DATABASE_URL}"}
challenges:
  - {key: rotas, title: "Fairer rotas", questions: ["How could rotas be fairer?"], channels: ["slack:C0ROTA"]}
slack:
  bot_token: "${SLACK_BOT_TOKEN:-}"
  signing_secret: "${SLACK_SIGNING_SECRET:-}"
  api_url: "${SLACK_API_URL:-}"
"""
STARTUP_SECONDS = 30.0


async def crowdbot(env: dict[str, str], *args: str) -> str:
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", *args, cwd=ROOT, env=env,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), STARTUP_SECONDS)
    assert process.returncode == 0, err.decode()
    return out.decode()


@pytest.fixture
async def running(tmp_path: Path, fake_slack: FakeSlack) -> AsyncIterator[tuple[str, dict[str, str]]]:
    config = tmp_path / "app.yaml"
    config.write_text(APP_YAML)
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'crowdbot.db'}",
           "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": fake_slack.base_url,
           "CROWDBOT_CLOCK_START": QUIET_MOMENT.isoformat()}
    env.pop("SLACK_APP_TOKEN", None)
    await crowdbot(env, "db", "upgrade", "--config", str(config))
    port = unused_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--port", str(port), "--config", str(config), cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    try:
        await asyncio.wait_for(_listening(process), STARTUP_SECONDS)
        yield f"http://127.0.0.1:{port}", {**env, "CROWDBOT_CONFIG": str(config)}
    finally:
        process.terminate()
        await process.wait()


async def _listening(process: asyncio.subprocess.Process) -> None:
    assert process.stdout is not None
    while line := await process.stdout.readline():
        if b"crowdbot listening on" in line:
            return
    raise AssertionError("crowdbot run exited before listening")


async def recorded_as_idea_post(database_url: str, ts: str, within: float = 10.0) -> None:
    """A person reacts only after seeing the post; by then the bot has stored which idea it shows. A test is
    faster than a person, so it waits (read-only) until the bot has committed that record."""
    path = database_url.removeprefix("sqlite+aiosqlite:///")
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            if connection.execute("SELECT 1 FROM ideapost WHERE message_id = ?", (ts,)).fetchone():
                return
        await asyncio.sleep(0.02)  # polling a condition, bounded by `within`
    raise AssertionError(f"the bot did not record its post {ts} within {within} s")


async def signed_post(session: aiohttp.ClientSession, url: str, body: str, content_type: str,
                      **headers: str) -> tuple[int, Any]:
    all_headers = {"Content-Type": content_type, **sign(body), **headers}
    async with session.post(url + "/slack/events", data=body, headers=all_headers,
                            timeout=aiohttp.ClientTimeout(total=SLACK_ACK_TIMEOUT)) as response:
        text = await response.text()
        return response.status, json.loads(text) if text.startswith("{") else text


async def test_crowdbot_run_serves_slack_end_to_end(running: tuple[str, dict[str, str]],
                                                    fake_slack: FakeSlack) -> None:
    url, env = running
    form = "application/x-www-form-urlencoded"
    async with aiohttp.ClientSession() as session:
        status, reply = await signed_post(session, url, command_body("Better rota swaps", channel="C0ROTA"), form)
        assert status == 200 and reply["text"].startswith("Thanks, your idea #1 is in")

        (post,) = await fake_slack.wait_for(lambda: fake_slack.answered("chat.postMessage"))
        assert post.args["channel"] == "C0ROTA" and "Better rota swaps" in post.args["text"]
        ts = post.answer["ts"]
        await recorded_as_idea_post(env["DATABASE_URL"], ts)

        for user, event_id, retry in (("U2", "EvA", {}), ("U3", "EvB", {}), ("U2", "EvA", {"X-Slack-Retry-Num": "1"})):
            body = json.dumps(event_envelope(reaction(user, ts, channel="C0ROTA"), event_id))
            status, _ = await signed_post(session, url, body, "application/json", **retry)
            assert status == 200

        bad = command_body("Sneaky idea", channel="C0ROTA")
        async with session.post(url + "/slack/events", data=bad, headers={
                "Content-Type": form, **sign(bad, secret="wrong-secret")}) as response:
            assert response.status == 401

        status, reply = await signed_post(session, url, command_body("<!channel> hi", channel="C0ROTA"), form)
        assert status == 200 and "#2" in reply["text"]
        posted = await fake_slack.wait_for(lambda: len(fake_slack.answered("chat.postMessage")) >= 2
                                           and fake_slack.of("chat.postMessage"))
        assert all("<!channel>" not in json.dumps(args) for args in posted)
        assert "&lt;!channel&gt; hi" in posted[-1]["text"]

    rows = list(csv.DictReader(io.StringIO(await crowdbot(env, "export", "--format", "csv"))))
    assert [(row["text"], row["votes"]) for row in rows] == [("Better rota swaps", "2"), ("<!channel> hi", "0")]
