"""Signed reaction events straight to the core. Reactions are most of the traffic after a prompt, and bolt's
per-request work (building its request and context, running its middleware chain, matching every listener,
injecting arguments) cost more than the adapter's own part. The signature and timestamp are checked before this
(SlackAdapter.handle_http), URL verification and every other request still go through bolt."""

from __future__ import annotations

import json
import logging
from typing import Any

from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.replies import RetryLater
from adapters.slack.subscriptions import Subscriptions
from bot.tracebacks import traceback_without_messages

logger = logging.getLogger(__name__)

REACTION_TYPES = ("reaction_added", "reaction_removed")


def reaction_callback(body: str, content_type: str) -> dict[str, Any] | None:
    """The parsed event_callback when `body` is a reaction event (its shape already checked), else None."""
    if content_type != "application/json" or '"reaction_' not in body:
        return None  # the substring test spares parsing every other event twice
    parsed = json.loads(body)
    if not isinstance(parsed, dict) or parsed.get("type") != "event_callback":
        return None
    event = parsed.get("event")
    return parsed if isinstance(event, dict) and event.get("type") in REACTION_TYPES else None


async def answer_reaction(subscriptions: Subscriptions, client: AsyncWebClient, body: dict[str, Any]
                          ) -> web.Response:
    """200 once stored; 503 when the database could not store it (Slack delivers it again); 500 for a bug."""
    try:
        await subscriptions.count_reaction(body, client)
    except RetryLater as error:
        logger.warning("slack: %s; answering 503 so Slack retries event %s", error, body.get("event_id"))
        return web.Response(status=503)
    except Exception as error:
        logger.error("slack: counting a reaction failed; answering 500\n%s", traceback_without_messages(error))
        return web.Response(status=500)
    return web.Response(status=200)
