"""`crowdbot run` as a real process, with a seeded Slack campaign, for tests that kill and restart things."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from benchmarks.campaign import CHANNEL, free_port, slack_only_config
from tests.factories import QUIET_MOMENT
from tests.slack.conftest import SIGNING_SECRET, event_envelope, reaction, sign
from tests.slack.fake_slack import BOT_TOKEN

ROOT = Path(__file__).resolve().parents[2]


def slack_campaign(folder: Path, database_url: str) -> Path:
    """The example campaign, Slack only, with its storage URL and secrets from the environment."""
    return slack_only_config(folder, database_url)


@dataclass
class BotProcess:
    config: Path
    api_url: str
    log: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    extra_args: tuple[str, ...] = ()  # more `crowdbot run` options, e.g. ("--workers", "2")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self, within: float = 30.0) -> None:
        env = {**os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
               "SLACK_API_URL": self.api_url, "CROWDBOT_CLOCK_START": QUIET_MOMENT.isoformat()}
        env.pop("SLACK_APP_TOKEN", None)
        self.process = subprocess.Popen(  # noqa: ASYNC220 - starting it is instant; we then poll without blocking
            [sys.executable, "-m", "bot", "run", "--port", str(self.port), "--config", str(self.config),
             "--log-level", "WARNING", *self.extra_args], cwd=ROOT, env=env, stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT)
        deadline = time.monotonic() + within
        async with aiohttp.ClientSession() as session:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise AssertionError(f"crowdbot exited: {self.log.read_text()[-2000:]}")
                try:
                    async with session.get(f"{self.url}/healthz") as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    await asyncio.sleep(0.1)
        raise AssertionError(f"crowdbot did not come up: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """kill -9: no shutdown hooks, no flushing, exactly what a crash does."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def reaction_body(voter: str, ts: str, event_id: str) -> str:
    return json.dumps(event_envelope(reaction(voter, ts, channel=CHANNEL), event_id))


async def send_event(session: aiohttp.ClientSession, url: str, body: str, *, retry: int = 0,
                     patience: float = 10.0) -> int | None:
    """Posts one signed event; the HTTP status, or None when the connection failed (no acknowledgement)."""
    headers = {"Content-Type": "application/json", **sign(body, secret=SIGNING_SECRET)}
    if retry:
        headers.update({"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"})
    try:
        async with session.post(f"{url}/slack/events", data=body.encode(), headers=headers,
                                timeout=aiohttp.ClientTimeout(total=patience)) as response:
            await response.read()
            return response.status
    except (TimeoutError, aiohttp.ClientError):
        return None
