"""Answers meant for one person, from a channel or group chat: sent to them in a 1:1 chat the bot opens itself.

In a Teams channel or group chat everything the bot posts is read by everyone there, so the only thing it posts
in response to a person is the card of a new idea (through the outbox). Confirmations, lists, refusals and help go
to the person's 1:1 chat, created with the Bot Framework's create-conversation call (the person and the tenant,
through the activity's serviceUrl), which works without them having written to the bot first. Only when that
fails does a short neutral line, naming nothing, appear where they typed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from adapters.teams import references as refs
from adapters.teams.messenger import TeamsMessenger
from adapters.teams.render import activity as render_activity
from bot.message import Message

logger = logging.getLogger(__name__)

# Says where to find the answer, never what it was: no idea number, no text, not whether it worked.
COULD_NOT_REACH = Message(text="I couldn't send you a private message, so my answer is not shown here. "
                               "Open a 1:1 chat with me (search for the app in Teams chat) and type help.")


async def tell_privately(messenger: TeamsMessenger, turn_context: TurnContext, incoming: dict[str, Any],
                         messages: Sequence[Message]) -> None:
    """Sends messages to the activity's sender in their 1:1 chat; a neutral line where they typed if it fails."""
    sender = incoming.get("from") or {}
    reference = refs.user_reference(incoming, sender)
    try:
        for message in messages:
            await messenger.send_to_person(reference, message)
        return
    except Exception as error:  # DeliveryError, or a reference the connector client cannot even build
        logger.warning("teams: could not open a private chat to answer in %s: %s",
                       (incoming.get("conversation") or {}).get("id"), error)
    try:
        await turn_context.send_activity(Activity().deserialize(render_activity(COULD_NOT_REACH)))
    except Exception:  # the change is committed: a failed answer is logged, never raised (no redelivery)
        logger.warning("teams: could not post the private-chat notice either", exc_info=True)
