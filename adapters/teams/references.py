"""Conversation ids, people's ids and stored conversation references, from Teams activity dicts.

Id scheme (documented in the README): a person is `teams:<aadObjectId>` (their Entra object id, the same in
every team and chat, and what app.yaml roles name), falling back to the Bot Framework `from.id` when an
activity has no aadObjectId. A channel is `teams:<channel conversation id>` without any `;messageid=` suffix;
its stored reference key is the same string. A person's 1:1 reference is keyed `teams:user:<that same id>`.
"""

from __future__ import annotations

from typing import Any

PLATFORM = "teams"
_THREAD_MARK = ";messageid="


def channel_of(conversation_id: str) -> str:
    """'19:abc@thread.tacv2;messageid=17' -> '19:abc@thread.tacv2' (the channel a thread lives in)."""
    return conversation_id.split(_THREAD_MARK, 1)[0]


def thread_of(conversation_id: str) -> str | None:
    """The root message id of a channel thread conversation id, if it names one."""
    _, _, root = conversation_id.partition(_THREAD_MARK)
    return root or None


def thread_conversation(channel: str, root_message_id: str) -> str:
    return f"{channel}{_THREAD_MARK}{root_message_id}"


def entra_id(account: dict[str, Any]) -> str | None:
    value = account.get("aadObjectId")
    return value if isinstance(value, str) and value else None


def bot_framework_id(account: dict[str, Any]) -> str | None:
    value = account.get("id")
    return value if isinstance(value, str) and value else None


def is_user_mri(user_id: str) -> bool:
    """A Bot Framework user id ("29:..."), the kind Teams takes in a card's refresh.userIds; Entra object ids
    are not."""
    return user_id.startswith("29:")


def person_id(account: dict[str, Any]) -> str:
    """A person's id (documented above): the Entra object id, else the Bot Framework id."""
    return entra_id(account) or bot_framework_id(account) or ""


def channel_key(channel: str) -> str:
    return f"{PLATFORM}:{channel}"


def user_key(user_id: str) -> str:
    return f"{PLATFORM}:user:{user_id}"


def tenant_of(activity: dict[str, Any]) -> str | None:
    conversation = activity.get("conversation") or {}
    tenant = ((activity.get("channelData") or {}).get("tenant") or {}).get("id")
    return tenant or conversation.get("tenantId")


def is_personal(activity: dict[str, Any]) -> bool:
    return (activity.get("conversation") or {}).get("conversationType") == "personal"


def is_shared(activity: dict[str, Any]) -> bool:
    """A channel or group chat: whatever the bot posts there, everyone in it reads."""
    conversation = activity.get("conversation") or {}
    return conversation.get("conversationType") in ("channel", "groupChat") or conversation.get("isGroup") is True


def _base(activity: dict[str, Any]) -> dict[str, Any]:
    bot = activity.get("recipient") or {}
    return {"channelId": activity.get("channelId") or "msteams", "serviceUrl": activity.get("serviceUrl"),
            "bot": {"id": bot.get("id"), "name": bot.get("name")}, "tenantId": tenant_of(activity)}


def channel_reference(activity: dict[str, Any], channel: str) -> dict[str, Any]:
    """A reference that posts a new thread in the channel (no activity id, no messageid suffix)."""
    reference = _base(activity)
    reference["conversation"] = {"id": channel, "conversationType": "channel", "isGroup": True,
                                 "tenantId": reference["tenantId"]}
    return reference


def user_reference(activity: dict[str, Any], account: dict[str, Any]) -> dict[str, Any]:
    """How to reach a person: their 1:1 conversation when this activity is in it; otherwise enough to create it
    (Teams answers create_conversation for an existing 1:1 with that same conversation)."""
    reference = _base(activity)
    reference["user"] = {"id": account.get("id"), "name": account.get("name"),
                         "aadObjectId": account.get("aadObjectId")}
    conversation = activity.get("conversation") or {}
    if is_personal(activity) and conversation.get("id"):
        reference["conversation"] = {"id": conversation["id"], "conversationType": "personal",
                                     "tenantId": reference["tenantId"]}
    return reference
