"""The outbox dispatcher: delivers queued messages through each platform's Messenger, in order per
conversation, within rate limits, retrying with backoff, recording what the platform answered."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import timedelta

from bot.compose import idea_card
from bot.context import Core
from bot.message import Destination, Message
from bot.messenger import DeliveryError, Messenger
from bot.ratelimit import RateLimiter
from bot.services.delivery import queue_direct
from bot.services.ideas import idea_views
from storage import conversations, outbox, posts
from storage import ideas as idea_store
from storage.database import DatabaseUnavailable
from storage.models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 300.0
MAX_ATTEMPTS = 200  # with the backoff cap this keeps retrying through an outage of most of a day


def backoff_seconds(attempts: int) -> float:
    return min(2.0 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS)


class OutboxDispatcher:
    def __init__(self, core: Core, messengers: dict[str, Messenger], *, lease_seconds: float = 60.0,
                 batch_size: int = 100, poll_seconds: float = 1.0, concurrency: int = 16) -> None:
        self.core = core
        self.messengers = messengers
        self.lease = timedelta(seconds=lease_seconds)
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self._limiters = {name: RateLimiter(m.conversation_limits, m.global_limits) for name, m in messengers.items()}
        self._semaphore = asyncio.Semaphore(concurrency)
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-dispatcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                delivered = await self.deliver_due()
            except DatabaseUnavailable:
                logger.warning("outbox: database unavailable, retrying shortly")
                delivered = 0
            except Exception:
                logger.exception("outbox: unexpected error in a delivery round")
                delivered = 0
            if delivered:
                continue
            self.core.outbox_wakeup.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.core.outbox_wakeup.wait(), self.poll_seconds)

    async def deliver_due(self) -> int:
        """One round: claim what is due and allowed now, deliver it; returns how many were attempted."""
        if not self.messengers:
            return 0
        claimed = await self._claim()
        if claimed:
            await asyncio.gather(*(self._deliver(row) for row in claimed))
        return len(claimed)

    async def drain(self, within_seconds: float = 30.0) -> None:
        """Delivers until nothing is pending (tests and the CLI); waits out backoffs up to the timeout."""
        deadline = time.monotonic() + within_seconds
        while time.monotonic() < deadline:
            if await self.deliver_due():
                continue
            async with self.core.db.transaction() as session:
                if await outbox.pending_count(session) == 0:
                    return
            await asyncio.sleep(0.05)
        raise TimeoutError("outbox did not drain in time")

    async def _claim(self) -> list[OutboxMessage]:
        now_clock = time.monotonic()
        async with self.core.db.transaction() as session:
            rows = await outbox.due_messages(session, now=self.core.now(), limit=self.batch_size,
                                             platforms=list(self.messengers), skip_locked=self.core.db.is_postgres)
            chosen: list[OutboxMessage] = []
            seen: set[tuple[str, str]] = set()
            for row in rows:
                conversation = row.conversation or row.user_ref or ""
                key = (row.platform, conversation)
                if row.kind in outbox.ORDERED_KINDS and key in seen:
                    continue
                limiter = self._limiters[row.platform]
                if limiter.wait_time(conversation, now_clock) > 0:
                    continue
                limiter.record(conversation, now_clock)
                seen.add(key)
                chosen.append(row)
            await outbox.lease(session, ids=[row.id for row in chosen], until=self.core.now() + self.lease)  # type: ignore[misc]
        return chosen

    async def _deliver(self, row: OutboxMessage) -> None:
        messenger = self.messengers[row.platform]
        conversation = row.conversation or row.user_ref or ""
        async with self._semaphore:
            try:
                destination, message = await self._prepare(row)
                if message is None:
                    await self._finish(row, None)
                    return
                if row.kind == "direct":
                    message_id: str | None = await messenger.send_direct(destination, message)
                elif row.kind == "idea_update":
                    await messenger.update(destination, (row.payload or {})["message_id"], message)
                    message_id = None
                else:
                    message_id = await messenger.send(destination, message)
            except DeliveryError as error:
                await self._failed(row, error, conversation)
                return
            except DatabaseUnavailable:
                return  # the lease expires and the row is picked up again
            except Exception as error:  # an adapter bug must not stop the other deliveries
                logger.exception("outbox: delivering message %s to %s failed", row.id, row.platform)
                await self._failed(row, DeliveryError(f"{type(error).__name__}: {error}"), conversation)
                return
            await self._finish(row, message_id)

    async def _prepare(self, row: OutboxMessage) -> tuple[Destination, Message | None]:
        async with self.core.db.transaction() as session:
            target = f"user:{row.user_ref}" if row.kind == "direct" else row.conversation
            ref_key = f"{row.platform}:{target}"
            reference = await conversations.get_reference(session, key=ref_key)
            destination = Destination(platform=row.platform, conversation=row.conversation, user_id=row.user_ref,
                                      thread=row.thread, extra={"reference": reference} if reference else {})
            if row.kind not in ("idea_post", "idea_update"):
                return destination, Message.from_json(row.payload or {"text": ""})
            idea = await idea_store.get_idea_by_id(session, idea_id=row.idea_id)  # type: ignore[arg-type]
            if idea is None:
                return destination, None
            (view,) = await idea_views(self.core, session, [idea])
            return destination, idea_card(view, self.core.config.voting.emoji)

    async def _finish(self, row: OutboxMessage, message_id: str | None) -> None:
        async with self.core.db.transaction() as session:
            await outbox.mark_sent(session, message_id=row.id, platform_message_id=message_id,  # type: ignore[arg-type]
                                   now=self.core.now())
            if row.kind == "idea_post" and message_id and row.conversation:
                await posts.record_post(session, idea_id=row.idea_id, platform=row.platform,  # type: ignore[arg-type]
                                        conversation=row.conversation, message_id=message_id, now=self.core.now())

    async def _failed(self, row: OutboxMessage, error: DeliveryError, conversation: str) -> None:
        attempts = row.attempts + 1
        if error.retry_after is not None:
            self._limiters[row.platform].back_off(conversation, time.monotonic() + error.retry_after)
        give_up = error.permanent or attempts >= MAX_ATTEMPTS
        logger.warning("outbox: %s to %s:%s failed (attempt %d%s): %s", row.kind, row.platform, conversation,
                       attempts, ", giving up" if give_up else "", error)
        async with self.core.db.transaction() as session:
            if give_up:
                await outbox.mark_failed(session, message_id=row.id, error=str(error))  # type: ignore[arg-type]
                if row.kind == "idea_post" and row.idea_id is not None:
                    await self._tell_author_post_failed(session, row, str(error))
            else:
                delay = error.retry_after if error.retry_after is not None else backoff_seconds(attempts)
                await outbox.mark_retry(session, message_id=row.id, error=str(error),  # type: ignore[arg-type]
                                        at=self.core.now() + timedelta(seconds=delay))

    async def _tell_author_post_failed(self, session, row: OutboxMessage, error: str) -> None:  # type: ignore[no-untyped-def]
        idea = await idea_store.get_idea_by_id(session, idea_id=row.idea_id)  # type: ignore[arg-type]
        if idea is None:
            return
        text = (f"Your idea #{idea.number} is saved, but I couldn't post it to the challenge channel "
                f"({error}). The community team can see it in the campaign export; nothing is lost.")
        await queue_direct(self.core, session, idea.author_ref, Message(text=text))
