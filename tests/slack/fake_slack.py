"""A local fake of Slack's Web API (and its Socket Mode WebSocket and response_url), for tests.

It checks the bearer token, records every call with its arguments, answers with Slack-shaped bodies and can be
told to fail a method for the next N calls (HTTP 429 with Retry-After, or `ok: false` with an error code).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

BOT_TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"
BOT_USER, BOT_ID, TEAM = "UBOT", "BBOT", "T0TEST"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    answer: dict[str, Any] = field(default_factory=dict)


@dataclass
class Failure:
    error: str
    times: int
    status: int = 200
    retry_after: int | None = None


@dataclass
class FakeSlack:
    calls: list[Call] = field(default_factory=list)
    socket_acks: list[dict[str, Any]] = field(default_factory=list)
    failures: dict[str, Failure] = field(default_factory=dict)
    base_url: str = ""
    _changed: asyncio.Condition | None = None
    _socket: web.WebSocketResponse | None = None
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_post("/response/{id}", self._response_url)
        app.router.add_get("/ws", self._websocket)
        return app

    def fail(self, method: str, error: str, *, times: int = 1, status: int = 200,
             retry_after: int | None = None) -> None:
        self.failures[method] = Failure(error, times, status, retry_after)

    def of(self, method: str) -> list[dict[str, Any]]:
        return [call.args for call in self.calls if call.method == method]

    def answered(self, method: str) -> list[Call]:
        """The successful calls of a method, with what the fake answered."""
        return [call for call in self.calls if call.method == method and call.answer.get("ok")]

    async def wait_for(self, condition: Callable[[], Any], within: float = 10.0) -> Any:
        """Waits until condition() is truthy (re-checked on every recorded call); fails after `within` s."""
        deadline = time.monotonic() + within
        condition_changed = self._condition()
        async with condition_changed:
            while not (result := condition()):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"condition not met within {within} s; calls: {self.method_names()}")
                try:
                    await asyncio.wait_for(condition_changed.wait(), remaining)
                except TimeoutError:
                    continue
            return result

    def method_names(self) -> list[str]:
        return [call.method for call in self.calls]

    def _condition(self) -> asyncio.Condition:
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed

    async def _record(self, method: str, args: dict[str, Any], answer: dict[str, Any] | None = None) -> None:
        self.calls.append(Call(method, args, answer or {}))
        async with self._condition():
            self._condition().notify_all()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        token = APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN
        if request.headers.get("Authorization") != f"Bearer {token}":
            return web.json_response({"ok": False, "error": "invalid_auth"})
        if request.content_type == "application/json":
            args = await request.json()
        else:
            args = {key: _maybe_json(value) for key, value in (await request.post()).items()}
        # slack_sdk sends some arguments (e.g. conversations.open's users) as query parameters.
        args.update({key: _maybe_json(value) for key, value in request.query.items()})
        failure = self.failures.get(method)
        if failure is not None and failure.times > 0:
            failure.times -= 1
            answer = {"ok": False, "error": failure.error}
            await self._record(method, args, answer)
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else None
            return web.json_response(answer, status=failure.status, headers=headers)
        answer = {"ok": True, **self._answer(method, args)}
        await self._record(method, args, answer)
        return web.json_response(answer)

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {"user_id": BOT_USER, "bot_id": BOT_ID, "team_id": TEAM, "user": "crowdbot", "team": "Test"}
        if method == "chat.postMessage":
            return {"channel": args.get("channel"), "ts": f"1700000000.{next(self._ts):06d}",
                    "message": {"text": args.get("text"), "bot_id": BOT_ID}}
        if method == "chat.update":
            return {"channel": args.get("channel"), "ts": args.get("ts")}
        if method == "chat.postEphemeral":
            return {"message_ts": f"1700000000.{next(self._ts):06d}"}
        if method == "conversations.open":
            users = str(args.get("users") or "")
            if "," in users:  # several people: a multi-person DM, as Slack answers with a G id
                return {"channel": {"id": "G" + users.replace(",", "")}}
            return {"channel": {"id": f"D{users}"}}
        if method in ("views.open", "views.publish"):
            return {"view": {"id": "VFAKE", **(args.get("view") or {})}}
        if method == "apps.connections.open":
            return {"url": self.base_url.replace("http://", "ws://").removesuffix("/api/") + "/ws"}
        return {}

    async def _response_url(self, request: web.Request) -> web.Response:
        await self._record("response_url", await request.json())
        return web.Response(text="ok")

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket = socket
        await socket.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0TEST"}})
        await self._record("socket.connected", {})
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                self.socket_acks.append(json.loads(message.data))
                await self._record("socket.ack", json.loads(message.data))
        return socket

    async def send_envelope(self, envelope: dict[str, Any]) -> None:
        assert self._socket is not None, "no Socket Mode connection"
        await self._socket.send_json(envelope)

    async def close_socket(self) -> None:
        if self._socket is not None:
            await self._socket.close()


def _maybe_json(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
