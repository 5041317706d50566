"""Set-at-a-time writes for the vote ingestion path: one statement per table for a whole batch of events.

The hot path (a group-commit batch of reactions) runs Core statements built once per process on the session's
connection, and reads plain rows, not ORM objects: building statements, the ORM's execute path and loading
objects cost several times what the database did."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Table, and_, any_, bindparam, exists, func, literal, null, select, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
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


MessageKey = tuple[str, str | None, str | None]  # platform, conversation, message id


class PostRef(NamedTuple):
    """Where an idea is posted."""
    id: int
    idea_id: int
    platform: str
    conversation: str
    message_id: str


def _dialect_of(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


def _in_list(dialect_name: str, column: Any, name: str) -> ColumnElement[bool]:
    """`column IN (the list bound as name)`: on PostgreSQL `= ANY(array)`, one statement text whatever the list's
    length (asyncpg prepares every distinct text, a round trip and a server-side parse each)."""
    if dialect_name == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(column.type)))
    return column.in_(bindparam(name, expanding=True))


def _insert_ignoring(dialect_name: str, table: Table, conflict: tuple[str, ...], returning: tuple[str, ...],
                     columns: tuple[str, ...] = ()) -> Executable:
    key = (dialect_name, "insert", table.name, conflict, returning, columns)
    statement = _statements.get(key)
    if statement is None:
        insert = _insert_rows(dialect_name, table, columns).on_conflict_do_nothing(index_elements=list(conflict))
        statement = insert.returning(*(table.c[column] for column in returning)) if returning else insert
        _statements[key] = statement
    return statement


def _insert_rows(dialect_name: str, table: Table, columns: tuple[str, ...]) -> Any:
    """An INSERT of many rows: on PostgreSQL from one array per column (bind them with `_as_arrays`), on SQLite
    an executemany of one row's VALUES (bind a list of dicts)."""
    if dialect_name == "postgresql":
        return postgresql.insert(table).from_select(list(columns), _unnest(table, columns))
    return sqlite.insert(table)


def _unnest(table: Table, columns: tuple[str, ...], prefix: str = "") -> Any:
    """SELECT the rows from one array per column, in the order given (PostgreSQL): a fixed statement text for
    any number of rows, where a multi-row VALUES differs, and is prepared again, per row count."""
    arrays = [bindparam(prefix + column, type_=ARRAY(table.c[column].type)) for column in columns]
    source = func.unnest(*arrays).table_valued(*columns, with_ordinality="position").render_derived()
    return select(*(source.c[column] for column in columns)).order_by(source.c.position)


def _as_arrays(rows: Sequence[dict[str, Any]], columns: tuple[str, ...], prefix: str = "") -> dict[str, list[Any]]:
    return {prefix + column: [row[column] for row in rows] for column in columns}


def _bound_rows(dialect_name: str, rows: Sequence[dict[str, Any]], columns: tuple[str, ...]) -> Any:
    """The parameters for an `_insert_rows` statement."""
    return _as_arrays(rows, columns) if dialect_name == "postgresql" else list(rows)


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
    dialect_name = _dialect_of(session)
    columns = tuple(rows[0]) if dialect_name == "postgresql" else ()
    statement = _insert_ignoring(dialect_name, target, tuple(conflict),
                                 tuple(getattr(column, "key", column) for column in returning), columns)
    connection = await session.connection()
    result = await connection.execute(statement, _bound_rows(dialect_name, rows, tuple(rows[0])))
    return [tuple(row) for row in result.all()] if returning else []


async def claim_events(session: AsyncSession, *, keys: Iterable[str], now: datetime) -> set[str]:
    """Records event ids; returns those not seen before (the rest are retries or replays)."""
    rows = [{"key": key, "received_at": now} for key in dict.fromkeys(keys)]
    claimed = await insert_many_ignoring_conflict(session, InboundEvent, rows, conflict=["key"], returning=["key"])
    return {key for (key,) in claimed}


_PEOPLE_COLUMNS = ("ref", "display_name", "notifications", "first_seen", "first_contribution_at")


