"""Events API listeners: reactions are votes, thread replies are comments, App Home shows a person's ideas.

Each acknowledges only after the core has committed (process_before_response), so a crash after the
acknowledgement loses nothing; when the database is down the request fails and Slack delivers it again,
with the same event_id, which the core de-duplicates in the database.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.background import Background
from adapters.slack.render import home_view
from adapters.slack.replies import RetryLater, reply_or_retry, tell
from adapters.slack.translate import home_event, reaction_event, thread_reply_event
from bot.adapter import Dispatch
from bot.tracebacks import traceback_without_messages

logger = logging.getLogger(__name__)

# The manifest subscribes to exactly these (message.channels and message.groups both arrive as "message").
HANDLED_EVENTS = ("reaction_added", "reaction_removed", "message", "app_home_opened")


def _event_type(body: dict[str, Any]) -> Any:
    event = body.get("event")
    return event.get("type") if isinstance(event, dict) else None


class Subscriptions:
    def __init__(self, dispatch: Dispatch, background: Background) -> None:
        self.dispatch = dispatch
        self.background = background

    def register(self, bolt: AsyncApp) -> None:
        bolt.event("reaction_added")(self.on_reaction)
        bolt.event("reaction_removed")(self.on_reaction)
        bolt.event("message")(self.on_message)
        bolt.event("app_home_opened")(self.on_home_opened)
        # Registered last, so it only sees what no listener above took. Bolt would answer 404, which Slack
        # counts as a failed delivery and retries (and past 95% failures in an hour it turns events off).
        bolt.event(re.compile(".*"))(self.on_unhandled)
        bolt.error(self.on_error)

    async def on_reaction(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await self.count_reaction(body, client)
        await ack()

    async def count_reaction(self, body: dict[str, Any], client: AsyncWebClient) -> None:
        """Stores the reaction (raises RetryLater when it could not), then answers the person after the ack.
        Bolt's listener (Socket Mode) and the HTTP fast path for reactions both come here."""
        event = reaction_event(body)
        if event is None:
            return
        reply = reply_or_retry(await self.dispatch(event), "a reaction")
        if reply.messages:  # e.g. "votes for your own idea don't count"
            self.background.spawn(tell(client, channel=event.address.conversation, user=event.actor.user_id,
                                       messages=reply.messages), "reaction reply")

    async def on_message(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        event = thread_reply_event(body)
        if event is None:
            await ack()
            return
        reply = reply_or_retry(await self.dispatch(event), "a thread reply")
        await ack()
        if reply.messages:  # e.g. a comment over the length limit
            self.background.spawn(tell(client, channel=event.address.conversation, user=event.actor.user_id,
                                       thread=event.address.thread, messages=reply.messages), "comment reply")

    async def on_home_opened(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()  # opening the home page changes nothing, so there is nothing to persist first
        event = home_event(body)
        if event is not None:
            self.background.spawn(self._publish_home(client, event), "home page")

    async def _publish_home(self, client: AsyncWebClient, event: Any) -> None:
        reply = await self.dispatch(event)
        await client.views_publish(user_id=event.actor.user_id, view=home_view(reply.messages))

    @staticmethod
    async def on_unhandled(ack: AsyncAck, body: dict[str, Any]) -> None:
        # member_joined_channel, app_uninstalled, tokens_revoked, ... : nothing for the core to do.
        logger.debug("slack: acknowledged a %s event no listener handles", _event_type(body))
        await ack()

    @staticmethod
    async def on_error(error: Exception, body: dict[str, Any]) -> BoltResponse:
        if isinstance(error, RetryLater):
            logger.warning("slack: %s; answering 503 so Slack retries event %s", error, body.get("event_id"))
            return BoltResponse(status=503, body="")
        logger.error("slack: a listener failed on a %s request; answering 500\n%s", body.get("type"),
                     traceback_without_messages(error))
        return BoltResponse(status=500, body="")
