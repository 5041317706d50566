"""A local fake of Slack's Web API (and its Socket Mode WebSocket and response_url), for tests.

It checks the bearer token, records every call with its arguments, answers with Slack-shaped bodies and can be
told to fail a method for the next N calls (HTTP 429 with Retry-After, or `ok: false` with an error code).
File uploads follow Slack's current flow: files.getUploadURLExternal hands out an upload URL (on this server),
the bytes are POSTed there, and files.completeUploadExternal shares the uploaded files into a channel.
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

from benchmarks.slack_tiers import SlackLimits
from benchmarks.slack_users import slack_user, users_info_answer

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
class UploadedFile:
    id: str
    filename: str
    length: int
    alt_txt: str | None
    content: bytes | None = None  # None until the bytes arrive at the upload URL
    shared_to: list[str] = field(default_factory=list)
    title: str | None = None


@dataclass
class FakeSlack:
    calls: list[Call] = field(default_factory=list)
    socket_acks: list[dict[str, Any]] = field(default_factory=list)
    failures: dict[str, Failure] = field(default_factory=dict)
    base_url: str = ""
    limits: SlackLimits = field(default_factory=SlackLimits)  # each method's documented tier, channel pace
    refuse_user_dm: set[str] = field(default_factory=set)  # user ids chat.postMessage refuses (channel_not_found)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)  # users.info knows these (slack_user(...))
    _changed: asyncio.Condition | None = None
    _socket: web.WebSocketResponse | None = None
    files: dict[str, UploadedFile] = field(default_factory=dict)
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))
    _file_ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)  # slack_sdk reads users.info with GET
        app.router.add_post("/response/{id}", self._response_url)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/ws", self._websocket)
        return app

    def fail(self, method: str, error: str, *, times: int = 1, status: int = 200,
             retry_after: int | None = None) -> None:
        self.failures[method] = Failure(error, times, status, retry_after)

    def add_user(self, user_id: str, *, display_name: str = "", real_name: str = "") -> None:
        self.users[user_id] = slack_user(user_id, display_name=display_name, real_name=real_name)

    def shared_files(self, channel: str) -> list[UploadedFile]:
        """Files completed into a channel (uploaded and shared), in order."""
        return [f for f in self.files.values() if channel in f.shared_to]

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
        retry_after = self.limits.retry_after(method, str(args.get("channel") or "") or None)
        if retry_after is not None:
            answer = {"ok": False, "error": "ratelimited"}
            await self._record(method, args, answer)
            return web.json_response(answer, status=429, headers={"Retry-After": str(retry_after)})
        if method == "chat.postMessage" and args.get("channel") in self.refuse_user_dm:
            answer = {"ok": False, "error": "channel_not_found"}
            await self._record(method, args, answer)
            return web.json_response(answer)
        failure = self.failures.get(method)
        if failure is not None and failure.times > 0:
            failure.times -= 1
            answer = {"ok": False, "error": failure.error}
            await self._record(method, args, answer)
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else None
            return web.json_response(answer, status=failure.status, headers=headers)
        if method in FILE_METHODS:
            answer = FILE_METHODS[method](self, args)
        else:
            answer = {"ok": True, **self._answer(method, args)}
        await self._record(method, args, answer)
        return web.json_response(answer)

    def _get_upload_url(self, args: dict[str, Any]) -> dict[str, Any]:
        length, filename = str(args.get("length", "")), args.get("filename")
        if not filename or not length.isdigit() or int(length) == 0:
            return {"ok": False, "error": "missing_argument"}
        if len(str(args.get("alt_txt") or "")) > 1000:
            return {"ok": False, "error": "alt_txt_too_large"}
        file_id = f"F{next(self._file_ids):08d}"
        self.files[file_id] = UploadedFile(file_id, str(filename), int(length), args.get("alt_txt"))
        base = self.base_url.removesuffix("/api/")
        return {"ok": True, "upload_url": f"{base}/upload/{file_id}", "file_id": file_id}

    def _complete_upload(self, args: dict[str, Any]) -> dict[str, Any]:
        listed = args.get("files")
        if not isinstance(listed, list) or not listed:
            return {"ok": False, "error": "invalid_arguments"}
        uploaded = [self.files.get(str(item.get("id"))) for item in listed if isinstance(item, dict)]
        if len(uploaded) != len(listed) or any(f is None or f.content is None for f in uploaded):
            return {"ok": False, "error": "file_not_found"}  # never uploaded, or not to that URL
        channel = args.get("channel_id")
        shared = []
        for item, uploaded_file in zip(listed, uploaded, strict=True):
            assert uploaded_file is not None
            uploaded_file.title = item.get("title") or uploaded_file.filename
            if channel:
                uploaded_file.shared_to.append(str(channel))
            shared.append({"id": uploaded_file.id, "name": uploaded_file.filename, "title": uploaded_file.title})
        return {"ok": True, "files": shared}

    async def _upload(self, request: web.Request) -> web.Response:
        uploaded = self.files.get(request.match_info["file_id"])
        body = await request.read()
        if uploaded is None:
            return web.Response(status=404, text="unknown upload URL")
        if len(body) != uploaded.length:  # Slack checks the size it was told in getUploadURLExternal
            return web.Response(status=400, text=f"expected {uploaded.length} bytes, got {len(body)}")
        uploaded.content = body
        await self._record("upload", {"file_id": uploaded.id, "bytes": len(body)})
        return web.Response(text=f"OK - {len(body)}")

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
        if method == "users.info":
            return users_info_answer(self.users, args)
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


FILE_METHODS: dict[str, Callable[[FakeSlack, dict[str, Any]], dict[str, Any]]] = {
    "files.getUploadURLExternal": FakeSlack._get_upload_url,
    "files.completeUploadExternal": FakeSlack._complete_upload,
}


def _maybe_json(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
