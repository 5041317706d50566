"""A local fake Bot Connector: records conversations created and activities sent or updated, answers like the
real service (ids for sent activities, error bodies, 429 with Retry-After on demand)."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Recorded:
    method: str
    conversation: str
    activity: dict[str, Any]
    activity_id: str | None = None  # the id updated, or replied to
    returned_id: str | None = None  # what the connector answered for a sent activity


@dataclass
class FakeConnector:
    sent: list[Recorded] = field(default_factory=list)
    updated: list[Recorded] = field(default_factory=list)
    created: list[dict[str, Any]] = field(default_factory=list)
    failures: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    authorizations: list[str | None] = field(default_factory=list)
    # Sends to these conversations wait until released; `holding` maps each to the id its post will get.
    held: dict[str, asyncio.Event] = field(default_factory=dict)
    holding: dict[str, str] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1700000000001))
    _changed: asyncio.Event = field(default_factory=asyncio.Event)
    url: str = ""
    team_channels: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # team id -> its channels
    # Member id (the 29: id or the Entra object id) -> their TeamsChannelAccount, for "Get single member".
    members: dict[str, dict[str, str]] = field(default_factory=dict)
    member_lookups: list[tuple[str, str]] = field(default_factory=list)  # (conversation, member) asked

    def fail_next(self, status: int, headers: dict[str, str] | None = None) -> None:
        self.failures.append((status, headers or {}))

    def hold(self, conversation: str) -> asyncio.Event:
        """Sends to `conversation` are taken but not answered until the returned event is set."""
        self.held[conversation] = asyncio.Event()
        return self.held[conversation]

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._send)
        app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self._send)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._update)
        app.router.add_get("/v3/teams/{team}/conversations", self._channels)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        return app

    async def _channels(self, request: web.Request) -> web.Response:
        """The Teams channel list of a team (TeamsInfo.get_team_channels); General's id is the team's id."""
        if failed := self._failure(request):
            return failed
        team = request.match_info["team"]
        if team not in self.team_channels:
            return web.json_response({"error": {"code": "NotFound", "message": "team not found"}}, status=404)
        return web.json_response({"conversations": self.team_channels[team]})

    async def _member(self, request: web.Request) -> web.Response:
        """One member of a conversation (TeamsInfo.get_member) as a TeamsChannelAccount, or 404 as the service."""
        if failed := self._failure(request):
            return failed
        member = request.match_info["member"]
        self.member_lookups.append((request.match_info["conversation"], member))
        if member not in self.members:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation",
                                                "message": "The member is not in the conversation"}}, status=404)
        return web.json_response(self.members[member])

    def _failure(self, request: web.Request) -> web.Response | None:
        self.authorizations.append(request.headers.get("Authorization"))
        if not self.failures:
            return None
        status, headers = self.failures.pop(0)
        codes = {429: "TooManyRequests", 403: "BotNotInConversationRoster", 404: "ConversationNotFound"}
        body = {"error": {"code": codes.get(status, "ServiceError"), "message": f"fake connector says {status}"}}
        return web.json_response(body, status=status, headers=headers)

    async def _create(self, request: web.Request) -> web.Response:
        if failed := self._failure(request):
            return failed
        parameters = await request.json()
        self.created.append(parameters)
        member = (parameters.get("members") or [{}])[0].get("id", "someone")
        return web.json_response({"id": f"a:1on1-{member}"}, status=201)

    async def _send(self, request: web.Request) -> web.Response:
        if failed := self._failure(request):
            return failed
        activity_id = str(next(self._ids))
        conversation = request.match_info["conversation"]
        if conversation in self.held:
            self.holding[conversation] = activity_id
            self._notify()
            await self.held[conversation].wait()
        self.sent.append(Recorded("POST", request.match_info["conversation"], await request.json(),
                                  request.match_info.get("activity"), activity_id))
        self._notify()
        return web.json_response({"id": activity_id}, status=201)

    async def _update(self, request: web.Request) -> web.Response:
        if failed := self._failure(request):
            return failed
        self.updated.append(Recorded("PUT", request.match_info["conversation"], await request.json(),
                                     request.match_info["activity"]))
        self._notify()
        return web.json_response({"id": request.match_info["activity"]})

    def _notify(self) -> None:
        self._changed.set()

    async def wait_for(self, condition, within: float = 5.0) -> None:  # type: ignore[no-untyped-def]
        """Waits until condition() holds (checked on every recorded request), failing after `within` seconds."""
        async with asyncio.timeout(within):
            while not condition():
                self._changed.clear()
                await self._changed.wait()
