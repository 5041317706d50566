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
REPLY_SUBTYPES = {None, "thread_broadcast"}


def actor(user_id: str, name: str = "") -> Actor:
    return Actor(PLATFORM, user_id, name)


def command_event(body: dict[str, Any]) -> CommandInvoked:
    """A slash command (form-encoded: user_id, user_name, channel_id, text)."""
    return CommandInvoked(actor(body["user_id"], body.get("user_name", "")), Address(PLATFORM, body.get("channel_id")),
                          body.get("text") or "")


def reaction_event(body: dict[str, Any]) -> ReactionChanged | None:
    """reaction_added / reaction_removed on a message; the envelope's event_id makes retries idempotent."""
    event = body["event"]
    item = event.get("item") or {}
    if item.get("type") != "message" or not item.get("ts") or not event.get("user"):
        return None
    address = Address(PLATFORM, item.get("channel"), message=item["ts"])
    return ReactionChanged(actor(event["user"]), address, event.get("reaction", ""),
                           event["type"] == "reaction_added", body.get("event_id"))


def thread_reply_event(body: dict[str, Any]) -> ThreadReply | None:
    """A person's reply in a thread; thread parents, edits and any bot's messages are not comments."""
    event = body["event"]
    thread_ts, ts = event.get("thread_ts"), event.get("ts")
    if event.get("subtype") not in REPLY_SUBTYPES or event.get("bot_id") or not event.get("user"):
        return None
    if not thread_ts or thread_ts == ts:
        return None
    address = Address(PLATFORM, event.get("channel"), thread=thread_ts)
    return ThreadReply(actor(event["user"]), address, event.get("text") or "", ts, body.get("event_id"))


def home_event(body: dict[str, Any]) -> HomeOpened | None:
    event = body["event"]
    if event.get("tab", "home") != "home" or not event.get("user"):
        return None
    # No event id: opening the home page only reads, and each opening should show fresh figures.
    return HomeOpened(actor(event["user"]))


def vote_action_event(body: dict[str, Any], action: dict[str, Any]) -> ActionInvoked:
    """The Vote button on an idea post (block_actions)."""
    user = body["user"]
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    address = Address(PLATFORM, channel, message=container.get("message_ts"))
    return ActionInvoked(actor(user["id"], user.get("username") or user.get("name") or ""), address,
                         action.get("action_id", VOTE_ACTION), action.get("value") or "")


def form_channel(view: dict[str, Any]) -> str | None:
    try:
        return json.loads(view.get("private_metadata") or "{}").get("channel")
    except (ValueError, AttributeError):
        return None


def form_event(body: dict[str, Any]) -> IdeaFormSubmitted:
    """The modal's view_submission; the view id is its event id, so a double submission counts once."""
    view = body["view"]
    values = (view.get("state") or {}).get("values") or {}
    selected = (values.get(CHALLENGE_BLOCK, {}).get(CHALLENGE_INPUT) or {}).get("selected_option") or {}
    text = (values.get(IDEA_BLOCK, {}).get(IDEA_INPUT) or {}).get("value") or ""
    checked = (values.get(ANONYMOUS_BLOCK, {}).get(ANONYMOUS_INPUT) or {}).get("selected_options") or []
    user = body["user"]
    return IdeaFormSubmitted(
        actor(user["id"], user.get("username") or user.get("name") or ""),
        Address(PLATFORM, form_channel(view)),
        selected.get("value") or "",
        text,
        any(option.get("value") == ANONYMOUS_VALUE for option in checked),
        f"view:{view['id']}" if view.get("id") else None,
    )
