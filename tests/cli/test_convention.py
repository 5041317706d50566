"""Configuration by convention: the Slack and Teams credentials come from the environment even when app.yaml
has no section for them, and check-config and run say which adapters start and why."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
import yaml

from benchmarks.campaign import free_port
from bot.adapter_plan import adapter_plan
from bot.config import load_config
from tests.slack.conftest import SIGNING_SECRET, fake_slack, payload, sign
from tests.slack.fake_slack import BOT_TOKEN, FakeSlack

__all__ = ["fake_slack"]
ROOT = Path(__file__).parents[2]
ADAPTER_VARIABLES = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL",
                     "MICROSOFT_APP_ID", "MICROSOFT_APP_PASSWORD", "MICROSOFT_APP_TENANT_ID", "MICROSOFT_APP_TYPE")


def clean_env(**variables: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ADAPTER_VARIABLES}
    # Run this checkout's code whatever the working directory (the venv may have another one installed).
    return {**env, "PYTHONPATH": str(ROOT), **variables}


@pytest.fixture
def no_slack_section(tmp_path: Path) -> Path:
    raw = yaml.safe_load((ROOT / "app.yaml").read_text())
    assert "slack" not in raw and "teams" not in raw  # the shipped file relies on the convention
    shutil.copy(ROOT / "app.yaml", tmp_path / "app.yaml")
    return tmp_path / "app.yaml"


def test_environment_fills_sections_the_file_leaves_out(no_slack_section: Path) -> None:
    env = {"SLACK_BOT_TOKEN": "xoxb-env", "SLACK_SIGNING_SECRET": "env-secret", "MICROSOFT_APP_ID": "app-env",
           "MICROSOFT_APP_TYPE": "SingleTenant", "MICROSOFT_APP_TENANT_ID": "tenant-env"}
    config = load_config(no_slack_section, environ=env)
    assert (config.slack.bot_token, config.slack.signing_secret) == ("xoxb-env", "env-secret")
    assert (config.teams.app_id, config.teams.app_type, config.teams.tenant_id) == (
        "app-env", "SingleTenant", "tenant-env")
    assert [d.platform for d in adapter_plan(config) if d.on] == ["slack", "teams"]


def test_the_file_wins_where_it_sets_a_value(tmp_path: Path) -> None:
    raw = yaml.safe_load((ROOT / "app.yaml").read_text())
    raw["slack"] = {"bot_token": "xoxb-file", "signing_secret": "${SLACK_SIGNING_SECRET:-}"}
    path = tmp_path / "app.yaml"
    path.write_text(yaml.safe_dump(raw))
    config = load_config(path, environ={"SLACK_BOT_TOKEN": "xoxb-env", "SLACK_SIGNING_SECRET": "env-secret",
                                        "SLACK_API_URL": "http://127.0.0.1:9/api/"})
    assert config.slack.bot_token == "xoxb-file"
    assert config.slack.signing_secret == "env-secret"  # "${VAR:-}" left blank: the convention fills it
    assert config.slack.api_url == "http://127.0.0.1:9/api/"


def test_shipped_app_yaml_starts_the_playground_only() -> None:
    config = load_config(ROOT / "app.yaml", environ={})
    assert [(d.platform, d.on) for d in adapter_plan(config)] == [
        ("slack", False), ("teams", False), ("playground", True)]


def crowdbot(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=60)


def test_check_config_says_which_adapters_start_and_why(no_slack_section: Path) -> None:
    env = clean_env(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET)
    result = crowdbot("check-config", str(no_slack_section), env=env, cwd=no_slack_section.parent)
    assert result.returncode == 0, result.stderr
    lines = {line.split(":")[0].strip(): line for line in result.stdout.splitlines()[2:]}
    assert "on" in lines["slack"].split() and "/slack/events" in lines["slack"]
    assert "off" in lines["teams"].split() and "MICROSOFT_APP_ID not set" in lines["teams"]
    assert "off" in lines["playground"].split()

    bare = crowdbot("check-config", str(no_slack_section), env=clean_env(), cwd=no_slack_section.parent)
    assert "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET not set" in bare.stdout
    assert "playground: on" in " ".join(bare.stdout.split())


def tail(log: Path, size: int = 2000) -> str:
    return log.read_text()[-size:]


async def wait_until_up(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 30
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(f"crowdbot exited: {tail(log)}")
            try:
                async with session.get(f"{url}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                await asyncio.sleep(0.1)
    raise AssertionError(f"crowdbot did not come up: {tail(log)}")


async def post_command(url: str, text: str, fake: FakeSlack) -> tuple[int, Any]:
    fields = payload("command_idea")
    fields.update(text=text, user_id="U1", channel_id="C0IDEAS", response_url=fake.base_url + "unused")
    body = urlencode(fields)
    headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
    async with aiohttp.ClientSession() as session, session.post(f"{url}/slack/events", data=body,
                                                                headers=headers) as response:
        return response.status, await response.json(content_type=None)


async def test_run_serves_slack_with_only_the_two_variables_set(no_slack_section: Path, fake_slack: FakeSlack,
                                                                database_url: str) -> None:
    port, log = free_port(), no_slack_section.parent / "crowdbot.log"
    env = clean_env(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=fake_slack.base_url,
                    DATABASE_URL=database_url)
    process = subprocess.Popen(  # noqa: ASYNC220 - starting it is instant; we then poll without blocking
        [sys.executable, "-m", "bot", "run", "--port", str(port), "--config", str(no_slack_section)],
        cwd=no_slack_section.parent, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        await wait_until_up(process, url, log)
        status, reply = await post_command(url, "Swap rota shifts in the app", fake_slack)
        assert status == 200 and "is in" in reply["text"]
        await fake_slack.wait_for(lambda: [a for a in fake_slack.of("chat.postMessage") if a["channel"] == "C0IDEAS"])
        async with aiohttp.ClientSession() as session, session.get(f"{url}/") as page:
            assert page.status == 404  # credentials set: no playground
    finally:
        process.terminate()
        process.wait(timeout=15)
    started = tail(log, size=1_000_000)
    assert "slack:      on" in started and "serving POST /slack/events" in started


def test_doctor_lists_every_configured_channel_and_person(no_slack_section: Path, database_url: str) -> None:
    env = clean_env(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, DATABASE_URL=database_url)
    result = crowdbot("doctor", "--config", str(no_slack_section), env=env, cwd=no_slack_section.parent)
    lines = result.stdout.splitlines()
    assert result.returncode == 1, result.stderr  # the playground people cannot be reached with Slack on
    (ideas,) = [line for line in lines if line.startswith("slack:C0IDEAS")]
    assert "reachable: not yet known" in ideas and "/invite @Crowdbot" in ideas
    (leader,) = [line for line in lines if line.startswith("slack:U0LEAD1")]
    assert "[leader]" in leader and "reachable: yes" in leader
    (casey,) = [line for line in lines if line.startswith("playground:Casey Brown")]
    assert "reachable: no" in casey and "playground is off" in casey
    assert len(lines) == 4 + 6  # four challenge channels (one is also the community digest's), six people
