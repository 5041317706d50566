"""TeamsAdapter: POST /api/messages on the bot's aiohttp server, through botbuilder's CloudAdapter."""

from __future__ import annotations

import json
import logging
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botbuilder.schema import Activity

from adapters.teams.auth import local_refusal, rejection
from adapters.teams.handler import RAW_ACTIVITY, CoreFailed, CrowdbotTeamsHandler, RedeliverLater, failing_loudly
from adapters.teams.messenger import TeamsMessenger
from adapters.teams.references import PLATFORM
from adapters.teams.signing_keys import KeyRing
from bot.adapter import Dispatch
from bot.config import TeamsConfig
from bot.references import ReferenceStore
from bot.tracebacks import traceback_without_messages

logger = logging.getLogger(__name__)
ROUTE = "/api/messages"
# Real activities nest a few levels (cards in attachments, channelData); anything far deeper is refused before
# any recursive code (the JSON decoder, msrest, our translation) could overflow the stack on it.
MAX_NESTING = 64


def _unauthorized(reason: str) -> web.Response:
    return web.json_response({"error": "unauthorized", "detail": reason}, status=401)


class TeamsAdapter:
    platform = PLATFORM

    def __init__(self, config: TeamsConfig, dispatch: Dispatch, vote_emoji: list[str],
                 references: ReferenceStore) -> None:
        self.app_id = config.app_id or ""
        settings = SimpleNamespace(APP_ID=self.app_id, APP_PASSWORD=config.app_password or "",
                                   APP_TYPE=config.app_type or "MultiTenant", APP_TENANTID=config.tenant_id or "")
        self.cloud = CloudAdapter(ConfigurationBotFrameworkAuthentication(settings))
        # With authentication on, token signing keys are fetched off the request path (see signing_keys.py).
        self.key_ring = KeyRing.for_bot_framework(config.openid_metadata_url) if self.app_id else None
        self.messenger = TeamsMessenger(self.cloud, self.app_id, references)
        self.handler = CrowdbotTeamsHandler(failing_loudly(dispatch), vote_emoji, self.messenger)

    def mount(self, app: web.Application) -> None:
        app.router.add_post(ROUTE, self.receive)

    async def start(self) -> None:
        if self.key_ring is not None:
            self.key_ring.start()
        logger.info("teams: listening on %s (%s)", ROUTE,
                    "Bot Framework authentication on" if self.app_id else "authentication OFF")

    async def stop(self) -> None:
        if self.key_ring is not None:
            await self.key_ring.stop()

    async def receive(self, request: web.Request) -> web.Response:
        """Authenticates, then runs the activity through botbuilder; the core commits before this answers."""
        if not self.app_id and (forbidden := local_refusal(request.host, request.headers.get("Origin"))):
            logger.warning("teams: refused a request from %s: %s", request.remote, forbidden)
            return web.json_response({"error": "forbidden", "detail": forbidden}, status=403)
        authorization = request.headers.get("Authorization")
        refused = rejection(authorization, self.app_id)
        if refused:
            logger.warning("teams: refused a request from %s: %s", request.remote, refused)
            return _unauthorized(refused)
        body = await _read_body(request)
        try:
            activity = Activity().deserialize(body)
        except Exception as error:  # msrest raises DeserializationError and friends on wrong shapes
            logger.warning("teams: refusing an activity that does not deserialise: %s", error)
            return web.json_response({"error": "malformed activity"}, status=400)
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

        try:
            invoke = await self.cloud.process_activity(authenticated, activity, turn)
        except RedeliverLater as error:
            logger.warning("teams: %s; answering 503 so the Bot Framework delivers the %s activity again",
                           error, body.get("type"))
            return web.json_response({"error": "unavailable", "detail": "try again later"}, status=503)
        except CoreFailed as error:
            logger.error("teams: the bot failed on a %s activity; answering 500\n%s", body.get("type"),
                         traceback_without_messages(error.__cause__ or error))
            return web.json_response({"error": "internal error"}, status=500)
        except Exception as error:  # botbuilder refusing a malformed activity: a 400, never a 500
            logger.warning("teams: could not process a %s activity (%s: %s)", body.get("type"),
                           type(error).__name__, error)
            return web.json_response({"error": "malformed activity"}, status=400)
        if invoke is not None:
            # botbuilder answers 501 to an invoke it has no handler for; that is the caller's request, not
            # a fault of ours, so it is a 400.
            status = 400 if invoke.status == 501 else invoke.status
            return web.json_response(invoke.body, status=status)
        return web.Response(status=200)


async def _read_body(request: web.Request) -> dict[str, Any]:
    # The media type exactly (a charset parameter is fine): a web page cannot send it without a CORS preflight.
    if request.content_type != "application/json":
        raise web.HTTPUnsupportedMediaType(text="send the activity as application/json")
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise web.HTTPBadRequest(text="the body is not JSON") from None
    except RecursionError:
        raise web.HTTPBadRequest(text="the activity is nested too deeply") from None
    if _depth(body) > MAX_NESTING:
        raise web.HTTPBadRequest(text="the activity is nested too deeply")
    if _carries_nul(body):
        raise web.HTTPBadRequest(text="the activity contains a NUL character")
    if not isinstance(body, dict) or not body.get("type") or not isinstance(body["type"], str):
        raise web.HTTPBadRequest(text="the body is not an activity (no type)")
    for key in ("id", "text", "replyToId", "channelId", "locale"):
        if key in body and body[key] is not None and not isinstance(body[key], str):
            raise web.HTTPBadRequest(text=f"the activity's {key} is not a string")
    service_url = body.get("serviceUrl")
    if service_url is not None and not (isinstance(service_url, str) and _is_http_url(service_url)):
        raise web.HTTPBadRequest(text="the activity's serviceUrl is not an http(s) URL")
    for key in ("from", "conversation", "recipient", "channelData"):
        if key in body and not isinstance(body[key], dict):
            raise web.HTTPBadRequest(text=f"the activity's {key} is not an object")
    for key in ("entities", "membersAdded", "membersRemoved", "reactionsAdded", "reactionsRemoved", "attachments"):
        if key in body and not (isinstance(body[key], list) and all(isinstance(i, dict) for i in body[key])):
            raise web.HTTPBadRequest(text=f"the activity's {key} is not a list of objects")
    return body


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in a parsed JSON value (iterative: a deep value cannot overflow it)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_NESTING:
                pending.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _carries_nul(value: Any) -> bool:
    """A NUL character in any key or string: Teams never sends one, and PostgreSQL refuses to store it."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str) and "\x00" in item:
            return True
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def _is_http_url(value: str) -> bool:
    parsed = urlsplit(value)
    try:
        parsed.hostname.encode("idna") if parsed.hostname else None
    except UnicodeError:
        return False
    return parsed.scheme in ("http", "https") and bool(parsed.hostname)
