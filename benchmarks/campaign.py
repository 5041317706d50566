"""The example campaign set up for Slack load: a Slack-only copy of app.yaml and ideas already posted.

Shared by the benchmarks and the resilience tests, which drive `crowdbot run` the same way.
"""

from __future__ import annotations

import socket
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CHANNEL = "C0IDEAS"
# The campaign clock of a benchmark run: a Sunday noon, when no job of the example campaign is due, so a run
# measures the same work whatever day and hour it is started.
CLOCK_START = "2026-11-22T12:00:00+00:00"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def slack_only_config(folder: Path, database_url: str | None = None) -> Path:
    """The example campaign as a Slack-only deployment (no Teams references, so no Teams endpoint)."""
    raw = yaml.safe_load((ROOT / "app.yaml").read_text())
    for role, refs in raw["roles"].items():
        raw["roles"][role] = [ref for ref in refs if ref.startswith("slack:")]
    for challenge in raw["challenges"]:
        challenge["channels"] = [ref for ref in challenge["channels"] if ref.startswith("slack:")]
    raw.pop("teams", None)
    if database_url:
        raw["storage"] = {"url": database_url}
    path = folder / "app.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


async def seed_posted_ideas(url: str, count: int, *, ts_prefix: str = "1700000000") -> list[str]:
    """`count` ideas already posted in CHANNEL (as after a day of submissions); returns their message ts."""
    from bot.config import load_config
    from bot.context import Core
    from bot.services.ideas import submit_idea
    from storage import posts
    from storage.database import Database

    config = load_config(ROOT / "app.yaml", environ={})
    db = Database(url)
    core = Core(config, db)
    stamps = []
    async with db.transaction() as session:
        for index in range(count):
            idea = await submit_idea(core, session, author_ref=f"slack:UAUTHOR{index}",
                                     challenge=config.challenges[0], text=f"Seeded idea {index}", anonymous=False)
            ts = f"{ts_prefix}.{index:06d}"
            await posts.record_post(session, idea_id=idea.id, platform="slack", conversation=CHANNEL,  # type: ignore[arg-type]
                                    message_id=ts, now=core.now())
            stamps.append(ts)
    await db.dispose()
    return stamps