def _people_upsert(dialect_name: str) -> Executable:
    key = (dialect_name, "people")
    statement = _statements.get(key)
    if statement is None:
        table = table_of(Participant)
        insert = _insert_rows(dialect_name, table, _PEOPLE_COLUMNS)
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
        dialect_name = _dialect_of(session)
        await connection.execute(_people_upsert(dialect_name), _bound_rows(dialect_name, rows, _PEOPLE_COLUMNS))


async def mark_contributors(session: AsyncSession, *, refs: Iterable[str], now: datetime) -> None:
    chosen = sorted(set(refs))
    if not chosen:
        return
    key = (_dialect_of(session), "contributors")
    statement = _statements.get(key)
    if statement is None:
        table = table_of(Participant)
        statement = _statements[key] = (
            update(table).where(_in_list(key[0], table.c.ref, "refs"),
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
            .where(post.c.platform == bindparam("platform"), _in_list(dialect_name, post.c.message_id, "ids")))
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
    return _votable_ideas(result)


def _votable_ideas(rows: Iterable[Any]) -> tuple[dict[tuple[str, str], VotableIdea], set[int]]:
    """Rows of `_ideas_for_messages_statement` as ideas keyed (conversation, message id), and which of them have
    duplicates merged into them."""
    found, grouped = {}, set()
    for conversation, message_id, *fields, merged_into_it in rows:
        idea = VotableIdea(*fields)
        found[(conversation, message_id)] = idea
        if merged_into_it:
            grouped.add(idea.id)
    return found, grouped


async def claim_events_and_find_ideas(
    session: AsyncSession, *, keys: Iterable[str], messages: dict[str, list[str]], now: datetime
) -> tuple[set[str], dict[MessageKey, VotableIdea], set[int]]:
    """`claim_events`, then `ideas_for_messages` for each platform's message ids, keyed (platform,
    conversation, message id). On PostgreSQL, with one platform, in one statement (one round trip, not two)."""
    unique_keys = sorted(set(keys))
    if _dialect_of(session) != "postgresql" or len(messages) != 1 or not unique_keys:
        claimed = await claim_events(session, keys=unique_keys, now=now)
        found: dict[MessageKey, VotableIdea] = {}
        grouped: set[int] = set()
        for platform, message_ids in messages.items():
            posted, merged_into = await ideas_for_messages(session, platform=platform, message_ids=message_ids)
            found |= _on_platform(platform, posted)
            grouped |= merged_into
        return claimed, found, grouped
    ((platform, message_ids),) = messages.items()
    connection = await session.connection()
    result = await connection.execute(_claim_and_find_statement(), {
        "key": unique_keys, "received_at": [now] * len(unique_keys), "platform": platform,
        "ids": sorted(set(message_ids))})
    rows = result.all()
    claimed = set(rows[0][0] or ())  # every row carries the claimed keys; the only row when no post matched
    posted, grouped = _votable_ideas(row[1:] for row in rows if row[1] is not None)
    return claimed, _on_platform(platform, posted), grouped


def _on_platform(platform: str, posted: dict[tuple[str, str], VotableIdea]) -> dict[MessageKey, VotableIdea]:
    return {(platform, conversation, message_id): idea for (conversation, message_id), idea in posted.items()}


def _claim_and_find_statement() -> Executable:
    key = ("postgresql", "claim and find")
    statement = _statements.get(key)
    if statement is None:
        inbound = table_of(InboundEvent)
        claim: Any = _insert_ignoring("postgresql", inbound, ("key",), ("key",), ("key", "received_at"))
        ideas: Any = _ideas_for_messages_statement("postgresql")
        claimed, found = claim.cte("claimed"), ideas.subquery("found")
        one_row = select(literal(1).label("one")).subquery("one_row")
        statement = _statements[key] = (
            select(select(func.array_agg(claimed.c.key)).scalar_subquery().label("claimed"), *found.c)
            .select_from(one_row.outerjoin(found, true())))
    return statement


_REACTION_COLUMNS = ("idea_id", "voter_ref", "emoji")
_VOTE_COLUMNS = ("idea_id", "voter_ref", "created_at")


async def add_reactions_and_votes(
    session: AsyncSession, *, reactions: Sequence[tuple[int, str, str]], votes: Sequence[tuple[int, str]],
    now: datetime,
) -> set[tuple[int, str]]:
    """`add_reactions` then `add_votes`; on PostgreSQL in one statement (one round trip, not two)."""
    if _dialect_of(session) != "postgresql" or not votes:
        await add_reactions(session, rows=reactions)
        return await add_votes(session, pairs=votes, now=now)
    reaction_rows = sorted(dict.fromkeys(reactions))
    vote_rows = [{"idea_id": idea_id, "voter_ref": voter, "created_at": now}
                 for idea_id, voter in sorted(dict.fromkeys(votes))]
    connection = await session.connection()
    result = await connection.execute(_reactions_and_votes_statement(), {
        **_as_arrays([dict(zip(_REACTION_COLUMNS, row, strict=True)) for row in reaction_rows], _REACTION_COLUMNS,
                     "reaction_"),
        **_as_arrays(vote_rows, _VOTE_COLUMNS, "vote_"),
    })
    return {(int(idea_id), str(voter)) for idea_id, voter in result}


def _reactions_and_votes_statement() -> Executable:
    key = ("postgresql", "reactions and votes")
    statement = _statements.get(key)
    if statement is None:
        reaction, vote = table_of(VoteReaction), table_of(Vote)
        reacted = (postgresql.insert(reaction)
                   .from_select(list(_REACTION_COLUMNS), _unnest(reaction, _REACTION_COLUMNS, "reaction_"))
                   .on_conflict_do_nothing(index_elements=list(_REACTION_COLUMNS)).cte("reacted"))
        statement = _statements[key] = (
            postgresql.insert(vote).from_select(list(_VOTE_COLUMNS), _unnest(vote, _VOTE_COLUMNS, "vote_"))
            .on_conflict_do_nothing(index_elements=["idea_id", "voter_ref"])
            .returning(vote.c.idea_id, vote.c.voter_ref).add_cte(reacted))
    return statement


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
            .where(_in_list(key[0], post.c.idea_id, "ids")).order_by(post.c.id))
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


