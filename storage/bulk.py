"""Set-at-a-time writes for the vote ingestion path: one statement per table for a whole batch of events.

The hot path (a group-commit batch of reactions) runs Core statements built once per process on the session's
connection, and reads plain rows, not ORM objects: building statements, the ORM's execute path and loading
objects cost several times what the database did."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Table, and_, bindparam, exists, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Executable

from storage.models import Idea, IdeaPost, InboundEvent, OutboxMessage, Participant, Vote, VoteReaction
from storage.upsert import table_of

_statements: dict[tuple[Any, ...], Executable] = {}  # (dialect, what, ...) -> a statement built once


class VotableIdea(NamedTuple):
    """What counting a vote on an idea needs to know of it."""
    id: int
    number: int
    status: str
    challenge_key: str
    author_ref: str
    anonymous: bool
    merged_into_id: int | None


class PostRef(NamedTuple):
    """Where an idea is posted."""
    id: int
    idea_id: int
    platform: str
    conversation: str
    message_id: str


def _dialect_of(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


def _insert_ignoring(dialect_name: str, table: Table, conflict: tuple[str, ...], returning: tuple[str, ...]
                     ) -> Executable:
    key = (dialect_name, "insert", table.name, conflict, returning)
    statement = _statements.get(key)
    if statement is None:
        dialect = postgresql if dialect_name == "postgresql" else sqlite
        insert = dialect.insert(table).on_conflict_do_nothing(index_elements=list(conflict))
        statement = insert.returning(*(table.c[column] for column in returning)) if returning else insert
        _statements[key] = statement
    return statement


async def insert_many_ignoring_conflict(
    session: AsyncSession, table: Any, rows: Sequence[dict[str, Any]], *, conflict: list[str],
    returning: Sequence[Any] = (),
) -> list[tuple[Any, ...]]:
    """Inserts the rows that don't break the unique constraint on `conflict`; returns `returning` of those.

    One cached single-row statement run as an executemany (SQLAlchemy batches it into multi-row VALUES
    itself): building a fresh N-row statement per batch cost more in compilation than the insert did.
    """
    if not rows:
        return []
    # Sorted by the conflict key: two replicas inserting overlapping batches take the unique index's locks in
    # the same order and wait for each other instead of deadlocking (PostgreSQL).
    rows = sorted(rows, key=lambda row: tuple(row[column] for column in conflict))
    target = getattr(table, "__table__", table)
    statement = _insert_ignoring(_dialect_of(session), target, tuple(conflict),
                                 tuple(getattr(column, "key", column) for column in returning))
    connection = await session.connection()
    result = await connection.execute(statement, list(rows))
    return [tuple(row) for row in result.all()] if returning else []


async def claim_events(session: AsyncSession, *, keys: Iterable[str], now: datetime) -> set[str]:
    """Records event ids; returns those not seen before (the rest are retries or replays)."""
    rows = [{"key": key, "received_at": now} for key in dict.fromkeys(keys)]
    claimed = await insert_many_ignoring_conflict(session, InboundEvent, rows, conflict=["key"], returning=["key"])
    return {key for (key,) in claimed}


def _people_upsert(dialect_name: str) -> Executable:
    key = (dialect_name, "people")
    statement = _statements.get(key)
    if statement is None:
        table = table_of(Participant)
        dialect = postgresql if dialect_name == "postgresql" else sqlite
        insert = dialect.insert(table)
        # A contributor's first contribution is kept; others are only recorded as seen.
        statement = insert.on_conflict_do_update(
            index_elements=["ref"], set_={"first_contribution_at": insert.excluded.first_contribution_at},
            where=and_(table.c.first_contribution_at.is_(None), insert.excluded.first_contribution_at.is_not(None)))
        _statements[key] = statement
    return statement


async def ensure_participants(session: AsyncSession, *, names: dict[str, str], now: datetime,
                              contributors: Iterable[str] = ()) -> None:
    """Records these people as seen (with their name, when new) and `contributors` (a subset) as having
    contributed, in one statement, in ref order (replicas lock the rows in the same order)."""
    chosen = set(contributors)
    rows = [{"ref": ref, "display_name": names[ref], "notifications": True, "first_seen": now,
             "first_contribution_at": now if ref in chosen else None} for ref in sorted(names)]
    if rows:
        connection = await session.connection()
        await connection.execute(_people_upsert(_dialect_of(session)), rows)


async def mark_contributors(session: AsyncSession, *, refs: Iterable[str], now: datetime) -> None:
    chosen = sorted(set(refs))
    if not chosen:
        return
    key = (_dialect_of(session), "contributors")
    statement = _statements.get(key)
    if statement is None:
        table = table_of(Participant)
        statement = _statements[key] = (
            update(table).where(table.c.ref.in_(bindparam("refs", expanding=True)),
                                table.c.first_contribution_at.is_(None))
            .values(first_contribution_at=bindparam("now")))
    connection = await session.connection()
    await connection.execute(statement, {"refs": chosen, "now": now})


def _ideas_for_messages_statement(dialect_name: str) -> Executable:
    key = (dialect_name, "ideas for messages")
    statement = _statements.get(key)
    if statement is None:
        idea, post = table_of(Idea), table_of(IdeaPost)
        duplicate = idea.alias("duplicate")
        has_duplicates = exists().where(duplicate.c.merged_into_id == idea.c.id).correlate(idea)
        statement = _statements[key] = (
            select(post.c.conversation, post.c.message_id, idea.c.id, idea.c.number, idea.c.status,
                   idea.c.challenge_key, idea.c.author_ref, idea.c.anonymous, idea.c.merged_into_id,
                   has_duplicates.label("grouped"))
            .join(idea, idea.c.id == post.c.idea_id)
            .where(post.c.platform == bindparam("platform"), post.c.message_id.in_(bindparam("ids", expanding=True))))
    return statement


async def ideas_for_messages(
    session: AsyncSession, *, platform: str, message_ids: Iterable[str]
) -> tuple[dict[tuple[str, str], VotableIdea], set[int]]:
    """Ideas posted as these messages, keyed by (conversation, message id), and which of them have duplicates
    merged into them (their counts are recounted, not shifted), in one statement."""
    ids = sorted(set(message_ids))
    if not ids:
        return {}, set()
    connection = await session.connection()
    result = await connection.execute(_ideas_for_messages_statement(_dialect_of(session)),
                                      {"platform": platform, "ids": ids})
    found, grouped = {}, set()
    for conversation, message_id, *fields, merged_into_it in result:
        idea = VotableIdea(*fields)
        found[(conversation, message_id)] = idea
        if merged_into_it:
            grouped.add(idea.id)
    return found, grouped


async def add_reactions(session: AsyncSession, *, rows: Sequence[tuple[int, str, str]]) -> None:
    values = [{"idea_id": idea_id, "voter_ref": voter, "emoji": emoji} for idea_id, voter, emoji in dict.fromkeys(rows)]
    await insert_many_ignoring_conflict(session, VoteReaction, values, conflict=["idea_id", "voter_ref", "emoji"])


async def add_votes(
    session: AsyncSession, *, pairs: Sequence[tuple[int, str]], now: datetime
) -> set[tuple[int, str]]:
    """Inserts (idea id, voter) votes; returns the pairs that were new."""
    values = [{"idea_id": idea_id, "voter_ref": voter, "created_at": now} for idea_id, voter in dict.fromkeys(pairs)]
    added = await insert_many_ignoring_conflict(session, Vote, values, conflict=["idea_id", "voter_ref"],
                                                returning=["idea_id", "voter_ref"])
    return {(int(idea_id), str(voter)) for idea_id, voter in added}


async def posts_of_ideas(session: AsyncSession, *, idea_ids: Iterable[int]) -> list[PostRef]:
    ids = sorted(set(idea_ids))
    if not ids:
        return []
    key = (_dialect_of(session), "posts of ideas")
    statement = _statements.get(key)
    if statement is None:
        post = table_of(IdeaPost)
        statement = _statements[key] = (
            select(post.c.id, post.c.idea_id, post.c.platform, post.c.conversation, post.c.message_id)
            .where(post.c.idea_id.in_(bindparam("ids", expanding=True))).order_by(post.c.id))
    connection = await session.connection()
    return [PostRef(*row) for row in await connection.execute(statement, {"ids": ids})]


async def enqueue_post_updates(
    session: AsyncSession, *, posts: Sequence[PostRef | IdeaPost], due: datetime, now: datetime
) -> None:
    """One pending update per post: a post that already has one waiting is left alone (the coalescing)."""
    rows = [{
        "platform": post.platform, "kind": "idea_update", "conversation": post.conversation, "user_ref": None,
        "lane": post.conversation,
        "thread": None, "idea_id": post.idea_id, "payload": {"message_id": post.message_id},
        "coalesce_key": f"update:{post.id}", "state": "pending", "attempts": 0, "next_attempt_at": due,
        "created_at": now,
    } for post in posts]
    await insert_many_ignoring_conflict(session, OutboxMessage, rows, conflict=["coalesce_key"])
