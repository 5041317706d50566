"""The Slack adapter: a slack-bolt AsyncApp on the shared aiohttp server (or Socket Mode), and its Messenger."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.background import Background
from adapters.slack.envelope import envelope_problem
from adapters.slack.fallbacks import Fallbacks
from adapters.slack.fast_path import answer_reaction, reaction_callback
from adapters.slack.interactions import Interactions
from adapters.slack.logs import bolt_logger, failure, sdk_logger
from adapters.slack.messenger import SlackMessenger
from adapters.slack.names import SlackNames
from adapters.slack.replies import ACK_WITHIN_SECONDS
from adapters.slack.subscriptions import Subscriptions
from bot.adapter import Dispatch
from bot.config import SlackConfig
from bot.messenger import Messenger
from bot.name_directory import NamePort

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


def web_client(settings: SlackConfig, **options: Any) -> AsyncWebClient:
    """A Web API client; SLACK_API_URL replaces the base URL exactly as slack_sdk's base_url."""
    if settings.api_url:
        options["base_url"] = settings.api_url
    return AsyncWebClient(token=settings.bot_token, logger=sdk_logger(), **options)


class SlackAdapter:
    """Commands, events and interactivity on one URL (or one socket); outbound posts through `messenger`."""

    platform = "slack"

    def __init__(self, settings: SlackConfig, dispatch: Dispatch, *, names: NamePort | None = None,
                 ack_within: float = ACK_WITHIN_SECONDS) -> None:
        self.settings = settings
        self.background = Background()
        self.names: SlackNames | None = None
        if names is not None:  # names come from users.info, which a user id alone does not answer
            self.names = SlackNames(web_client(settings), names, self.background)
            dispatch = self.names.watching(dispatch)
        # The outbox owns retries of posts (it waits out Retry-After itself), so its client never retries 429;
        # replies sent after an acknowledgement have no outbox behind them, so their client waits once.
        self._posting_client = web_client(settings)
        self.messenger: Messenger = SlackMessenger(self._posting_client)
        self._http: aiohttp.ClientSession | None = None
        listener_client = web_client(settings, retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)])
        self.bolt = AsyncApp(client=listener_client, signing_secret=settings.signing_secret,
                             process_before_response=True, logger=bolt_logger())
        Interactions(dispatch, self.background, ack_within).register(self.bolt)
        self.subscriptions = Subscriptions(dispatch, self.background)
        self.subscriptions.register(self.bolt)
        Fallbacks().register(self.bolt)  # last: only what no listener above took
        self._socket: AsyncSocketModeHandler | None = None
        self._verifier = SignatureVerifier(settings.signing_secret or "")

    @property
    def socket_mode(self) -> bool:
        return bool(self.settings.app_token)

    def mount(self, app: web.Application) -> None:
        if not self.socket_mode:  # Socket Mode takes no inbound traffic at all
            app.router.add_post(EVENTS_PATH, self.handle_http)

    async def handle_http(self, request: web.Request) -> web.Response:
        """The signature and timestamp are checked here, before bolt: an unsigned body never reaches bolt, which
        would log it whole (ideas and all). A signed but malformed body gets 400 rather than a 500 from bolt."""
        try:
            body = (await request.read()).decode("utf-8")
        except UnicodeDecodeError:
            logger.warning("slack: refusing a request whose body is not UTF-8")
            return web.json_response({"ok": False, "error": "the body is not UTF-8"}, status=400)
        if not self._is_signed(body, request):
            logger.warning("slack: refusing a request without a valid signature and a current timestamp "
                           "(check the signing secret and this machine's clock)")
            return web.json_response({"error": "invalid request"}, status=401)
        problem = envelope_problem(body, request.content_type)
        if problem is not None:
            logger.warning("slack: refusing a malformed request: %s", problem)
            return web.json_response({"ok": False, "error": problem}, status=400)
        reaction = reaction_callback(body, request.content_type)
        if reaction is not None:
            return await answer_reaction(self.subscriptions, self.bolt.client, reaction)
        try:
            # Building the request parses the body, so it belongs inside the guard too.
            response = await self.bolt.async_dispatch(await to_bolt_request(request))
        except Exception as error:  # bolt's own error handling failed: never let that become a 500
            logger.warning("slack: bolt could not handle a request (%s)", failure(error))
            return web.json_response({"ok": False, "error": "malformed request"}, status=400)
        return await to_aiohttp_response(response)

    def _is_signed(self, body: str, request: web.Request) -> bool:
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        # isascii: str.isdigit() also accepts digits int() cannot read ("²") or reads unexpectedly ("١٢").
        plain_number = timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12
        return plain_number and bool(signature) and self._verifier.is_valid(body, timestamp, signature)

    async def start(self) -> None:
        # One HTTP session for the outbox's calls: without it slack_sdk opens a new connection (and session) for
        # every call, which at a fika round's 50 posts a second costs more CPU than the rest of the delivery.
        self._http = aiohttp.ClientSession()
        self._posting_client.session = self._http
        if self.socket_mode:
            self._socket = AsyncSocketModeHandler(self.bolt, app_token=self.settings.app_token)
            await self._socket.connect_async()
            logger.info("slack: connected in Socket Mode")
        else:
            logger.info("slack: receiving events at POST %s", EVENTS_PATH)

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        if self.names is not None:
            self.names.stop()  # paced lookups can wait minutes; they are tried again after a restart
        await self.background.wait_idle()
        if self._http is not None:
            self._posting_client.session = None  # a late call opens its own session rather than use a closed one
            await self._http.close()
            self._http = None
