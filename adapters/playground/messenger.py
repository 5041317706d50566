"""The playground's Messenger: the outbox dispatcher delivers into the in-memory channels, pages see it live."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from adapters.playground.history import History, Post
from bot.message import Destination, Message
from bot.messenger import DeliveryError


class PlaygroundMessenger:
    platform = "playground"
    # Generous: there is no platform to protect, only a browser to keep responsive.
    conversation_limits: Sequence[tuple[int, float]] = ((50, 1.0),)
    global_limits: Sequence[tuple[int, float]] = ((500, 1.0),)

    def __init__(self, history: History, publish_post: Callable[[Post], None],
                 publish_direct: Callable[[str, Any], None]) -> None:
        self.history = history
        self._publish_post = publish_post
        self._publish_direct = publish_direct

    async def send(self, destination: Destination, message: Message) -> str:
        conversation = destination.conversation
        if not conversation:
            raise DeliveryError("channel_not_found: no conversation given", permanent=True)
        if destination.thread:
            parent = self.history.find(conversation, destination.thread)
            if parent is None:
                raise DeliveryError(f"thread_not_found: {destination.thread}", permanent=True)
            reply = self.history.add_reply(parent, "Crowdbot", message)
            self._publish_post(parent)
            return reply.id
        post = self.history.add_post(conversation, message)
        self._publish_post(post)
        return post.id

    async def update(self, destination: Destination, message_id: str, message: Message) -> None:
        post = self.history.find(destination.conversation or "", destination.thread or message_id)
        entry = self.history.find_reply(post, message_id) if post is not None and destination.thread else post
        if post is None or entry is None:  # dropped from the bounded history, or posted before a restart
            raise DeliveryError(f"message_not_found: {message_id}", permanent=True)
        entry.message = message
        self._publish_post(post)

    async def send_direct(self, destination: Destination, message: Message) -> str:
        if not destination.user_id:
            raise DeliveryError("user_not_found: no person given", permanent=True)
        entry = self.history.add_direct(destination.user_id, message)
        self._publish_direct(destination.user_id, entry)
        return entry.id
