"""Display names from Slack's users.info, looked up after the acknowledgement and kept through the name port.

A lookup never stands between a person and their contribution: it runs in the background once the event is
handled, and a failure or a 429 only means the id is shown until the next try (NamePort decides when).
"""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.background import Background
from adapters.slack.translate import PLATFORM
from bot.adapter import Dispatch
from bot.events import Event
from bot.message import Reply
from bot.name_directory import NamePort

logger = logging.getLogger(__name__)

# Errors only the operator can fix (the app lacks users:read, or its token is gone): worth a warning. Others
# (user_not_found, ratelimited, a slow answer) pass by themselves.
NEEDS_THE_OPERATOR = frozenset({"missing_scope", "not_authed", "invalid_auth", "account_inactive",
                                "token_revoked", "no_permission"})


def name_in(user: Any) -> str:
    """The name Slack shows: the display name a person chose, else their full name, else the account name."""
    user = user if isinstance(user, dict) else {}
    profile = user.get("profile") if isinstance(user.get("profile"), dict) else {}
    for candidate in (profile.get("display_name"), profile.get("real_name"), user.get("real_name"), user.get("name")):
        if isinstance(candidate, str) and candidate.strip():
            return candidate.strip()
    return ""


class SlackNames:
    def __init__(self, client: AsyncWebClient, port: NamePort, background: Background) -> None:
        self._client = client
        self._port = port
        self._background = background

    def watching(self, dispatch: Dispatch) -> Dispatch:
        """`dispatch`, followed (off the acknowledgement path) by a name lookup for the event's person."""
        async def dispatch_and_notice(event: Event) -> Reply:
            try:
                return await dispatch(event)
            finally:
                actor = getattr(event, "actor", None)
                if actor is not None and actor.platform == PLATFORM and not actor.is_alias:
                    self._background.spawn(self.look_up({actor.ref}), "name lookup")
        return dispatch_and_notice

    async def look_up(self, refs: set[str]) -> None:
        learned: dict[str, str] = {}
        for ref in sorted(await self._port.due(refs)):
            name = await self._users_info(ref.partition(":")[2])
            if name:
                learned[ref] = name
        await self._port.learn(learned)

    async def _users_info(self, user_id: str) -> str:
        try:
            # POST with a form body rather than slack_sdk's GET: a query string puts the user id into proxy and
            # access logs at the moment they posted, which could tie them to an anonymous idea.
            response = await self._client.api_call("users.info", http_verb="POST", data={"user": user_id})
        except SlackApiError as error:
            # The error code and status only: the response body holds the person's profile.
            code = error.response.get("error")
            level = logging.WARNING if code in NEEDS_THE_OPERATOR else logging.INFO
            logger.log(level, "slack: users.info failed (%s, HTTP %s); showing the id until the next lookup",
                       code, error.response.status_code)
            return ""
        except (ClientError, TimeoutError, ValueError) as error:  # ValueError: a body that is not JSON
            logger.info("slack: users.info did not answer (%s); showing the id until the next lookup",
                        type(error).__name__)
            return ""
        return name_in(response.get("user"))
