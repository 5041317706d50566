"""TeamsMessenger: proactive posts, in-place updates and 1:1 messages through botbuilder's CloudAdapter,
addressed by stored conversation references it looks up itself; connector failures become DeliveryError."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ChannelAccount, ConversationParameters, ConversationReference
from botframework.connector.models import ErrorResponseException
from msrest.exceptions import ClientRequestError

from adapters.teams import references as refs
from adapters.teams.render import activity as render_activity
from bot.message import Destination, Message
from bot.messenger import DeliveryError
from bot.references import ReferenceStore

logger = logging.getLogger(__name__)


class TeamsMessenger:
    platform = refs.PLATFORM
    # Teams' documented per-bot, per-conversation limits; the global one is its per-app send rate.
    conversation_limits: Sequence[tuple[int, float]] = ((7, 1.0), (60, 30.0), (1800, 3600.0))
    global_limits: Sequence[tuple[int, float]] = ((50, 1.0),)

    def __init__(self, cloud: CloudAdapter, app_id: str, references: ReferenceStore) -> None:
        self._cloud = cloud
        self._app_id = app_id
        self._references = references

    async def send(self, destination: Destination, message: Message) -> str:
        channel = destination.conversation or ""
        reference = await self._stored(refs.channel_key(channel), f"channel {channel}")
        conversation = refs.thread_conversation(channel, destination.thread) if destination.thread else channel
        return await self._post(reference, conversation, message)

    async def update(self, destination: Destination, message_id: str, message: Message) -> None:
        channel = destination.conversation or ""
        reference = await self._stored(refs.channel_key(channel), f"channel {channel}")
        activity = Activity().deserialize(render_activity(message))
        activity.id = message_id

        async def update(context: TurnContext) -> None:
            await context.update_activity(activity)

        # A root post lives in its own thread conversation, as the activities about it (reactions) name it; a
        # reply lives in its root's.
        await self._continue(reference, refs.thread_conversation(channel, destination.thread or message_id), update)

    async def send_direct(self, destination: Destination, message: Message) -> str:
        person = destination.user_id or ""
        return await self.send_to_person(await self._stored(refs.user_key(person), f"person {person}"), message)

    async def send_to_person(self, reference: dict[str, Any], message: Message) -> str:
        """To a person's 1:1 chat by a reference at hand (stored, or built from the activity being answered)."""
        if (reference.get("conversation") or {}).get("id"):
            return await self._post(reference, reference["conversation"]["id"], message)
        return await self._create_and_post(reference, message)

    async def _stored(self, key: str, what: str) -> dict[str, Any]:
        reference = await self._references.reference(key)
        if not reference:
            # Kept, not given up: the message goes out as soon as a reference arrives (installation, a message).
            raise DeliveryError(f"no Teams conversation reference for {what} yet: add Crowdbot to that team (or "
                                "have the person install it or message it once); the message waits until then",
                                unreachable=True)
        return reference

    async def _post(self, reference: dict[str, Any], conversation: str, message: Message) -> str:
        sent: list[str] = []

        async def post(context: TurnContext) -> None:
            response = await context.send_activity(Activity().deserialize(render_activity(message)))
            sent.append(response.id if response else "")

        await self._continue(reference, conversation, post)
        return sent[0] if sent else ""

    async def _continue(self, reference: dict[str, Any], conversation: str,
                        logic: Callable[[TurnContext], Awaitable[None]]) -> None:
        target = ConversationReference().deserialize({**reference, "conversation": {
            **(reference.get("conversation") or {}), "id": conversation}})
        async with _delivery(conversation):
            await self._cloud.continue_conversation(target, logic, self._app_id)

    async def _create_and_post(self, reference: dict[str, Any], message: Message) -> str:
        """No 1:1 conversation id yet: create it (Teams returns the existing 1:1 if there is one)."""
        user, bot, tenant = reference.get("user") or {}, reference.get("bot") or {}, reference.get("tenantId")
        if not (user.get("id") and bot.get("id") and reference.get("serviceUrl")):
            raise DeliveryError(f"cannot open a Teams chat with {user.get('aadObjectId') or user.get('id')}: "
                                "the stored reference lacks their id, the bot's id or the service URL",
                                permanent=True)
        parameters = ConversationParameters(
            is_group=False, bot=ChannelAccount(id=bot["id"]), members=[ChannelAccount(id=user["id"])],
            tenant_id=tenant, channel_data={"tenant": {"id": tenant}} if tenant else None)
        sent: list[str] = []

        async def post(context: TurnContext) -> None:
            response = await context.send_activity(Activity().deserialize(render_activity(message)))
            sent.append(response.id if response else "")

        async with _delivery(f"new chat with {user['id']}"):
            await self._cloud.create_conversation(self._app_id, post, parameters, reference.get("channelId"),
                                                  reference["serviceUrl"])
        return sent[0] if sent else ""


@asynccontextmanager
async def _delivery(where: str):
    """Maps Bot Connector failures to DeliveryError: 429 waits, 401/403/404 are final, the rest transient."""
    try:
        yield
    except ErrorResponseException as error:
        status = error.response.status_code if error.response is not None else 0
        detail = f"Bot Connector answered {status} for {where}: {_error_body(error)}"
        if status == 429:
            raise DeliveryError(detail, retry_after=_retry_after(error)) from None
        raise DeliveryError(detail, permanent=status in (400, 401, 403, 404)) from None
    except (TimeoutError, ClientRequestError, aiohttp.ClientError, OSError) as error:
        raise DeliveryError(f"Bot Connector unreachable for {where}: {error}") from None


def _retry_after(error: ErrorResponseException) -> float | None:
    value = (error.response.headers or {}).get("Retry-After") if error.response is not None else None
    try:
        return max(float(value), 0.0) if value is not None else None
    except ValueError:
        return None


def _error_body(error: ErrorResponseException) -> str:
    body = getattr(error, "error", None)
    inner = getattr(body, "error", None)
    return f"{getattr(inner, 'code', '')} {getattr(inner, 'message', '')}".strip() or str(error)
