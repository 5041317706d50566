"""Invoke activities: Universal Actions (adaptiveCard/action) to core events, and an answer for every invoke.

Teams shows the person an error for any invoke answered with a non-200 status, so an invoke the bot does not
implement (task modules, message extensions, an unknown verb) gets a 200 whose body says so in the shape that
invoke expects.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from adapters.teams.render import CARD_CONTENT_TYPE, card
from adapters.teams.translate import ACTION_KEY, actor_of, address_of, conversations_seen
from bot.adapter import Dispatch
from bot.compose import FULL_NOTE_ACTION, REFRESH_ACTION
from bot.events import ActionInvoked, Actor
from bot.message import Message

NOT_AVAILABLE = "This action is not available."
ALREADY_DONE = "Done: that was already recorded."
MESSAGE_CONTENT_TYPE = "application/vnd.microsoft.activity.message"
CARD_ACTION = "adaptiveCard/action"
# Looking, not changing: answered from what is stored, with no de-duplication record and no reference saved
# (Teams sends a refresh each time the card is shown to one of the people listed in it).
READ_ONLY_VERBS = frozenset({REFRESH_ACTION, FULL_NOTE_ACTION})
# A verb is one of the core's action ids (every button the bot draws is an Action.Execute): the core answers each,
# and one it does not know with nothing, which is shown as "not available". Only the shape is checked here.
MAX_VERB_LENGTH = 100


def execute_event(activity: dict[str, Any]) -> ActionInvoked | None:
    """An Action.Execute press on one of our cards as a core event; None for a verb the bot does not know."""
    value: dict[str, Any] = activity["value"] if isinstance(activity.get("value"), dict) else {}
    action: dict[str, Any] = value["action"] if isinstance(value.get("action"), dict) else {}
    data: dict[str, Any] = action["data"] if isinstance(action.get("data"), dict) else {}
    verb = str(action.get("verb") or data.get(ACTION_KEY) or "")
    if not verb or not verb.isascii() or not verb.isprintable() or len(verb) > MAX_VERB_LENGTH:
        return None
    address = address_of(activity, message=activity.get("replyToId"))
    event_id = None if verb in READ_ONLY_VERBS else activity.get("id")
    return ActionInvoked(actor_of(activity), address, verb, str(data.get("value") or ""), event_id)


def card_response(message: Message) -> dict[str, Any]:
    """The body of an adaptiveCard/action answer that replaces the card with `message` rendered."""
    return {"statusCode": 200, "type": CARD_CONTENT_TYPE, "value": card(message)}


def message_response(text: str) -> dict[str, Any]:
    """The body of an adaptiveCard/action answer that shows `text` to the person who pressed the button."""
    return {"statusCode": 200, "type": MESSAGE_CONTENT_TYPE, "value": text}


async def card_action_body(activity: dict[str, Any], dispatch: Dispatch,
                           learn_address: Callable[[Actor], Awaitable[None]] | None = None) -> dict[str, Any]:
    """Runs an Action.Execute press and answers it: the refreshed card (a refresh: the card as it is for this
    person), a card with a decision's whole note, otherwise the core's answer (e.g. a refusal) shown to the person
    who pressed, or "not available" for unknown verbs."""
    event = execute_event(activity)
    if event is None:
        return message_response(NOT_AVAILABLE)
    if event.action not in READ_ONLY_VERBS:
        for seen in conversations_seen(activity):
            await dispatch(seen)
    reply = await dispatch(event)
    if reply.wants_sign_in_address and not reply.refused and learn_address is not None:
        await learn_address(event.actor)
    if event.action == FULL_NOTE_ACTION and reply.first is not None and not reply.refused:
        return card_response(reply.first)  # the whole note, in place of the card, for the presser only
    if reply.card is not None:
        return card_response(reply.card)
    if reply.duplicate:
        return message_response(ALREADY_DONE)
    return message_response(reply.first.text if reply.first else NOT_AVAILABLE)


def not_implemented_body(name: str | None) -> dict[str, Any] | None:
    """What a 200 answer to an invoke the bot does not implement carries, in the shape its caller reads."""
    if name == CARD_ACTION:
        return message_response(NOT_AVAILABLE)
    if name in ("task/fetch", "task/submit"):
        return {"task": {"type": "message", "value": NOT_AVAILABLE}}
    if name and name.startswith("composeExtension/"):
        return {"composeExtension": {"type": "message", "text": NOT_AVAILABLE}}
    if name == "config/fetch" or name == "config/submit":
        return {"config": {"type": "message", "value": NOT_AVAILABLE}}
    return None  # sign-in, file consent, card actions without a name...: an empty 200 is the answer
