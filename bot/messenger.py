"""The outbound seam: each adapter implements Messenger; only the outbox dispatcher calls it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.message import Destination, Message


class DeliveryError(Exception):
    """A platform refused or failed a delivery.

    retry_after: seconds the platform asked us to wait (HTTP 429 Retry-After), if any.
    permanent: retrying cannot help (channel not found, bot not in channel, bad auth...).
    method: the platform method a 429 came from; `method_wide` says its limit is per workspace, not per
        conversation, so every delivery using that method must wait (e.g. Slack's tiered methods).
    unreachable: the bot has no way to reach the conversation yet (no conversation reference): keep the message
        until one arrives instead of giving up.
    """

    def __init__(self, message: str, *, retry_after: float | None = None, permanent: bool = False,
                 method: str | None = None, method_wide: bool = False, unreachable: bool = False) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent
        self.method = method
        self.method_wide = method_wide
        self.unreachable = unreachable


class Messenger(Protocol):
    platform: str
    # (max messages, per seconds) windows the dispatcher keeps to, per conversation and overall.
    conversation_limits: Sequence[tuple[int, float]]
    global_limits: Sequence[tuple[int, float]]
    # Optionally, `methods: Mapping[str, str]`: the platform method each outbox kind is sent with, so a
    # method-wide 429 pauses exactly the kinds that use that method.
    # Optionally, `group_direct_method: str` (the call a direct message to several people makes first to open
    # their group conversation) and `method_limits: Mapping[str, Sequence[tuple[int, float]]]` (methods with an
    # allowance of their own), so such calls are paced before they are made rather than met with 429s.

    async def send(self, destination: Destination, message: Message) -> str:
        """Posts to destination.conversation (in destination.thread if set); returns the platform message id."""
        ...

    async def update(self, destination: Destination, message_id: str, message: Message) -> None:
        """Replaces an earlier message in place."""
        ...

    async def send_direct(self, destination: Destination, message: Message) -> str:
        """Sends a direct (1:1) message to destination.user_id; returns the platform message id."""
        ...
