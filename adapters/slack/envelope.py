"""Shape checks on signed request bodies before bolt sees them: bolt answers 500 to some malformed bodies
(e.g. an event_callback whose event is null), and a malformed request deserves a 400, not a crash."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, unquote_plus

from adapters.slack.translate import plain_number
from bot.compose import VOTE_ACTION


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than the parser goes
        return None


def _event_problem(body: dict[str, Any]) -> str | None:
    event = body.get("event")
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        return "event_callback without an event object that has a type"
    for key in ("event_id", "team_id", "api_app_id"):
        if key in body and not isinstance(body[key], str):
            return f"{key} is not a string"
    return None


def _payload_problem(payload: Any) -> str | None:
    if not isinstance(payload, dict) or not isinstance(payload.get("type"), str) or not payload["type"]:
        return "interactive payload without a type"
    for key in ("user", "view", "container", "channel"):
        if key in payload and not isinstance(payload[key], dict):
            return f"interactive payload's {key} is not an object"
    actions = payload.get("actions", [])
    if not isinstance(actions, list) or not all(isinstance(action, dict) for action in actions):
        return "interactive payload's actions is not a list of objects"
    for action in actions:
        value = action.get("value")
        if action.get("action_id") == VOTE_ACTION and not plain_number(value):
            return "a vote whose value is not an idea number"
    required = {"block_actions": ("user",), "view_submission": ("user", "view")}.get(payload["type"], ())
    missing = [key for key in required if key not in payload]
    return f"{payload['type']} payload without {', '.join(missing)}" if missing else None


def _carries_nul(body: str, content_type: str) -> bool:
    # Slack never sends a NUL character, and PostgreSQL refuses to store one: raw, %00 in a form, \u0000 in JSON.
    decoded = body if content_type.startswith("application/json") else unquote_plus(body)
    return "\x00" in decoded or "\\u0000" in decoded


def envelope_problem(body: str, content_type: str) -> str | None:
    """Why a (signature-checked) body is not something Slack sends, or None when its shape is fine."""
    if _carries_nul(body, content_type):
        return "the body contains a NUL character"
    if content_type.startswith("application/json"):
        parsed = _json(body)
        if not isinstance(parsed, dict) or not isinstance(parsed.get("type"), str) or not parsed["type"]:
            return "JSON body without a type"
        return _event_problem(parsed) if parsed["type"] == "event_callback" else None
    form = parse_qs(body, keep_blank_values=True)
    if "payload" in form:
        return _payload_problem(_json(form["payload"][0]))
    if "command" in form and not form["command"][0].startswith("/"):
        return "slash command without a command name"
    return None
