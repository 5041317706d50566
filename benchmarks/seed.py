"""Bulk seeding of a national-scale campaign (ideas, votes, comments, decisions) in seconds.

Usage: python benchmarks/seed.py --url sqlite+aiosqlite:///big.db --ideas 100000 --votes 1000000 \
           --comments 200000 --participants 20000

The database must be migrated (`crowdbot db upgrade`) and empty. PostgreSQL is loaded with COPY,
SQLite with executemany inside one transaction.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import make_url

STATUSES = ["new"] * 6 + ["under_review", "taken_forward", "in_progress", "done", "not_taken_forward"]
HORIZONS = [None, None, "H1", "H2", "H3", "H4"]
CHALLENGES = ["ways-of-working", "wellbeing", "patient-experience", "digital"]
CAMPAIGN_DAYS = 120
# The example campaign's (app.yaml) community managers on Slack: decisions, themes and some comments are theirs,
# so the community-manager figures measure real work, not an empty set.
MANAGERS = ("slack:U0CM1", "slack:U0CM2")
MANAGER_COMMENT_SHARE = 0.05
THEMED_SHARE = 0.3
THEMES = ("rota", "handover", "equipment", "training", "wellbeing", "digital")
# The campaign ends today, so the weekly digest has a real week of activity to report.
START = datetime.now(UTC).replace(microsecond=0) - timedelta(days=CAMPAIGN_DAYS)


@dataclass(frozen=True)
class Scale:
    ideas: int
    votes: int
    comments: int
    participants: int
    seed: int = 7


def _when(rng: random.Random) -> datetime:
    return START + timedelta(seconds=rng.randrange(CAMPAIGN_DAYS * 86400))


def idea_rows(scale: Scale, rng: random.Random) -> Iterator[tuple]:
    for number in range(1, scale.ideas + 1):
        created = _when(rng)
        status = rng.choice(STATUSES)
        yield (number, number, CHALLENGES[number % len(CHALLENGES)], f"Seeded idea number {number}",
               f"slack:P{rng.randrange(scale.participants)}", number % 10 == 0, status, rng.choice(HORIZONS),
               None, created, created)


def vote_rows(scale: Scale, rng: random.Random, ideas: list[tuple]) -> Iterator[tuple]:
    """Distinct (idea, voter) pairs, skewed so some ideas are popular, each cast after its idea was shared."""
    end = START + timedelta(days=CAMPAIGN_DAYS)
    seen: set[tuple[int, int]] = set()
    vote_id = 0
    while vote_id < scale.votes:
        idea = min(int(rng.paretovariate(1.2)), scale.ideas)
        idea = rng.randrange(1, scale.ideas + 1) if rng.random() < 0.7 else idea
        voter = rng.randrange(scale.participants)
        if (idea, voter) in seen:
            continue
        seen.add((idea, voter))
        vote_id += 1
        created = ideas[idea - 1][9]
        yield (vote_id, idea, f"slack:P{voter}", created + (end - created) * rng.random())


def comment_rows(scale: Scale, rng: random.Random) -> Iterator[tuple]:
    for comment_id in range(1, scale.comments + 1):
        author = (rng.choice(MANAGERS) if rng.random() < MANAGER_COMMENT_SHARE
                  else f"slack:P{rng.randrange(scale.participants)}")
        yield (comment_id, rng.randrange(1, scale.ideas + 1), author, "Seeded comment", None, _when(rng))


def status_rows(scale: Scale, ideas: list[tuple], rng: random.Random) -> Iterator[tuple]:
    """A decision after each decided idea was shared, by one of the campaign's managers."""
    decided = [(row[0], row[6], row[9]) for row in ideas if row[6] != "new"]
    for change_id, (idea_id, status, created) in enumerate(decided, start=1):
        at = min(created + timedelta(days=rng.uniform(0.5, 20)), START + timedelta(days=CAMPAIGN_DAYS))
        yield (change_id, idea_id, "new", status, f"Decision for idea {idea_id}", rng.choice(MANAGERS), at)


def theme_rows(ideas: list[tuple], rng: random.Random) -> Iterator[tuple]:
    themed = (row for row in ideas if rng.random() < THEMED_SHARE)
    for theme_id, row in enumerate(themed, start=1):
        at = min(row[9] + timedelta(days=rng.uniform(0.1, 5)), START + timedelta(days=CAMPAIGN_DAYS))
        yield (theme_id, row[0], rng.choice(THEMES), rng.choice(MANAGERS), at)