def _updates_for_ideas_statement(dialect_name: str) -> Executable:
    key = (dialect_name, "updates for ideas")
    statement = _statements.get(key)
    if statement is None:
        post, outbox = table_of(IdeaPost), table_of(OutboxMessage)
        json_object = func.json_build_object if dialect_name == "postgresql" else func.json_object
        columns = {
            "platform": post.c.platform, "kind": literal("idea_update"), "conversation": post.c.conversation,
            "user_ref": null(), "lane": post.c.conversation, "thread": null(), "idea_id": post.c.idea_id,
            "payload": json_object("message_id", post.c.message_id),
            "coalesce_key": literal("update:") + func.cast(post.c.id, outbox.c.coalesce_key.type),
            "state": literal("pending"), "attempts": literal(0),
            "next_attempt_at": bindparam("due", type_=outbox.c.next_attempt_at.type),
            "created_at": bindparam("now", type_=outbox.c.created_at.type),
        }
        rows = (select(*columns.values())
                .where(_in_list(dialect_name, post.c.idea_id, "ids"),
                       _in_list(dialect_name, post.c.platform, "platforms"))
                .order_by(post.c.id))  # every batch locks the coalescing keys in the same order
        dialect = postgresql if dialect_name == "postgresql" else sqlite
        statement = _statements[key] = (dialect.insert(outbox).from_select(list(columns), rows)
                                        .on_conflict_do_nothing(index_elements=["coalesce_key"]))
    return statement


async def enqueue_updates_for_ideas(
    session: AsyncSession, *, idea_ids: Iterable[int], platforms: Iterable[str], due: datetime, now: datetime
) -> None:
    """`enqueue_post_updates` for every post of these ideas on these platforms, in one statement (no round trip
    to read the posts first)."""
    ids = sorted(set(idea_ids))
    if ids:
        connection = await session.connection()
        await connection.execute(_updates_for_ideas_statement(_dialect_of(session)),
                                 {"ids": ids, "platforms": sorted(set(platforms)), "due": due, "now": now})
