"""Reads a py-spy raw (collapsed) profile and prints where the time went: the busiest functions and the share
of samples spent in each part of the stack named in issue #16 (SQLAlchemy, the SQLite thread, slack-bolt, ...).

Usage: python -m benchmarks.profile_summary PROFILE.txt [--top 15]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

# A sample counts towards a part when any frame of its stack is in one of these files or functions.
PARTS = {
    "SQLAlchemy (ORM, compile, bind, result)": ("sqlalchemy/",),
    "aiosqlite thread / sqlite3": ("aiosqlite/", "sqlite3"),
    "asyncpg": ("asyncpg/",),
    "slack-bolt middleware and listeners": ("slack_bolt/",),
    "slack-sdk (signature check, clients)": ("slack_sdk/",),
    "aiohttp access log": ("web_log.py", "aiohttp/access"),
    "aiohttp server (parse, respond)": ("aiohttp/web_protocol.py", "aiohttp/web_response.py", "aiohttp/http_"),
    "logging": ("logging/__init__.py",),
    "our reaction batch (bot/services/reaction_batch.py)": ("reaction_batch.py",),
    "group commit (bot/batcher.py)": ("bot/batcher.py",),
    "outbox dispatcher (bot/outbox.py)": ("bot/outbox.py",),
    "our Slack adapter (adapters/slack)": ("adapters/slack/",),
    "metrics (prometheus)": ("prometheus_client/",),
}


# Leaf frames that are waiting, not working: the event loop's select, the SQLite thread waiting for its next
# statement, a coroutine parked on that thread's answer. py-spy's idle detection does not drop them all.
IDLE_LEAVES = ("EpollSelector.select", "_connection_worker_thread (aiosqlite/core.py:59)",
               "Connection._execute (aiosqlite/core.py:158)")


def read_stacks(path: Path) -> Counter[str]:
    """Busy stacks with their sample counts (waiting leaves dropped)."""
    stacks: Counter[str] = Counter()
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit() and not stack.rsplit(";", 1)[-1].startswith(IDLE_LEAVES):
            stacks[stack] += int(count)
    return stacks


def summarise(stacks: Counter[str], top: int = 15) -> list[str]:
    total = sum(stacks.values()) or 1
    own: Counter[str] = Counter()
    parts: Counter[str] = Counter()
    for stack, count in stacks.items():
        frames = stack.split(";")
        own[frames[-1]] += count
        for part, markers in PARTS.items():
            if any(marker in frame for frame in frames for marker in markers):
                parts[part] += count
    lines = [f"{total:,} busy samples (waiting frames left out)", "share of samples by part of the stack (a sample may "
             "fall in several):"]
    lines += [f"  {100 * count / total:5.1f}%  {part}" for part, count in parts.most_common()]
    lines.append(f"top {top} functions by own time:")
    lines += [f"  {100 * count / total:5.1f}%  {frame[:150]}" for frame, count in own.most_common(top)]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    print("\n".join(summarise(read_stacks(args.profile), args.top)))


if __name__ == "__main__":
    main()
