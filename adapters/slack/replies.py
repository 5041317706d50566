"""Answering the person after the acknowledgement: ephemeral messages, the late-reply wait, retry-later."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Sequence
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import message_payload
from bot.message import Message, Reply

logger = logging.getLogger(__name__)

ACK_WITHIN_SECONDS = 2.5  # Slack waits 3 s for an acknowledgement; keep a margin for the network


class RetryLater(Exception):  # noqa: N818 - it is an instruction to Slack, not an error of ours
    """The database did not answer: fail the request so Slack delivers the event again."""


async def finish_within(work: Awaitable[Reply], seconds: float) -> asyncio.Future[Reply] | asyncio.Task[Reply]:
    """Starts `work` and waits up to `seconds`; the returned task keeps running if it was not done by then."""
    task = asyncio.ensure_future(work)
    await asyncio.wait({task}, timeout=seconds)
    return task


async def tell(client: AsyncWebClient, *, channel: str | None, user: str, messages: Sequence[Message],
               thread: str | None = None) -> None:
    """Shows messages to one person only: ephemeral in the channel, or by direct message when there is none."""
    if not messages:
        return
    arguments: dict[str, Any] = message_payload(messages)
    try:
        if channel:
            if thread:
                arguments["thread_ts"] = thread
            await client.chat_postEphemeral(channel=channel, user=user, **arguments)
            return
    except SlackApiError as error:
        # Not who: the person may be the anonymous author of the idea this reply is about.
        logger.warning("slack: chat.postEphemeral in %s failed (%s); sending a direct message",
                       channel, error.response.get("error") if error.response else "no response")
    await client.chat_postMessage(channel=user, **arguments)


def reply_or_retry(reply: Reply, what: str) -> Reply:
    if reply.unavailable:
        raise RetryLater(f"database unavailable while handling {what}")
    return reply