def participant_rows(scale: Scale, first_contribution: dict[str, datetime]) -> Iterator[tuple]:
    """Everyone the bot has seen; only those who shared, voted or commented count as contributors."""
    for index in range(scale.participants):
        ref = f"slack:P{index}"
        first = first_contribution.get(ref)
        yield (ref, f"Person {index}", True, first or START, first)


def first_contributions(ideas: list[tuple], votes: list[tuple], comments: list[tuple]) -> dict[str, datetime]:
    first: dict[str, datetime] = {}
    for ref, at in [(row[4], row[9]) for row in ideas] + [(row[2], row[3]) for row in votes] + \
            [(row[2], row[5]) for row in comments]:
        if ref not in first or at < first[ref]:
            first[ref] = at
    return first


TABLES = {
    "idea": ("id", "number", "challenge_key", "text", "author_ref", "anonymous", "status", "horizon",
             "merged_into_id", "created_at", "updated_at", "vote_count"),
    "vote": ("id", "idea_id", "voter_ref", "created_at"),
    "comment": ("id", "idea_id", "author_ref", "text", "source_ref", "created_at"),
    "statuschange": ("id", "idea_id", "from_status", "to_status", "note", "by_ref", "created_at"),
    "ideatheme": ("id", "idea_id", "theme", "added_by", "created_at"),
    "participant": ("ref", "display_name", "notifications", "first_seen", "first_contribution_at"),
}


def generate(scale: Scale) -> dict[str, list[tuple]]:
    rng = random.Random(scale.seed)
    ideas = list(idea_rows(scale, rng))
    votes = list(vote_rows(scale, rng, ideas))
    comments = list(comment_rows(scale, rng))
    per_idea = Counter(vote[1] for vote in votes)
    return {
        "participant": list(participant_rows(scale, first_contributions(ideas, votes, comments))),
        "idea": [(*row, per_idea.get(row[0], 0)) for row in ideas],
        "vote": votes,
        "comment": comments,
        "statuschange": list(status_rows(scale, ideas, rng)),
        "ideatheme": list(theme_rows(ideas, rng)),
    }


def _sqlite_value(value: object) -> object:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(value, datetime) else value


def load_sqlite(path: str, data: dict[str, list[tuple]], next_number: int) -> None:
    connection = sqlite3.connect(path)
    with connection:
        for table, rows in data.items():
            columns = TABLES[table]
            marks = ", ".join("?" for _ in columns)
            connection.executemany(
                f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({marks})',
                ([_sqlite_value(v) for v in row] for row in rows))
        connection.execute("INSERT INTO campaign (id, name, next_idea_number) VALUES (1, 'Seeded', ?)",
                           (next_number,))
    connection.execute("ANALYZE")  # as a long-running install would have: the planner needs the statistics
    connection.close()


async def load_postgres(url: str, data: dict[str, list[tuple]], next_number: int) -> None:
    import asyncpg

    parsed = make_url(url)
    connection = await asyncpg.connect(user=parsed.username, password=parsed.password, host=parsed.host,
                                       port=parsed.port or 5432, database=parsed.database)
    try:
        async with connection.transaction():
            for table, rows in data.items():
                await connection.copy_records_to_table(table, records=rows, columns=list(TABLES[table]))
            await connection.execute("INSERT INTO campaign (id, name, next_idea_number) VALUES (1, 'Seeded', $1)",
                                      next_number)
            for table in ("idea", "vote", "comment", "statuschange", "ideatheme"):
                await connection.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


def seed(url: str, scale: Scale) -> dict[str, int]:
    data = generate(scale)
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        load_sqlite(make_url(url).database or "", data, scale.ideas + 1)
    else:
        asyncio.run(load_postgres(url, data, scale.ideas + 1))
    return {table: len(rows) for table, rows in data.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--ideas", type=int, default=100_000)
    parser.add_argument("--votes", type=int, default=1_000_000)
    parser.add_argument("--comments", type=int, default=200_000)
    parser.add_argument("--participants", type=int, default=20_000)
    args = parser.parse_args()
    started = time.perf_counter()
    counts = seed(args.url, Scale(args.ideas, args.votes, args.comments, args.participants))
    print(f"seeded {counts} in {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
