"""Teams test helpers: the campaign config, payload fixtures with overrides, posting them to /api/messages."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient

from bot.app import RUNTIME
from tests.factories import make_config

PAYLOADS = Path(__file__).parent / "payloads"
ROTAS = "19:rotas@thread.tacv2"
BREAKS = "19:breaks@thread.tacv2"
BOT_ID = "28:crowdbot-app-id"
CM_AAD = "aad-cm"
LEADER_AAD = "aad-leader"


def teams_config(database_url: str, *, sections: dict[str, Any] | None = None, **teams: Any):  # type: ignore[no-untyped-def]
    return make_config(**(sections or {}),
        storage={"url": database_url},
        roles={"community_managers": [f"teams:{CM_AAD}"], "leaders": [f"teams:{LEADER_AAD}"]},
        voting={"emoji": ["+1", "thumbsup", "heart", "like"], "self_votes": False},
        challenges=[
            {"key": "rotas", "title": "Fairer rotas", "questions": ["Q1?"], "channels": [f"teams:{ROTAS}"]},
            {"key": "breaks", "title": "Better breaks", "questions": ["B1?"], "channels": [f"teams:{BREAKS}"]},
        ],
        teams={"enabled": True} | teams,
        playground={"enabled": False},
    )


def person(name: str) -> dict[str, str]:
    return {"id": f"29:{name}-bf-id", "name": name.title(), "aadObjectId": f"aad-{name}"}


def payload(name: str, service_url: str, **overrides: Any) -> dict[str, Any]:
    """A JSON fixture with the fake connector's URL filled in and top-level keys replaced."""
    body = json.loads((PAYLOADS / f"{name}.json").read_text())
    body = json.loads(json.dumps(body).replace("{SERVICE_URL}", service_url))
    body.update(copy.deepcopy(overrides))
    return body


def in_thread(body: dict[str, Any], root: str, channel: str = ROTAS) -> dict[str, Any]:
    """Points a channel activity at the thread of the post `root` (conversation id and replyToId)."""
    body = copy.deepcopy(body)
    body["conversation"]["id"] = f"{channel};messageid={root}"
    if "replyToId" in body:
        body["replyToId"] = root
    return body


async def post_activity(client: TestClient, body: dict[str, Any], headers: dict[str, str] | None = None) -> int:
    response = await client.post("/api/messages", json=body, headers=headers or {})
    await response.read()
    return response.status


async def drain(client: TestClient) -> None:
    """Delivers everything queued, including coalesced post updates (due a moment later: move the clock)."""
    runtime = client.app[RUNTIME]
    runtime.clock.advance(seconds=5)  # type: ignore[attr-defined]
    await runtime.dispatcher.drain(within_seconds=10)  # type: ignore[union-attr]
