"""The transactional outbox: rows written with the change that caused them, claimed and delivered later."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from storage.models import OutboxMessage
from storage.upsert import insert_ignoring_conflict, table_of

ORDERED_KINDS = ("post", "idea_post", "direct")  # delivered in order per conversation; updates are not
ACTIVE_STATES = ("pending", "sending")


async def enqueue(
    session: AsyncSession, *, platform: str, kind: str, now: datetime, conversation: str | None = None,
    user_ref: str | None = None, thread: str | None = None, idea_id: int | None = None,
    payload: dict[str, Any] | None = None, coalesce_key: str | None = None, delay: timedelta = timedelta(0),
) -> bool:
    """Adds a message to deliver; with a coalesce_key, does nothing if one with that key is still pending."""
    values = row_values(platform=platform, kind=kind, now=now, conversation=conversation, user_ref=user_ref,
                        thread=thread, idea_id=idea_id, payload=payload, coalesce_key=coalesce_key, delay=delay)
    if coalesce_key is None:
        session.add(OutboxMessage(**values))
        return True
    return await insert_ignoring_conflict(session, OutboxMessage, values, conflict=["coalesce_key"])


def row_values(
    *, platform: str, kind: str, now: datetime, conversation: str | None = None, user_ref: str | None = None,
    thread: str | None = None, idea_id: int | None = None, payload: dict[str, Any] | None = None,
    coalesce_key: str | None = None, delay: timedelta = timedelta(0),
) -> dict[str, Any]:
    """The one place an outbox row's columns are built (enqueue and enqueue_many use it)."""
    return {
        "platform": platform, "kind": kind, "conversation": conversation, "user_ref": user_ref,
        "thread": thread, "idea_id": idea_id, "payload": payload, "coalesce_key": coalesce_key,
        "state": "pending", "attempts": 0, "next_attempt_at": now + delay, "created_at": now,
        "lane": lane_of(conversation, user_ref),
    }


async def enqueue_many(session: AsyncSession, rows: list[dict[str, Any]]) -> int:
    """Adds many rows built by row_values in one executemany (a fika round queues thousands at once)."""
    if rows:
        await session.execute(insert(table_of(OutboxMessage)), rows)  # Core: the ORM bulk path is slower
    return len(rows)


GROUP_SEPARATOR = ","  # a direct message's user_ref naming several people ("U1,U2") goes to them as a group


def is_group_direct(kind: str, user_ref: str | None) -> bool:
    return kind == "direct" and GROUP_SEPARATOR in (user_ref or "")


def lane_of(conversation: str | None, user_ref: str | None) -> str:
    return conversation if conversation else f"user:{user_ref or ''}"


async def anything_due(session: AsyncSession, *, now: datetime) -> bool:
    """Whether any message is due: pending, or its lease lapsed (a cheap first look before claiming)."""
    statement = select(col(OutboxMessage.id)).where(
        col(OutboxMessage.state).in_(ACTIVE_STATES), col(OutboxMessage.next_attempt_at) <= now).limit(1)
    return (await session.execute(statement)).first() is not None


async def due_messages(
    session: AsyncSession, *, now: datetime, limit: int, platforms: list[str], skip_locked: bool,
    paused: Collection[str] = (), paused_kinds: Collection[tuple[str, str]] = (),
    paused_group_directs: Collection[str] = (),
) -> list[OutboxMessage]:
    """Due messages that are first in line in their conversation (earlier ones delivered or given up),
    leaving out conversations the caller's rate limiter has paused (no point loading what must wait),
    (platform, kind) pairs whose platform method is paused for everyone, and direct messages to several
    people on platforms that cannot open another group conversation yet (they would fill the batch and hold
    up everything queued after them)."""
    earlier = aliased(OutboxMessage)
    blocked_by_earlier = exists().where(
        col(earlier.platform) == col(OutboxMessage.platform),
        col(earlier.lane) == col(OutboxMessage.lane),
        col(earlier.kind).in_(ORDERED_KINDS),
        col(earlier.state).in_(ACTIVE_STATES),
        col(earlier.id) < col(OutboxMessage.id),
    )
    statement = (
        select(OutboxMessage)
        .where(
            col(OutboxMessage.state).in_(ACTIVE_STATES),
            col(OutboxMessage.next_attempt_at) <= now,
            col(OutboxMessage.platform).in_(platforms),
            or_(col(OutboxMessage.kind).not_in(ORDERED_KINDS), ~blocked_by_earlier),
            *([col(OutboxMessage.lane).not_in(list(paused))] if paused else []),
            *[
                ~and_(col(OutboxMessage.platform) == platform, col(OutboxMessage.kind) == kind)
                for platform, kind in paused_kinds
            ],
            *[
                ~and_(
                    col(OutboxMessage.platform) == platform,
                    col(OutboxMessage.kind) == "direct",
                    col(OutboxMessage.user_ref).contains(GROUP_SEPARATOR),
                )
                for platform in paused_group_directs
            ],
        )
        .order_by(col(OutboxMessage.id))
        .limit(limit)
    )
    if skip_locked:
        statement = statement.with_for_update(skip_locked=True, of=OutboxMessage)
    return list((await session.execute(statement)).scalars())


