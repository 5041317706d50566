"""The outbox dispatcher: delivers queued messages through each platform's Messenger, in order per
conversation, within rate limits, retrying with backoff, recording what the platform answered."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot import comment_posts
from bot.compose import idea_card
from bot.context import Core
from bot.hour.run import QUESTION_MARK
from bot.message import Destination, Message
from bot.messenger import DeliveryError, Messenger
from bot.ratelimit import RateLimiter
from bot.services.delivery import queue_direct
from bot.services.ideas import idea_views
from storage import bulk, hours, outbox, posts
from storage import ideas as idea_store
from storage.database import DatabaseUnavailable
from storage.models import IdeaPost, OutboxMessage

logger = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 300.0
MAX_ATTEMPTS = 200  # with the backoff cap this keeps retrying through an outage of most of a day
RECORD_RETRIES = 5  # a message the platform took must be recorded as sent, or it would go out twice
UNREACHABLE_RECHECK_SECONDS = 3600.0  # no way to reach it yet: look again hourly; a new reference wakes it sooner


@dataclass(frozen=True)
class Lease:
    row: OutboxMessage
    attempt: int  # the attempt number this lease holds: the fencing token for recording the outcome


def backoff_seconds(attempts: int) -> float:
    return min(2.0 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS)


class OutboxDispatcher:
    """Delivers in rounds: claim up to `concurrency` due rows under a lease, send them all, record each outcome.

    A round never claims more than it sends at once, so no claimed row waits for a free slot while its
    lease runs out (another dispatcher would then send it too). `monotonic` paces the rate limiter; tests
    tie it to their controlled clock.
    """

    def __init__(self, core: Core, messengers: dict[str, Messenger], *, lease_seconds: float = 60.0,
                 batch_size: int = 100, poll_seconds: float = 1.0, concurrency: int = 16,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.core = core
        self.messengers = messengers
        self.lease = timedelta(seconds=lease_seconds)
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        self.concurrency = concurrency
        self.monotonic = monotonic
        self._limiters = {name: RateLimiter(m.conversation_limits, m.global_limits, getattr(m, "method_limits", None))
                          for name, m in messengers.items()}
        self._rate_limited_for: float | None = None  # after a round: how soon a message held back may go
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
        woken = True  # the first round claims at once: messages may have been queued while the bot was down
        while True:
            try:
                delivered = await (self.deliver_due() if woken else self.deliver_if_due())
            except DatabaseUnavailable:
                logger.warning("outbox: database unavailable, retrying shortly")
                delivered = 0
            except Exception:
                logger.exception("outbox: unexpected error in a delivery round")
                delivered = 0
            if delivered:
                continue
            self.core.outbox_wakeup.clear()
            # Held back by a rate limit: look again as soon as it allows, not a whole poll later.
            pause = self.poll_seconds if self._rate_limited_for is None else \
                min(self.poll_seconds, max(self._rate_limited_for, 0.005))
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.core.outbox_wakeup.wait(), pause)
            woken = self.core.outbox_wakeup.is_set() or self._rate_limited_for is not None

    async def deliver_if_due(self) -> int:
        """`deliver_due()` after a look that locks nothing, for the idle poll: a dispatcher with nothing to send
        then opens no write transaction every second (on SQLite, one that holds the file's write lock)."""
        if not self.messengers:
            return 0
        async with self.core.db.snapshot() as session:
            if not await outbox.anything_due(session, now=self.core.now()):
                return 0
        return await self.deliver_due()

    async def deliver_due(self) -> int:
        """One round: claim what is due and allowed now, deliver it; returns how many were attempted."""
        if not self.messengers:
            return 0
        claimed = await self._claim()
        outcomes = await asyncio.gather(*(self._deliver(lease) for lease in claimed), return_exceptions=True)
        for lease, outcome in zip(claimed, outcomes, strict=True):
            if isinstance(outcome, BaseException):  # e.g. the database went away while recording it
                logger.warning("outbox: message %s left to its lease: %r", lease.row.id, outcome)
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

    async def _claim(self) -> list[Lease]:
        now_clock = self.monotonic()
        platforms, paused, paused_kinds, paused_groups = [], [], [], []
        self._rate_limited_for = None
        for name, limiter in self._limiters.items():
            everything, conversations = limiter.paused(now_clock)
            if not everything:
                platforms.append(name)
                paused += conversations
                waiting = limiter.paused_methods(now_clock)
                paused_kinds += [(name, kind) for kind, method in self._methods(name).items() if method in waiting]
                group_wait = limiter.method_wait(self._group_method(name), now_clock)
                if group_wait > 0:
                    paused_groups.append(name)
                    self._rate_limited_for = min(group_wait, self._rate_limited_for or group_wait)
        if not platforms:  # every platform is at its limit: wait, don't even ask the database
            self._rate_limited_for = min(limiter.wait_time("", now_clock) for limiter in self._limiters.values())
            return []
        async with self.core.db.quick_transaction() as session:
            rows = await outbox.due_messages(session, now=self.core.now(), limit=self.batch_size,
                                             platforms=platforms, skip_locked=self.core.db.is_postgres,
                                             paused=paused, paused_kinds=paused_kinds,
                                             paused_group_directs=paused_groups)
            chosen: list[Lease] = []
            seen: set[tuple[str, str]] = set()
            for row in rows:
                conversation = row.lane
                key = (row.platform, conversation)
                if row.kind in outbox.ORDERED_KINDS and key in seen:
                    continue
                limiter = self._limiters[row.platform]
                if len(chosen) >= self.concurrency:
                    continue
                calls = self._calls(row)
                wait = max(limiter.wait_time(conversation, now_clock),
                           *(limiter.method_wait(method, now_clock) for method in calls))
                if wait > 0:
                    self._rate_limited_for = min(wait, self._rate_limited_for or wait)
                    continue
                limiter.record(conversation, now_clock)
                for method in calls:
                    limiter.record_method(method, now_clock)
                seen.add(key)
                chosen.append(Lease(row, row.attempts + 1))
            await outbox.lease(session, ids=[lease.row.id for lease in chosen],  # type: ignore[misc]
                               until=self.core.now() + self.lease)
        return chosen

    async def _deliver(self, lease: Lease) -> None:
        row = lease.row
        messenger = self.messengers[row.platform]
        conversation = row.lane
        try:
            destination, message = await self._prepare(row)
            if message is None:
                await self._finish(lease, None)
                return
            if row.kind == "direct":
                message_id: str | None = await messenger.send_direct(destination, message)
            elif row.kind in ("idea_update", comment_posts.UPDATE_KIND):
                await messenger.update(destination, (row.payload or {})["message_id"], message)
                message_id = None
            else:
                message_id = await messenger.send(destination, message)
        except DeliveryError as error:
            await self._failed(lease, error, conversation)
            return
        except DatabaseUnavailable:
            return  # the lease expires and the row is picked up again
        except Exception as error:  # an adapter bug must not stop the other deliveries
            logger.exception("outbox: delivering message %s to %s failed", row.id, row.platform)
            await self._failed(lease, DeliveryError(f"{type(error).__name__}: {error}"), conversation)
            return
        await self._finish(lease, message_id, message)

    async def _prepare(self, row: OutboxMessage) -> tuple[Destination, Message | None]:
        destination = Destination(platform=row.platform, conversation=row.conversation, user_id=row.user_ref,
                                  thread=row.thread)
        if row.kind not in ("idea_post", "idea_update"):
            return destination, Message.from_json(row.payload or {"text": ""})
        # A read: outside the write lock, so votes are not held up while the card is composed.
        async with self.core.db.snapshot() as session:
            idea = await idea_store.get_idea_by_id(session, idea_id=row.idea_id)  # type: ignore[arg-type]
            if idea is None:
                return destination, None
            (view,) = await idea_views(self.core, session, [idea], viewers=True)
            return destination, idea_card(view, self.core.config.voting.emoji)

    async def _finish(self, lease: Lease, message_id: str | None, sent: Message | None = None) -> None:
        for retry in range(RECORD_RETRIES):
            try:
                await self._record_sent(lease, message_id, sent)
                return
            except DatabaseUnavailable:
                if retry == RECORD_RETRIES - 1:
                    raise
                logger.warning("outbox: cannot record message %s as sent yet, retrying", lease.row.id)
                await asyncio.sleep(min(2.0 ** retry, self.lease.total_seconds() / 10))

    async def _record_sent(self, lease: Lease, message_id: str | None, sent: Message | None) -> None:
        row = lease.row
        self.core.metrics.outbox_sent.labels(platform=row.platform).inc()
        async with self.core.db.quick_transaction() as session:
            if not await outbox.mark_sent(session, message_id=row.id, attempt=lease.attempt,  # type: ignore[arg-type]
                                          platform_message_id=message_id, now=self.core.now()):
                logger.warning("outbox: message %s was sent after its lease ran out", row.id)
                return
            if row.kind == "idea_post" and message_id and row.conversation:
                # The idea's row lock first: recording the post takes a foreign-key lock on the idea, and two
                # platforms' posts of one idea recorded at once would otherwise both hold that and both wait to
                # upgrade it for the catch-up below (a deadlock on PostgreSQL).
                await idea_store.lock_idea(session, idea_id=row.idea_id)  # type: ignore[arg-type]
                post = await posts.record_post(session, idea_id=row.idea_id,  # type: ignore[arg-type]
                                               platform=row.platform, conversation=row.conversation,
                                               message_id=message_id, now=self.core.now())
                await self._catch_up(session, post, sent)
            if row.kind == "post" and message_id:  # a comment's copy in a thread: remembered for erasure
                await comment_posts.record_sent(self.core, session, row, message_id)
            question_id = (row.payload or {}).get(QUESTION_MARK) if row.kind == "post" else None
            if question_id and message_id and row.conversation:  # an idea hour's question: answers reply to it
                await hours.record_post(session, question_id=question_id, platform=row.platform,
                                        conversation=row.conversation, message_id=message_id)

    async def _catch_up(self, session: AsyncSession, post: IdeaPost | None, sent: Message | None) -> None:
        """A vote or decision made while the post was on its way found no post to update: if the idea now
        reads differently from what was sent, queue the post's update. The idea's row lock orders this
        against such a change, so one of the two always sees the other."""
        if post is None or sent is None:
            return
        idea = await idea_store.lock_idea(session, idea_id=post.idea_id)
        if idea is None:
            return
        (view,) = await idea_views(self.core, session, [idea], viewers=True)
        if idea_card(view, self.core.config.voting.emoji) != sent:
            await bulk.enqueue_post_updates(session, posts=[post], due=self.core.now(), now=self.core.now())

    async def _failed(self, lease: Lease, error: DeliveryError, conversation: str) -> None:
        row, attempts = lease.row, lease.attempt
        metrics = self.core.metrics
        (metrics.outbox_rate_limited if error.retry_after is not None else metrics.outbox_failed).labels(
            platform=row.platform).inc()
        if error.retry_after is not None:
            self._pause(row, conversation, error)
        # Being told to wait (429) is the platform working, and a conversation the bot cannot reach yet may
        # become reachable (a reference arrives); only real failures use up the attempts.
        give_up = error.permanent or (attempts >= MAX_ATTEMPTS and error.retry_after is None
                                      and not error.unreachable)
        logger.warning("outbox: %s to %s:%s failed (attempt %d%s): %s", row.kind, row.platform, conversation,
                       attempts, ", giving up" if give_up else "", error)
        async with self.core.db.transaction() as session:
            if give_up:
                failed = await outbox.mark_failed(session, message_id=row.id,  # type: ignore[arg-type]
                                                  attempt=attempts, error=str(error))
                if failed and row.kind == "idea_post" and row.idea_id is not None:
                    await self._tell_author_post_failed(session, row, str(error))
            else:
                delay = error.retry_after if error.retry_after is not None else (
                    UNREACHABLE_RECHECK_SECONDS if error.unreachable else backoff_seconds(attempts))
                await outbox.mark_retry(session, message_id=row.id, attempt=attempts,  # type: ignore[arg-type]
                                        error=str(error), at=self.core.now() + timedelta(seconds=delay))

    def _methods(self, platform: str) -> dict[str, str]:
        return dict(getattr(self.messengers[platform], "methods", None) or {})

    def _group_method(self, platform: str) -> str | None:
        return getattr(self.messengers[platform], "group_direct_method", None)

    def _calls(self, row: OutboxMessage) -> list[str | None]:
        """The platform methods delivering this row costs: its kind's, and for a direct message to several
        people the one that opens their group conversation (Slack's conversations.open, Tier 3)."""
        calls = [self._methods(row.platform).get(row.kind)]
        if outbox.is_group_direct(row.kind, row.user_ref):
            calls.append(self._group_method(row.platform))
        return calls

    def _pause(self, row: OutboxMessage, conversation: str, error: DeliveryError) -> None:
        """Waits out a 429: for every conversation when the limit hit is method-wide, otherwise for this one.

        A method-wide 429 is one the messenger says is (a tiered method), or one the conversation's own pace
        cannot explain: nothing else went to that conversation within the last second."""
        limiter, now = self._limiters[row.platform], self.monotonic()
        until = now + (error.retry_after or 0.0)
        method = error.method or self._methods(row.platform).get(row.kind)
        if method and (error.method_wide or limiter.sent_since(conversation, now - 1.0) <= 1):
            logger.info("outbox: %s is rate limited for every conversation for %.1f s", method, until - now)
            limiter.back_off_method(method, until)
        else:
            # Pause the whole conversation, not just this row, so the next message in line doesn't
            # meet the same 429.
            limiter.back_off(conversation, until)

    async def _tell_author_post_failed(self, session, row: OutboxMessage, error: str) -> None:
        idea = await idea_store.get_idea_by_id(session, idea_id=row.idea_id)  # type: ignore[arg-type]
        if idea is None:
            return
        text = (f"Your idea #{idea.number} is saved, but I couldn't post it to the challenge channel "
                f"({error}). The community team can see it in the campaign export; nothing is lost.")
        await queue_direct(self.core, session, idea.author_ref, Message(text=text))
