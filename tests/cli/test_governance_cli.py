"""`crowdbot audit` and `crowdbot data housekeeping`, run as an information-governance reviewer would."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

from bot.config import load_config
from bot.context import Core
from bot.handler import Bot
from storage.database import Database
from tests.cli.in_process import crowdbot
from tests.cli.test_cli import workdir  # noqa: F401 - the example campaign in a temporary folder
from tests.factories import say


async def manager_actions(folder: Path) -> None:
    config = load_config(folder / "app.yaml", environ={"DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'crowdbot.db'}"})
    db = Database(config.storage.url)
    bot = Bot(Core(config, db))
    manager = config.roles.community_managers[0]
    channel = config.challenges[0].channels[0].partition(":")[2]
    await say(bot, "slack:U1", "Quieter night handovers", channel=channel)
    await say(bot, manager, "status #1 in_progress Trialling on two wards from Monday", channel=channel)
    await say(bot, manager, "horizon #1 H1", channel=channel)
    await say(bot, "slack:U1", "horizon #1 H2", channel=channel)  # refused: not a manager
    await db.dispose()


def test_audit_lists_manager_actions_as_csv(workdir: Path) -> None:  # noqa: F811
    env_db = f"sqlite+aiosqlite:///{workdir / 'crowdbot.db'}"
    assert crowdbot("db", "upgrade", cwd=workdir, env_db=env_db).returncode == 0
    asyncio.run(manager_actions(workdir))

    result = crowdbot("audit", "--format", "csv", cwd=workdir, env_db=env_db)

    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["action"], r["idea"], r["detail"]) for r in rows] == [
        ("status", "#1", "in_progress (with a note)"), ("horizon", "#1", "H1")]
    assert "Trialling" not in result.stdout and "Quieter" not in result.stdout
    assert crowdbot("audit", "--since", "2999-01-01", cwd=workdir, env_db=env_db).stdout == "No audit entries.\n"


def test_data_housekeeping_reports_what_it_removed(workdir: Path) -> None:  # noqa: F811
    env_db = f"sqlite+aiosqlite:///{workdir / 'crowdbot.db'}"
    assert crowdbot("db", "upgrade", cwd=workdir, env_db=env_db).returncode == 0
    result = crowdbot("data", "housekeeping", cwd=workdir, env_db=env_db)
    assert result.returncode == 0, result.stderr
    assert "Removed 0 inbound event ids older than 7 days, 0 delivered messages older than 30 days" in result.stdout
