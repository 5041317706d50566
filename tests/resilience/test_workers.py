"""`crowdbot run --workers N`: several processes on one port, each a full replica; every vote stored once,
a clean stop on SIGTERM, a dead worker reported and the bot stopped, no orphans when the parent is killed;
SQLite refuses more than one worker."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

from bot.config import load_config
from tests.resilience.private_postgres import private_postgres
from tests.resilience.process import ROOT, BotProcess, reaction_body, send_event, slack_campaign
from tests.resilience.seeding import displayed_counts, migrate, seed_posted_ideas, stored_votes
from tests.slack.fake_slack import FakeSlack

VOTERS, IDEAS = 20, 4


def children_of(pid: int) -> set[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return {int(child) for child in found}


def is_gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state == "Z"  # exited; only its reaping is left (an orphan waits for init)


def all_gone(pids: set[int], within: float) -> bool:
    deadline = time.monotonic() + within
    while not all(is_gone(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return all(is_gone(pid) for pid in pids)


async def answering_pids(url: str, expected: set[int], within: float = 30.0) -> set[int]:
    """The pids in /healthz over fresh connections, which the kernel spreads over the processes on the port,
    until all of `expected` answered (a worker still starting is not listening yet) or time is up."""
    pids: set[int] = set()
    deadline = time.monotonic() + within
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as session:
        while not expected <= pids and time.monotonic() < deadline:
            async with session.get(f"{url}/healthz") as response:
                pids.add(int((await response.json())["pid"]))
            await asyncio.sleep(0.02)
    return pids


async def wait_exit(bot: BotProcess, seconds: float = 20.0) -> int:
    assert bot.process is not None
    return await asyncio.to_thread(bot.process.wait, seconds)


async def test_two_workers_serve_one_port_and_count_every_vote_once(tmp_path: Path, fake_slack: FakeSlack) -> None:
    postgres = private_postgres()
    await asyncio.to_thread(postgres.init)
    bot = BotProcess(tmp_path / "app.yaml", fake_slack.base_url, tmp_path / "workers.log",
                     extra_args=("--workers", "2"))
    workers: set[int] = set()
    try:
        await asyncio.to_thread(migrate, postgres.url)
        config_path = slack_campaign(tmp_path, postgres.url)
        stamps = await seed_posted_ideas(load_config(config_path, environ={}), IDEAS)
        await bot.start()
        assert bot.process is not None
        workers = children_of(bot.process.pid)
        assert len(workers) == 2
        assert await answering_pids(bot.url, workers) == workers  # both workers answer on the one port

        events = [(f"UW{v}", stamps[i], f"EvW{v}-{i}") for v in range(VOTERS) for i in range(IDEAS)]
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as session:
            # Each event twice, the second as Slack's retry: on fresh connections, so either worker may take either.
            statuses = await asyncio.gather(*(send_event(session, bot.url, reaction_body(*event), retry=hop)
                                              for event in events for hop in (0, 1)))
        assert set(statuses) == {200}
        assert await stored_votes(postgres.url) == {(stamps.index(ts) + 1, voter) for voter, ts, _ in events}
        assert await displayed_counts(postgres.url) == {number: VOTERS for number in range(1, IDEAS + 1)}

        # A worker that dies is reported with its exit code, and the parent stops the other and exits non-zero.
        dead, other = sorted(workers)
        os.kill(dead, signal.SIGKILL)
        assert await wait_exit(bot) == 1
        assert is_gone(other)
        assert f"(pid {dead}) exited with code -9; stopping the others" in bot.log.read_text()

        # Started again, SIGTERM to the parent stops both workers cleanly.
        earlier = len(bot.log.read_text())
        await bot.start()
        workers = children_of(bot.process.pid)
        assert len(workers) == 2
        bot.process.send_signal(signal.SIGTERM)
        assert await wait_exit(bot) == 0
        assert all(is_gone(pid) for pid in workers)
        assert "exited with code" not in bot.log.read_text()[earlier:]

        # A parent killed outright (no chance to stop anything) takes its workers with it: no orphan serves on.
        await bot.start()
        workers = children_of(bot.process.pid)
        bot.kill()
        assert await asyncio.to_thread(all_gone, workers, 20.0)
    finally:
        bot.stop()
        for pid in workers:
            if not is_gone(pid):
                os.kill(pid, signal.SIGKILL)
        await asyncio.to_thread(postgres.destroy)


def run_crowdbot(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", "run", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, timeout=60)


def test_sqlite_refuses_several_workers_and_no_worker_is_refused(tmp_path: Path) -> None:
    config = slack_campaign(tmp_path, f"sqlite+aiosqlite:///{tmp_path}/crowdbot.db")
    for args, env in ((["--workers", "2"], None), ([], {"CROWDBOT_WORKERS": "3"})):
        refused = run_crowdbot("--config", str(config), *args, cwd=tmp_path, env=env)
        assert refused.returncode == 2
        assert "needs PostgreSQL: SQLite allows one writer at a time" in refused.stderr
        assert "listening" not in refused.stdout
    refused = run_crowdbot("--config", str(config), "--workers", "0", cwd=tmp_path)
    assert refused.returncode == 2
    assert "--workers must be at least 1 (got 0)" in refused.stderr
    assert not (tmp_path / "crowdbot.db").exists()  # refused before anything was opened or created
