"""Display names from Slack's users.info, looked up after the acknowledgement and kept through the name port.

A lookup never stands between a person and their contribution: it runs in the background once the event is
handled, and a failure or a 429 only means the id is shown until the next try (NamePort decides when).
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timedelta
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
    """Looks names up one worker at a time: people seen while it works wait in a set (each once), their names are
    checked against the store a batch at a time, and users.info is paced within its tier (a burst, then about
    100 a minute); after a 429 no lookup is made until its Retry-After has passed (those people keep showing their
    id until the port hands them out again). A busy idea hour, where 1,500 people appear in minutes, costs
    a few hundred store reads and paced lookups rather than a read and a call per event."""

    def __init__(self, client: AsyncWebClient, port: NamePort, background: Background) -> None:
        self._client = client
        self._port = port
        self._background = background
        self._waiting: set[str] = set()
        self._worker: asyncio.Task[Any] | None = None
        self._pace = LookupPace()
        self._paused_until: datetime | None = None  # after a 429, by the campaign clock

    def watching(self, dispatch: Dispatch) -> Dispatch:
        """`dispatch`, followed (off the acknowledgement path) by a name lookup for the event's person."""
        async def dispatch_and_notice(event: Event) -> Reply:
            try:
                return await dispatch(event)
            finally:
                actor = getattr(event, "actor", None)
                if actor is not None and actor.platform == PLATFORM and not actor.is_alias:
                    self.notice(actor.ref)
        return dispatch_and_notice

    def stop(self) -> None:
        """Drops the lookups still waiting (each person is looked up again at their next event)."""
        self._waiting.clear()
        if self._worker is not None:
            self._worker.cancel()

    def notice(self, ref: str) -> None:
        self._waiting.add(ref)
        if self._worker is None or self._worker.done():
            self._worker = self._background.spawn(self._work_through(), "name lookups")

    async def _work_through(self) -> None:
        while self._waiting:
            batch = set(sorted(self._waiting)[:BATCH])
            self._waiting -= batch
            await self.look_up(batch)

    async def look_up(self, refs: set[str]) -> None:
        learned: dict[str, str] = {}
        for ref in sorted(await self._port.due(refs)):
            if self._paused_until is not None and self._port.now() < self._paused_until:
                continue  # rate-limited: the id is shown until the port hands this person out again
            await self._pace.wait()
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
            if error.response.status_code == 429:
                self._paused_until = self._port.now() + timedelta(seconds=_retry_after(error.response.headers))
            level = logging.WARNING if code in NEEDS_THE_OPERATOR else logging.INFO
            logger.log(level, "slack: users.info failed (%s, HTTP %s); showing the id until the next lookup",
                       code, error.response.status_code)
            return ""
        except (ClientError, TimeoutError, ValueError) as error:  # ValueError: a body that is not JSON
            logger.info("slack: users.info did not answer (%s); showing the id until the next lookup",
                        type(error).__name__)
            return ""
        return name_in(response.get("user"))


BATCH = 100  # people checked against the store in one read
LOOKUP_BURST = 20
LOOKUPS_PER_SECOND = 100 / 60  # users.info is Tier 4: 100+ a minute per workspace


class LookupPace:
    """A token bucket for users.info: a burst, then its tier's rate."""

    def __init__(self) -> None:
        self._tokens = float(LOOKUP_BURST)
        self._at = time.monotonic()

    async def wait(self) -> None:
        now = time.monotonic()
        self._tokens = min(float(LOOKUP_BURST), self._tokens + (now - self._at) * LOOKUPS_PER_SECOND)
        self._at = now
        if self._tokens < 1:
            await asyncio.sleep((1 - self._tokens) / LOOKUPS_PER_SECOND)
            self._tokens, self._at = 1.0, time.monotonic()
        self._tokens -= 1


def _retry_after(headers: Any) -> float:
    try:
        found = {str(key).lower(): value for key, value in (headers or {}).items()}.get("retry-after", 1)
        return min(max(float(found), 0.0), 300.0)
    except (TypeError, ValueError):
        return 1.0
