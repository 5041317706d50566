"""Listeners of last resort: whatever Slack sends that no other listener takes is acknowledged with 200.

Bolt answers 404 to a request no listener matches, and Slack shows the person an error (a button that "did
not work", a modal that will not close) or counts a failed delivery. Button presses and modals of other
apps' or older versions' messages, shortcuts, option loads and unknown commands all end here. Each is logged
at debug with its kind and identifiers only, never the text people typed.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck

logger = logging.getLogger(__name__)

ANYTHING = re.compile(".*")
UNKNOWN_COMMAND = "Sorry, this app does not know that command. Try `/idea help`."


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def describe(body: dict[str, Any]) -> str:
    """The kind of a request and its identifiers (type, action or callback id), never user text."""
    kind = body.get("type") or ("command " + str(body.get("command")) if body.get("command") else "request")
    listed = body.get("actions")
    actions: list[Any] = listed if isinstance(listed, list) else []
    action_ids = [str(_dict(action).get("action_id") or _dict(action).get("name") or "") for action in actions]
    callback = body.get("callback_id") or _dict(body.get("view")).get("callback_id")
    parts = [str(kind)]
    if action_ids:
        parts.append("actions " + ",".join(action_ids))
    if callback:
        parts.append(f"callback {callback}")
    return " ".join(parts)


class Fallbacks:
    """Registered after every other listener, so each only sees what nothing else took."""

    def register(self, bolt: AsyncApp) -> None:
        bolt.action(ANYTHING)(self.on_unknown)  # block_actions with action ids we never registered
        bolt.view(ANYTHING)(self.on_unknown)  # view_submission of views we do not own
        bolt.view_closed(ANYTHING)(self.on_unknown)  # a modal closed (ours too: nothing to save)
        bolt.shortcut(ANYTHING)(self.on_unknown)  # global and message shortcuts
        bolt.options(ANYTHING)(self.on_options)  # external select menus: nothing to offer
        bolt.command(ANYTHING)(self.on_command)

    @staticmethod
    async def on_unknown(ack: AsyncAck, body: dict[str, Any]) -> None:
        logger.debug("slack: acknowledged %s (nothing to do)", describe(body))
        await ack()

    @staticmethod
    async def on_options(ack: AsyncAck, body: dict[str, Any]) -> None:
        logger.debug("slack: acknowledged %s with no options", describe(body))
        await ack(options=[])

    @staticmethod
    async def on_command(ack: AsyncAck, body: dict[str, Any]) -> None:
        logger.debug("slack: acknowledged %s (not ours)", describe(body))
        await ack(response_type="ephemeral", text=UNKNOWN_COMMAND)
