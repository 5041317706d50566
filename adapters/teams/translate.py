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
CHANNEL_EVENTS = ("channelCreated", "channelRenamed", "channelRestored")

Activity = dict[str, Any]


def actor_of(activity: Activity) -> Actor:
    """The sender by Entra object id; their Bot Framework id rides along as the alias the core links to it, or
    stands in (marked as an alias) when the activity carries no object id."""
    account = activity.get("from") or {}
    name = account.get("name") or ""
    entra, bot_framework = refs.entra_id(account), refs.bot_framework_id(account)
    if entra:
        return Actor(refs.PLATFORM, entra, name, alias=bot_framework if bot_framework != entra else None)
    return Actor(refs.PLATFORM, bot_framework or "", name, is_alias=bool(bot_framework))


def address_of(activity: Activity, *, message: str | None = None) -> Address:
    conversation = (activity.get("conversation") or {}).get("id") or ""
    return Address(refs.PLATFORM, refs.channel_of(conversation), refs.thread_of(conversation), message)


def event_id_of(activity: Activity) -> str | None:
    """The de-duplication key: Teams activity ids are unique within a conversation only, so it names both."""
    activity_id = activity.get("id")
    if not activity_id:
        return None
    # The id first: should a very long conversation id be cut to the key's length, the id still counts.
    return f"{activity_id}@{(activity.get('conversation') or {}).get('id') or ''}"


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


def team_of(activity: Activity) -> str | None:
    """The team an activity comes from (its id is also the General channel's conversation id)."""
    return ((activity.get("channelData") or {}).get("team") or {}).get("id")


def is_team_installation(activity: Activity) -> bool:
    """The bot was added to a team (installationUpdate add, or conversationUpdate adding the bot)."""
    if not team_of(activity):
        return False
    if activity.get("type") == "installationUpdate":
        return str(activity.get("action") or "add").startswith("add")
    bot_id = (activity.get("recipient") or {}).get("id")
    return activity.get("type") == "conversationUpdate" and any(
        member.get("id") == bot_id for member in activity.get("membersAdded") or ())


def team_channels_seen(activity: Activity, channels: Sequence[dict[str, Any]]) -> list[ConversationSeen]:
    """References for every channel of the team (the Teams channel list), so a configured channel can be
    posted to before anyone writes there."""
    ids = [channel["id"] for channel in channels if isinstance(channel.get("id"), str) and channel["id"]]
    return [ConversationSeen(refs.PLATFORM, refs.channel_key(i), refs.channel_reference(activity, i)) for i in ids]


def _channel_event(activity: Activity) -> list[Event]:
    """channelCreated / channelRenamed / channelRestored: the channel named in channelData can be posted to."""
    data = activity.get("channelData") or {}
    channel = (data.get("channel") or {}).get("id")
    if data.get("eventType") in CHANNEL_EVENTS and isinstance(channel, str) and channel:
        return [ConversationSeen(refs.PLATFORM, refs.channel_key(channel), refs.channel_reference(activity, channel))]
    return []


def _message(activity: Activity, vote_emoji: Sequence[str]) -> list[Event]:
    return [*conversations_seen(activity), *_message_events(activity)]


def _message_events(activity: Activity) -> list[Event]:
    value = activity.get("value")
    if isinstance(value, dict) and value.get(ACTION_KEY):
        return _card_submit(activity, value)
    if refs.is_personal(activity) or mentions_bot(activity):
        return [CommandInvoked(actor_of(activity), address_of(activity), command_text(activity),
                               event_id_of(activity), text_is_public=refs.is_shared(activity))]
    address = address_of(activity)
    if address.thread and activity.get("id"):
        return [ThreadReply(actor_of(activity), address, plain_text(activity), activity["id"], event_id_of(activity))]
    return []  # channel chatter the bot may read (RSC) but is not addressed to it


def _card_submit(activity: Activity, value: dict[str, Any]) -> list[Event]:
    action = str(value.get(ACTION_KEY))
    event_id = event_id_of(activity)
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
        base = event_id_of(activity)
        event_id = base if index == 0 or base is None else f"{base}#{index}"
        name = vote_reaction(str(reaction.get("type") or ""), vote_emoji)
        events.append(ReactionChanged(actor_of(activity), address, name, added, event_id))
    return events


def _conversation_update(activity: Activity, vote_emoji: Sequence[str]) -> list[Event]:
    bot_id = (activity.get("recipient") or {}).get("id")
    if any(member.get("id") == bot_id for member in activity.get("membersAdded") or ()):
        return list(installation_seen(activity))
    return _channel_event(activity)


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


def message_action_event(activity: Activity, command_id: str) -> ActionInvoked | None:
    """A message action (composeExtension/fetchTask from a message's menu) naming our command, on that message."""
    given = activity.get("value")
    value: dict[str, Any] = given if isinstance(given, dict) else {}
    payload: dict[str, Any] = value["messagePayload"] if isinstance(value.get("messagePayload"), dict) else {}
    if value.get("commandId") != command_id or not payload.get("id"):
        return None
    return ActionInvoked(actor_of(activity), address_of(activity, message=str(payload["id"])), command_id, "")
