"""Teams activities (as JSON dicts) -> core events, in pure functions; a dispatch table by activity type."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from adapters.teams import references as refs
from adapters.teams.reactions import vote_reaction
from bot.events import (
    ActionInvoked,
    Actor,
    Address,
    CommandInvoked,
    ConversationSeen,
    Event,
    IdeaFormSubmitted,
    ReactionChanged,
    ThreadReply,
)

# What our cards put in Action.Submit data, so a submit can be told apart from other cards' submits.
ACTION_KEY = "crowdbot"
SUBMIT_IDEA = "submit_idea"
_LEADING_IDEA = re.compile(r"^idea\b[\s:,]*", re.IGNORECASE)
_AT_TAG = re.compile(r"<at>(.*?)</at>", re.IGNORECASE | re.DOTALL)

Activity = dict[str, Any]


def actor_of(activity: Activity) -> Actor:
    account = activity.get("from") or {}
    return Actor(refs.PLATFORM, refs.person_id(account), account.get("name") or "")


def address_of(activity: Activity, *, message: str | None = None) -> Address:
    conversation = (activity.get("conversation") or {}).get("id") or ""
    return Address(refs.PLATFORM, refs.channel_of(conversation), refs.thread_of(conversation), message)


def mentions_bot(activity: Activity) -> bool:
    bot_id = (activity.get("recipient") or {}).get("id")
    return any(entity.get("type") == "mention" and (entity.get("mentioned") or {}).get("id") == bot_id
               for entity in activity.get("entities") or ())


def command_text(activity: Activity) -> str:
    """The message text with the bot's @mention and a leading `idea` word removed."""
    text = activity.get("text") or ""
    bot_id = (activity.get("recipient") or {}).get("id")
    for entity in activity.get("entities") or ():
        if entity.get("type") == "mention" and (entity.get("mentioned") or {}).get("id") == bot_id:
            text = text.replace(entity.get("text") or "", " ")
    text = text.replace("&nbsp;", " ").replace("\xa0", " ").strip()
    return _LEADING_IDEA.sub("", text, count=1).strip()


def plain_text(activity: Activity) -> str:
    """A reply's text for a comment: mentions of anyone reduced to their names."""
    text = (activity.get("text") or "").replace("&nbsp;", " ").replace("\xa0", " ")
    return _AT_TAG.sub(lambda match: match.group(1), text).strip()


def conversations_seen(activity: Activity) -> list[ConversationSeen]:
    """The references worth storing from any activity: its channel and its sender."""
    seen = []
    conversation = (activity.get("conversation") or {}).get("id")
    if conversation and not refs.is_personal(activity) and (activity.get("conversation") or {}).get(
            "conversationType") == "channel":
        channel = refs.channel_of(conversation)
        seen.append(ConversationSeen(refs.PLATFORM, refs.channel_key(channel),
                                     refs.channel_reference(activity, channel)))
    sender = activity.get("from") or {}
    if refs.person_id(sender) and sender.get("id") != (activity.get("recipient") or {}).get("id"):
        seen.append(ConversationSeen(refs.PLATFORM, refs.user_key(refs.person_id(sender)),
                                     refs.user_reference(activity, sender)))
    return seen


def installation_seen(activity: Activity) -> list[ConversationSeen]:
    """Installation (installationUpdate add, or conversationUpdate adding the bot): where the bot now lives."""
    data = activity.get("channelData") or {}
    channel = (data.get("channel") or {}).get("id") or (data.get("team") or {}).get("id")
    if channel:  # installed in a team: its General channel carries the team's id
        return [ConversationSeen(refs.PLATFORM, refs.channel_key(channel), refs.channel_reference(activity, channel))]
    return conversations_seen(activity)


def _message(activity: Activity, vote_emoji: Sequence[str]) -> list[Event]:
    return [*conversations_seen(activity), *_message_events(activity)]


def _message_events(activity: Activity) -> list[Event]:
    value = activity.get("value")
    if isinstance(value, dict) and value.get(ACTION_KEY):
        return _card_submit(activity, value)
    if refs.is_personal(activity) or mentions_bot(activity):
        return [CommandInvoked(actor_of(activity), address_of(activity), command_text(activity), activity.get("id"))]
    address = address_of(activity)
    if address.thread and activity.get("id"):
        return [ThreadReply(actor_of(activity), address, plain_text(activity), activity["id"], activity["id"])]
    return []  # channel chatter the bot may read (RSC) but is not addressed to it


def _card_submit(activity: Activity, value: dict[str, Any]) -> list[Event]:
    action = str(value.get(ACTION_KEY))
    event_id = activity.get("id")
    if action == SUBMIT_IDEA:
        anonymous = str(value.get("anonymous", "false")).lower() == "true"
        source = value.get("source")
        return [IdeaFormSubmitted(actor_of(activity), address_of(activity), str(value.get("challenge") or ""),
                                  str(value.get("idea") or ""), anonymous, event_id,
                                  source if isinstance(source, str) else None)]
    address = address_of(activity, message=activity.get("replyToId"))
    return [ActionInvoked(actor_of(activity), address, action, str(value.get("value") or ""), event_id)]


def _reactions(activity: Activity, vote_emoji: Sequence[str]) -> list[Event]:
    address = address_of(activity, message=activity.get("replyToId"))
    if not address.message:
        return []
    events: list[Event] = [*conversations_seen(activity)]
    changes = [(r, True) for r in activity.get("reactionsAdded") or ()]
    changes += [(r, False) for r in activity.get("reactionsRemoved") or ()]
    for index, (reaction, added) in enumerate(changes):
        # One activity usually carries one reaction; further ones get their own ids so each counts once.
        base = activity.get("id")
        event_id = base if index == 0 or base is None else f"{base}#{index}"
        name = vote_reaction(str(reaction.get("type") or ""), vote_emoji)
        events.append(ReactionChanged(actor_of(activity), address, name, added, event_id))
    return events


def _conversation_update(activity: Activity, vote_emoji: Sequence[str]) -> list[Event]:
    bot_id = (activity.get("recipient") or {}).get("id")
    if any(member.get("id") == bot_id for member in activity.get("membersAdded") or ()):
        return list(installation_seen(activity))
    return []


def _installation_update(activity: Activity, vote_emoji: Sequence[str]) -> list[Event]:
    return list(installation_seen(activity)) if activity.get("action", "add").startswith("add") else []


TRANSLATORS: dict[str, Callable[[Activity, Sequence[str]], list[Event]]] = {
    "message": _message,
    "messageReaction": _reactions,
    "conversationUpdate": _conversation_update,
    "installationUpdate": _installation_update,
}


def translate(activity: Activity, vote_emoji: Sequence[str]) -> list[Event]:
    """The core events one activity stands for (empty for activities the bot ignores)."""
    translator = TRANSLATORS.get(activity.get("type") or "")
    return translator(activity, vote_emoji) if translator else []
