"""Applying a theme to a large group: how long the Apply holds the database, and how long an idea submitted
meanwhile waits for it.

Usage: python benchmarks/theme_apply.py [--ideas 500 5000] [--database-url URL]

Each idea has a Slack post (so every Apply also queues a post update per idea). The Apply is the same function
the dashboard's and chat's Apply call. While it runs, a second task opens a write transaction, as a submission
would, and the time until it gets one is printed. On SQLite a wait over 2 s would be answered "couldn't save".
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.similarity import insert_ideas, reset  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.context import Core  # noqa: E402
from bot.themes.apply import theme_ideas  # noqa: E402
from storage.database import Database  # noqa: E402
from storage.models import IdeaPost  # noqa: E402

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
CHALLENGE = "ways-of-working"


async def one_size(url: str, ideas: int) -> None:
    await reset(url)
    db = Database(url)
    core = Core(load_config(ROOT / "app.yaml", environ={}), db, platforms=frozenset({"slack"}), clock=lambda: NOW)
    ids = await insert_ideas(db, [(CHALLENGE, f"Idea {n} about handover and rotas") for n in range(ideas)])
    async with db.transaction() as session:
        await session.execute(insert(IdeaPost), [
            {"idea_id": idea_id, "platform": "slack", "conversation": "C0IDEAS", "message_id": f"{number}.000100",
             "created_at": NOW} for number, idea_id in ids.items()])

    async def apply() -> tuple[int, float]:
        started = time.perf_counter()
        async with db.transaction() as session:
            themed = await theme_ideas(core, session, numbers=sorted(ids), challenge_key=CHALLENGE,
                                       theme="handover", by_ref="slack:U0CM1")
        return len(themed), time.perf_counter() - started

    async def submission() -> float:
        await asyncio.sleep(0.01)  # after the Apply has begun
        started = time.perf_counter()
        async with db.transaction():
            return time.perf_counter() - started

    cpu = time.process_time()
    (themed, held), waited = await asyncio.gather(apply(), submission())
    cpu = time.process_time() - cpu
    await db.dispose()
    print(f"{ideas:>6} ideas: {themed} themed; Apply {held * 1000:.0f} ms wall ({cpu * 1000:.0f} ms CPU in this "
          f"process, both tasks); a submission meanwhile waited {waited * 1000:.0f} ms for its transaction")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, nargs="+", default=[500, 5000])
    parser.add_argument("--database-url", help="PostgreSQL URL (its public schema is dropped); default SQLite")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print(f"database: {(options.database_url or 'sqlite').split('://')[0]}")
        for ideas in options.ideas:
            await one_size(options.database_url or f"sqlite+aiosqlite:///{folder}/themes-{ideas}.db", ideas)


if __name__ == "__main__":
    asyncio.run(main())
