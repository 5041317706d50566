"""Copies of a comment the bot posts in an idea's thread (what someone wrote when they backed the idea instead of
posting theirs): recorded once sent, so that erasing the comment's author with `data_protection.erasure: delete`
blanks each copy as it blanks their ideas. A copy sent after its comment was erased is blanked at once."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Core
from bot.message import Message
from storage import comment_posts, outbox
from storage.models import OutboxMessage

COMMENT_MARK = "comment_source"  # in a copy's outbox payload: the comment's source_ref
REMOVED_COMMENT = "[This comment was removed at its author's request.]"
UPDATE_KIND = "post_update"  # replaces an earlier post with the payload's message (payload["message_id"])


async def queue_copy(core: Core, session: AsyncSession, *, platform: str, conversation: str, thread: str,
                     message: Message, source_ref: str) -> None:
    payload = {**message.to_json(), COMMENT_MARK: source_ref}
    await outbox.enqueue(session, platform=platform, kind="post", conversation=conversation, thread=thread,
                         payload=payload, now=core.now())


async def record_sent(core: Core, session: AsyncSession, row: OutboxMessage, message_id: str) -> None:
    """Called as the outbox records a sent post: remembers a copy, or blanks it if its comment is gone."""
    source = (row.payload or {}).get(COMMENT_MARK)
    if not source or not row.conversation:
        return
    if await comment_posts.comment_exists(session, source_ref=source):
        await comment_posts.record(session, source_ref=source, platform=row.platform, conversation=row.conversation,
                                   thread=row.thread, message_id=message_id, now=core.now())
    else:
        await _blank(core, session, platform=row.platform, conversation=row.conversation, thread=row.thread,
                     message_id=message_id)


async def blank_copies(core: Core, session: AsyncSession, *, source_refs: Collection[str]) -> int:
    """Queues the blanking of every recorded copy of these comments; returns how many."""
    copies = await comment_posts.take(session, source_refs=source_refs)
    for copy in copies:
        await _blank(core, session, platform=copy.platform, conversation=copy.conversation, thread=copy.thread,
                     message_id=copy.message_id)
    return len(copies)


async def _blank(core: Core, session: AsyncSession, *, platform: str, conversation: str, thread: str | None,
                 message_id: str) -> None:
    if platform not in core.platforms:
        return
    await outbox.enqueue(session, platform=platform, kind=UPDATE_KIND, conversation=conversation, thread=thread,
                         payload={**Message(text=REMOVED_COMMENT).to_json(), "message_id": message_id},
                         now=core.now())
