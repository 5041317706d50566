"""Slack payloads to core events, in pure functions; None means "not for the core" (acknowledge and drop)."""

from __future__ import annotations

import json
from typing import Any

from adapters.slack.render import (
    ANONYMOUS_BLOCK,
    ANONYMOUS_INPUT,
    ANONYMOUS_VALUE,
    CHALLENGE_BLOCK,
    CHALLENGE_INPUT,
    IDEA_BLOCK,
    IDEA_INPUT,
)
from bot.compose import VOTE_ACTION
from bot.events import (
    ActionInvoked,
    Actor,
    Address,
    CommandInvoked,
    HomeOpened,
    IdeaFormSubmitted,
    ReactionChanged,
    ThreadReply,
)

PLATFORM = "slack"
# Message subtypes that are a person writing in a thread; edits, deletions, joins and bot posts are not.
REPLY_SUBTYPES = (None, "thread_broadcast")
MAX_VOTE_VALUE_DIGITS = 9  # an idea number; more digits name no idea and overflow a database integer


def actor(user_id: str) -> Actor:
    # No name here: payloads carry only the account handle (user_name, username), not the name Slack shows;
    # that comes from users.info after the acknowledgement (adapters/slack/names.py).
    return Actor(PLATFORM, user_id)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    """A non-empty string, or None: signed requests are still checked for shape (they may come from a bug)."""
    return value if isinstance(value, str) and value else None


def plain_number(value: Any) -> bool:
    """ASCII digits only: str.isdigit() also accepts "١٢" and "²", which int() reads as 12 or not at all."""
    return isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= MAX_VOTE_VALUE_DIGITS


def _person(user: Any) -> Actor | None:
    user = _dict(user)
    user_id = _text(user.get("id"))
    return actor(user_id) if user_id else None


def command_event(body: dict[str, Any]) -> CommandInvoked | None:
    """A slash command (form-encoded: user_id, user_name, channel_id, text, trigger_id).

    Slack gives each invocation its own trigger_id, so it is the event id: a signed request replayed within the
    signature's five minutes is recognised and does nothing a second time.
    """
    user_id = _text(body.get("user_id"))
    if user_id is None:
        return None
    trigger = _text(body.get("trigger_id"))
    return CommandInvoked(actor(user_id),
                          Address(PLATFORM, _text(body.get("channel_id"))), _text(body.get("text")) or "",
                          f"command:{trigger}" if trigger else None)


def reaction_event(body: dict[str, Any]) -> ReactionChanged | None:
    """reaction_added / reaction_removed on a message; the envelope's event_id makes retries idempotent."""
    event = _dict(body.get("event"))
    item = _dict(event.get("item"))
    user, ts, reaction = _text(event.get("user")), _text(item.get("ts")), _text(event.get("reaction"))
    if item.get("type") != "message" or not (user and ts and reaction):
        return None
    address = Address(PLATFORM, _text(item.get("channel")), message=ts)
    return ReactionChanged(actor(user), address, reaction_name(reaction), event.get("type") == "reaction_added",
                           _text(body.get("event_id")))


def reaction_name(reaction: str) -> str:
    """Slack names a skin tone as a suffix ("+1::skin-tone-3"): the same reaction, so the same vote."""
    return reaction.split("::", 1)[0]


def thread_reply_event(body: dict[str, Any]) -> ThreadReply | None:
    """A person's reply in a thread; thread parents, edits and any bot's messages are not comments."""
    event = _dict(body.get("event"))
    thread_ts, ts, user = _text(event.get("thread_ts")), _text(event.get("ts")), _text(event.get("user"))
    subtype = event.get("subtype")
    if subtype not in REPLY_SUBTYPES or event.get("bot_id") or not (user and ts):
        return None
    if not thread_ts or thread_ts == ts:
        return None
    address = Address(PLATFORM, _text(event.get("channel")), thread=thread_ts)
    return ThreadReply(actor(user), address, _text(event.get("text")) or "", ts, _text(body.get("event_id")))


def home_event(body: dict[str, Any]) -> HomeOpened | None:
    event = _dict(body.get("event"))
    user = _text(event.get("user"))
    if event.get("tab", "home") != "home" or user is None:
        return None
    # No event id: opening the home page only reads, and each opening should show fresh figures.
    return HomeOpened(actor(user))


def vote_action_event(body: dict[str, Any], action: Any) -> ActionInvoked | None:
    """The Vote button on an idea post (block_actions)."""
    person, action = _person(body.get("user")), _dict(action)
    if person is None:
        return None
    container = _dict(body.get("container"))
    channel = _text(_dict(body.get("channel")).get("id")) or _text(container.get("channel_id"))
    address = Address(PLATFORM, channel, message=_text(container.get("message_ts")))
    action_id = _text(action.get("action_id")) or VOTE_ACTION
    value = _text(action.get("value")) or ""
    if action_id == VOTE_ACTION and not plain_number(value):
        value = ""  # Socket Mode skips the envelope check; an empty value is a vote for nothing
    return ActionInvoked(person, address, action_id, value)


def _form_metadata(view: Any, key: str) -> str | None:
    try:
        return _text(_dict(json.loads(_dict(view).get("private_metadata") or "{}")).get(key))
    except (ValueError, TypeError):
        return None


def form_channel(view: Any) -> str | None:
    return _form_metadata(view, "channel")


def form_event(body: dict[str, Any]) -> IdeaFormSubmitted | None:
    """The modal's view_submission; the view id is its event id, so a double submission counts once."""
    view, person = _dict(body.get("view")), _person(body.get("user"))
    if person is None:
        return None
    values = _dict(_dict(view.get("state")).get("values"))
    selected = _dict(_dict(_dict(values.get(CHALLENGE_BLOCK)).get(CHALLENGE_INPUT)).get("selected_option"))
    text = _text(_dict(_dict(values.get(IDEA_BLOCK)).get(IDEA_INPUT)).get("value")) or ""
    checked = _dict(_dict(values.get(ANONYMOUS_BLOCK)).get(ANONYMOUS_INPUT)).get("selected_options")
    anonymous = isinstance(checked, list) and any(_dict(o).get("value") == ANONYMOUS_VALUE for o in checked)
    view_id = _text(view.get("id"))
    return IdeaFormSubmitted(person, Address(PLATFORM, form_channel(view)), _text(selected.get("value")) or "",
                             text, anonymous, f"view:{view_id}" if view_id else None,
                             _form_metadata(view, "source"))


def shortcut_event(body: dict[str, Any]) -> ActionInvoked | None:
    """A message shortcut (message_action) on someone's message: the callback id is the action."""
    person = _person(body.get("user"))
    message_ts = _text(_dict(body.get("message")).get("ts")) or _text(body.get("message_ts"))
    if person is None or message_ts is None:
        return None
    address = Address(PLATFORM, _text(_dict(body.get("channel")).get("id")), message=message_ts)
    return ActionInvoked(person, address, _text(body.get("callback_id")) or "", "")
