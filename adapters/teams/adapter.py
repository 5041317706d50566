"""TeamsAdapter: POST /api/messages on the bot's aiohttp server, through botbuilder's CloudAdapter."""

from __future__ import annotations

import json
import logging
from types import SimpleNamespace
from typing import Any

from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity

from adapters.teams.auth import rejection
from adapters.teams.handler import RAW_ACTIVITY, CrowdbotTeamsHandler
from adapters.teams.messenger import TeamsMessenger
from adapters.teams.references import PLATFORM
from bot.adapter import Dispatch
from bot.config import TeamsConfig

logger = logging.getLogger(__name__)
ROUTE = "/api/messages"


def _unauthorized(reason: str) -> web.Response:
    return web.json_response({"error": "unauthorized", "detail": reason}, status=401)


class TeamsAdapter:
    platform = PLATFORM

    def __init__(self, config: TeamsConfig, dispatch: Dispatch, vote_emoji: list[str]) -> None:
        self.app_id = config.app_id or ""
        settings = SimpleNamespace(APP_ID=self.app_id, APP_PASSWORD=config.app_password or "",
                                   APP_TYPE=config.app_type or "MultiTenant", APP_TENANTID=config.tenant_id or "")
        self.cloud = CloudAdapter(ConfigurationBotFrameworkAuthentication(settings))
        self.handler = CrowdbotTeamsHandler(dispatch, vote_emoji)
        self.messenger = TeamsMessenger(self.cloud, self.app_id)

    def mount(self, app: web.Application) -> None:
        app.router.add_post(ROUTE, self.receive)

    async def start(self) -> None:
        logger.info("teams: listening on %s (%s)", ROUTE,
                    "Bot Framework authentication on" if self.app_id else "authentication OFF")

    async def stop(self) -> None:
        return None

    async def receive(self, request: web.Request) -> web.Response:
        """Authenticates, then runs the activity through botbuilder; the core commits before this answers."""
        authorization = request.headers.get("Authorization")
        refused = rejection(authorization, self.app_id)
        if refused:
            logger.warning("teams: refused a request from %s: %s", request.remote, refused)
            return _unauthorized(refused)
        body = await _read_body(request)
        activity = Activity().deserialize(body)
        try:
            authenticated = await self.cloud.bot_framework_authentication.authenticate_request(
                activity, authorization or "")
        except Exception as error:  # botbuilder raises PermissionError, jwt errors or bare Exceptions
            logger.warning("teams: token rejected from %s: %s", request.remote, error)
            return _unauthorized("the bearer token is not valid")

        async def turn(context: TurnContext) -> None:
            # botbuilder's schema drops fields it does not model (mention entities): keep the JSON as sent.
            context.turn_state[RAW_ACTIVITY] = body
            await self.handler.on_turn(context)

        invoke = await self.cloud.process_activity(authenticated, activity, turn)
        if invoke is not None:
            return web.json_response(invoke.body, status=invoke.status)
        return web.Response(status=200)


async def _read_body(request: web.Request) -> dict[str, Any]:
    if "application/json" not in request.headers.get("Content-Type", ""):
        raise web.HTTPUnsupportedMediaType(text="send the activity as application/json")
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise web.HTTPBadRequest(text="the body is not JSON") from None
    if not isinstance(body, dict) or not body.get("type"):
        raise web.HTTPBadRequest(text="the body is not an activity (no type)")
    return body
