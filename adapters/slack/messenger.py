"""The outbound seam for Slack: chat.postMessage / chat.update through slack_sdk, failures as DeliveryError;
a message's chart follows it as an uploaded image (files.getUploadURLExternal, then files.completeUploadExternal)."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.slack.render import message_payload
from bot.message import Destination, Message
from bot.messenger import DeliveryError

logger = logging.getLogger(__name__)

# Errors that retrying the same call cannot fix; anything else (internal_error, 5xx, timeouts) is retried.
PERMANENT_ERRORS = frozenset({
    "channel_not_found", "not_in_channel", "is_archived", "channel_is_archived", "invalid_auth", "not_authed",
    "account_inactive", "token_revoked", "token_expired", "no_permission", "missing_scope", "msg_too_long",
    "invalid_blocks", "invalid_blocks_format", "invalid_arguments", "no_text", "restricted_action",
    "user_not_found", "users_not_found", "cannot_dm_bot", "message_not_found", "cant_update_message",
    "edit_window_closed", "team_access_not_granted", "ekm_access_denied", "user_disabled",
})
DEFAULT_RETRY_AFTER = 30.0
CHART_FILENAME = "campaign-chart.png"
ALT_TEXT_LIMIT = 1000  # files.getUploadURLExternal refuses longer alt text (alt_txt_too_large)
# chat.postMessage is paced per channel with a workspace allowance; the others are tiered: limited per
# workspace, so their 429s pause that method for every conversation.
PER_CHANNEL_METHODS = frozenset({"chat.postMessage"})
# Posting to a user id goes to the app's DM with them; where Slack refuses that, open the DM explicitly.
DM_REFUSALS = frozenset({"channel_not_found", "not_in_channel"})
OPENED_KEPT = 5000  # group DMs remembered; one open per group of a round, so a retry rarely misses


def _retry_after(headers: Any) -> float:
    value = next((v for k, v in (headers or {}).items() if k.lower() == "retry-after"), None)
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return max(float(value), 0.0) if value is not None else DEFAULT_RETRY_AFTER
    except ValueError:
        return DEFAULT_RETRY_AFTER


def delivery_error(method: str, error: Exception) -> DeliveryError:
    """Classifies a Web API failure: 429 waits Retry-After, known refusals are permanent, the rest transient."""
    if not isinstance(error, SlackApiError):
        return DeliveryError(f"{method}: {type(error).__name__}: {error}")
    # slack_sdk passes the raw aiohttp response when the body is not JSON (e.g. a proxy's 502 page).
    response = error.response
    status = int(getattr(response, "status_code", None) or getattr(response, "status", None) or 0)
    data = getattr(response, "data", None)
    code = data.get("error") if isinstance(data, dict) else None
    if status == 429 or code == "ratelimited":
        return DeliveryError(f"{method}: rate limited", retry_after=_retry_after(getattr(response, "headers", None)),
                             method=method, method_wide=method not in PER_CHANNEL_METHODS)
    if status >= 500:
        return DeliveryError(f"{method}: HTTP {status}")
    return DeliveryError(f"{method}: {code or f'HTTP {status}'}", permanent=code in PERMANENT_ERRORS)


class Refused(Exception):  # noqa: N818 - Slack's answer, not our error
    """Slack answered with one of the error codes the caller asked to handle itself."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


async def call(method: str, request: Awaitable[AsyncSlackResponse], *,
               handled: frozenset[str] = frozenset()) -> AsyncSlackResponse:
    try:
        return await request
    except SlackApiError as error:
        data = getattr(error.response, "data", None)
        code = data.get("error") if isinstance(data, dict) else None
        if code in handled:
            raise Refused(code) from error
        raise delivery_error(method, error) from error
    except (TimeoutError, SlackClientError, aiohttp.ClientError, OSError) as error:
        raise delivery_error(method, error) from error


class SlackMessenger:
    """Posts and updates messages; the outbox dispatcher owns ordering, rate limits and retries."""

    platform = "slack"
    # Slack allows about one message per second per channel with short bursts; we keep to 4 per 4 s.
    conversation_limits: Sequence[tuple[int, float]] = ((4, 4.0),)
    # About 50 posts per second per workspace; the 5% longer window keeps network jitter inside it.
    global_limits: Sequence[tuple[int, float]] = ((50, 1.05),)
    methods = {"post": "chat.postMessage", "idea_post": "chat.postMessage", "direct": "chat.postMessage",
               "idea_update": "chat.update", "post_update": "chat.update"}
    # A direct message to several people (a fika group) first opens their group DM with conversations.open,
    # Tier 3: about 50 a minute per workspace, far below the posts' pace; 5% longer window against jitter.
    group_direct_method = "conversations.open"
    method_limits: Mapping[str, Sequence[tuple[int, float]]] = {"conversations.open": ((50, 63.0),)}

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        # Group DMs already opened (users -> channel): a retry after the post's 429 needs no second open.
        self._opened: OrderedDict[str, str] = OrderedDict()

    async def send(self, destination: Destination, message: Message) -> str:
        return await self._post(destination.conversation or "", destination.thread, message)

    async def update(self, destination: Destination, message_id: str, message: Message) -> None:
        await call("chat.update", self.client.chat_update(
            channel=destination.conversation or "", ts=message_id, **message_payload([message])))

    async def send_direct(self, destination: Destination, message: Message) -> str:
        """Posts to the user id, which Slack delivers to the app's DM with that person: one chat.postMessage
        and no conversations.open (Tier 3, about 50 a minute), unless Slack refuses the user id."""
        user = (destination.user_id or "").removeprefix("slack:")
        if "," not in user:  # several people (a fika group) have no DM until conversations.open makes one
            try:
                return await self._post(user, None, message, handled=DM_REFUSALS)
            except Refused as refused:
                logger.info("slack: posting to %s directly was refused (%s); opening the DM", user, refused.code)
        channel = self._opened.get(user)
        if channel is None:
            opened = await call("conversations.open", self.client.conversations_open(users=user))
            channel = str((opened.get("channel") or {}).get("id") or user)
            self._opened[user] = channel
            if len(self._opened) > OPENED_KEPT:
                self._opened.popitem(last=False)
        return await self._post(channel, None, message)

    async def _post(self, channel: str, thread: str | None, message: Message, *,
                    handled: frozenset[str] = frozenset()) -> str:
        image = message.image_png
        arguments: dict[str, Any] = {"channel": channel, "unfurl_links": False, "unfurl_media": False,
                                     **message_payload([replace(message, image_png=None) if image else message])}
        if thread:
            arguments["thread_ts"] = thread
        response = await call("chat.postMessage", self.client.chat_postMessage(**arguments), handled=handled)
        if image:
            # The channel Slack answered with: for a direct message that is the DM's own id.
            await self._upload_image(str(response.get("channel") or channel), thread, image, message)
        return str(response.get("ts"))

    async def _upload_image(self, channel: str, thread: str | None, image: bytes, message: Message) -> None:
        """Shares the chart right under its message. The message is already out, so a failure here is logged
        and not retried: a retry would post the whole message again."""
        alt = (message.image_alt or "Chart")[:ALT_TEXT_LIMIT]
        try:
            await self.client.files_upload_v2(content=image, filename=CHART_FILENAME, title=message.title or alt,
                                              alt_txt=alt, channel=channel, thread_ts=thread)
        except (TimeoutError, SlackApiError, SlackClientError, aiohttp.ClientError, OSError) as error:
            logger.warning("slack: the chart for a message in %s could not be uploaded (%s): %s",
                           channel, delivery_error("files.upload_v2", error), type(error).__name__)