async def lease(session: AsyncSession, *, ids: list[int], until: datetime) -> None:
    """Marks rows as being sent; if the sender dies, the lease expires and another picks them up."""
    if ids:
        await session.execute(
            update(OutboxMessage).where(col(OutboxMessage.id).in_(ids))
            .values(state="sending", next_attempt_at=until, attempts=col(OutboxMessage.attempts) + 1,
                    coalesce_key=None)
        )


def _leased(message_id: int, attempt: int):
    # The attempt number is the lease's fencing token: a sender whose lease expired and was taken over
    # (attempts moved on) must not overwrite what the new holder records.
    return update(OutboxMessage).where(col(OutboxMessage.id) == message_id, col(OutboxMessage.attempts) == attempt,
                                       col(OutboxMessage.state) == "sending")


async def mark_sent(session: AsyncSession, *, message_id: int, attempt: int, platform_message_id: str | None,
                    now: datetime) -> bool:
    """Records the delivery; False when this attempt's lease had been taken over by another sender."""
    result = await session.execute(_leased(message_id, attempt).values(
        state="sent", sent_at=now, platform_message_id=platform_message_id, last_error=None))
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def mark_retry(session: AsyncSession, *, message_id: int, attempt: int, error: str, at: datetime) -> bool:
    result = await session.execute(_leased(message_id, attempt).values(
        state="pending", next_attempt_at=at, last_error=error[:2000]))
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def mark_failed(session: AsyncSession, *, message_id: int, attempt: int, error: str) -> bool:
    result = await session.execute(_leased(message_id, attempt).values(state="failed", last_error=error[:2000]))
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def pending_count(session: AsyncSession) -> int:
    result = await session.execute(
        select(func.count()).select_from(OutboxMessage).where(col(OutboxMessage.state).in_(ACTIVE_STATES)))
    return int(result.scalar_one())


async def next_due_at(session: AsyncSession, *, platforms: list[str]) -> datetime | None:
    result = await session.execute(
        select(func.min(col(OutboxMessage.next_attempt_at))).where(
            and_(col(OutboxMessage.state).in_(ACTIVE_STATES), col(OutboxMessage.platform).in_(platforms))))
    return result.scalar_one_or_none()


async def conversations_being_posted(
    session: AsyncSession, *, platform: str, conversations: Collection[str]
) -> set[str]:
    """Conversations where an idea post is out with the platform but not yet recorded as sent."""
    if not conversations:
        return set()
    rows = await session.execute(
        select(col(OutboxMessage.conversation)).where(
            col(OutboxMessage.platform) == platform, col(OutboxMessage.kind) == "idea_post",
            col(OutboxMessage.state) == "sending", col(OutboxMessage.conversation).in_(list(conversations))).distinct())
    return {conversation for (conversation,) in rows.all() if conversation}


async def pending_summary(session: AsyncSession, *, now: datetime) -> tuple[int, float]:
    """How many messages wait, and how many seconds the oldest has waited (0 when none)."""
    count, oldest = (await session.execute(
        select(func.count(), func.min(col(OutboxMessage.created_at))).where(col(OutboxMessage.state).in_(ACTIVE_STATES))
    )).one()
    if oldest is None:
        return int(count), 0.0
    if oldest.tzinfo is None:  # SQLite hands datetimes back naive; they are stored in UTC
        oldest = oldest.replace(tzinfo=now.tzinfo)
    return int(count), max((now - oldest).total_seconds(), 0.0)


async def wake_waiting(session: AsyncSession, *, platform: str, now: datetime, conversation: str | None = None,
                       user_ref: str | None = None) -> int:
    """Makes pending messages to this conversation (or this person's direct messages) due now: they were
    waiting for a way to reach it, which has just arrived."""
    if conversation is not None:
        target = and_(col(OutboxMessage.kind) != "direct", col(OutboxMessage.conversation) == conversation)
    elif user_ref is not None:
        target = and_(col(OutboxMessage.kind) == "direct", col(OutboxMessage.user_ref) == user_ref)
    else:
        return 0
    result = await session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.platform) == platform, col(OutboxMessage.state) == "pending",
               col(OutboxMessage.next_attempt_at) > now, target)
        .values(next_attempt_at=now)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def delivery_record(session: AsyncSession, *, platform: str, conversation: str | None = None,
                          user_ref: str | None = None) -> tuple[OutboxMessage | None, int]:
    """The latest message that reached an end (sent or failed) for a conversation or a person's direct
    messages, and how many are still pending there."""
    if conversation is not None:
        target = and_(col(OutboxMessage.kind) != "direct", col(OutboxMessage.conversation) == conversation)
    else:
        target = and_(col(OutboxMessage.kind) == "direct", col(OutboxMessage.user_ref) == user_ref)
    mine = and_(col(OutboxMessage.platform) == platform, target)
    latest = (await session.execute(
        select(OutboxMessage).where(mine, col(OutboxMessage.state).in_(("sent", "failed")))
        .order_by(col(OutboxMessage.id).desc()).limit(1))).scalars().first()
    pending = (await session.execute(
        select(func.count()).select_from(OutboxMessage).where(mine, col(OutboxMessage.state).in_(ACTIVE_STATES))
    )).scalar_one()
    return latest, int(pending)
