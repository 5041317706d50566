"""Outgoing messages queued in the caller's transaction: idea posts, post updates, direct messages."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Core
from bot.message import Message
from storage import bulk, outbox
from storage.models import Idea

# Votes arriving within this window share one post update.
UPDATE_COALESCE_DELAY = timedelta(seconds=1)


async def queue_idea_posts(core: Core, session: AsyncSession, idea: Idea) -> list[str]:
    """Queues the idea's post in each channel of its challenge; returns the channel references."""
    challenge = core.config.challenge(idea.challenge_key)
    if challenge is None:
        return []
    refs = []
    for platform, conversation in core.channels_for(challenge):
        await outbox.enqueue(session, platform=platform, kind="idea_post", conversation=conversation,
                             idea_id=idea.id, now=core.now())
        refs.append(f"{platform}:{conversation}")
    return refs


async def queue_post_updates(core: Core, session: AsyncSession, idea: Idea) -> None:
    """Refreshes every existing post of the idea, coalescing bursts into one update per post."""
    await queue_updates_for_ideas(core, session, {idea.id})  # type: ignore[arg-type]


async def queue_updates_for_ideas(core: Core, session: AsyncSession, idea_ids: set[int]) -> None:
    now = core.now()
    await bulk.enqueue_updates_for_ideas(session, idea_ids=idea_ids, platforms=core.platforms,
                                         due=now + UPDATE_COALESCE_DELAY, now=now)


async def queue_direct(core: Core, session: AsyncSession, user_ref: str, message: Message) -> bool:
    """Queues a direct message to a person ('platform:user'); False when that platform is not live."""
    platform, _, user_id = user_ref.partition(":")
    if platform not in core.platforms:
        return False
    await outbox.enqueue(session, platform=platform, kind="direct", user_ref=user_id,
                         payload=message.to_json(), now=core.now())
    return True


async def queue_directs(core: Core, session: AsyncSession, messages: list[tuple[str, Message]]) -> int:
    """Queues many direct messages in one statement; those on platforms that are not live are left out."""
    rows = []
    for user_ref, message in messages:
        platform, _, user_id = user_ref.partition(":")
        if platform in core.platforms:
            rows.append(outbox.row_values(platform=platform, kind="direct", user_ref=user_id,
                                          payload=message.to_json(), now=core.now()))
    return await outbox.enqueue_many(session, rows)


async def queue_channel_post(
    core: Core, session: AsyncSession, channel_ref: str, message: Message, thread: str | None = None
) -> bool:
    platform, _, conversation = channel_ref.partition(":")
    if platform not in core.platforms:
        return False
    await outbox.enqueue(session, platform=platform, kind="post", conversation=conversation, thread=thread,
                         payload=message.to_json(), now=core.now())
    return True
