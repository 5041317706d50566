"""Core messages to Block Kit, in pure functions. Every text from a Message is plain text and is escaped here."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.message import IdeaForm, Message

FORM_CALLBACK = "idea_form"
CHALLENGE_BLOCK, CHALLENGE_INPUT = "challenge", "challenge_select"
IDEA_BLOCK, IDEA_INPUT = "idea", "idea_text"
ANONYMOUS_BLOCK, ANONYMOUS_INPUT = "anonymous", "anonymous_check"
ANONYMOUS_VALUE = "anonymous"

SECTION_LIMIT = 3000  # characters in a section's text
HEADER_LIMIT = 150
FIELD_LIMIT = 2000
MAX_FIELDS = 10
HOME_BLOCK_LIMIT = 100


def escape(text: str) -> str:
    """Slack's rule for text it should show literally: &, <, > become entities, nothing else."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mrkdwn(text: str, limit: int = SECTION_LIMIT) -> dict[str, Any]:
    # Clip before escaping would let an entity be cut in half; clip the escaped text at a safe point instead.
    escaped = escape(text)
    if len(escaped) > limit:
        escaped = escaped[: limit - 1]
        cut = escaped.rfind("&")
        if cut != -1 and ";" not in escaped[cut:]:
            escaped = escaped[:cut]
        escaped += "…"
    return {"type": "mrkdwn", "text": escaped}


def _labelled(label: str, value: str, limit: int) -> dict[str, Any]:
    """A bold label line over an escaped value (labels are escaped too: headings can carry user text)."""
    heading = f"*{escape(label)}*\n" if label else ""
    return {"type": "mrkdwn", "text": heading + _mrkdwn(value, limit - len(heading))["text"]}


def _plain(text: str, limit: int) -> dict[str, Any]:
    # plain_text is never parsed for mentions or links, so it needs no escaping.
    return {"type": "plain_text", "text": _clip(text, limit), "emoji": True}


def blocks(message: Message) -> list[dict[str, Any]]:
    """The Block Kit blocks of one message (without its form, which becomes a modal)."""
    out: list[dict[str, Any]] = []
    if message.title:
        out.append({"type": "header", "text": _plain(message.title, HEADER_LIMIT)})
    body = message.body if message.title or message.body else None
    if body is None and not (message.fields or message.sections):
        body = message.text
    if body:
        out.append({"type": "section", "text": _mrkdwn(body)})
    if message.fields:
        fields = [_labelled(f.label, f.value, FIELD_LIMIT) for f in message.fields[:MAX_FIELDS]]
        out.append({"type": "section", "fields": fields})
    for section in message.sections:
        out.append({"type": "section", "text": _labelled(section.heading, "\n".join(section.lines) or " ",
                                                         SECTION_LIMIT)})
    if message.image_png is not None:
        # Slack shows only images at a public URL; inline PNG bytes would need files.upload. Say what it was.
        out.append({"type": "context", "elements": [_mrkdwn(f"(chart: {message.image_alt or 'image'})")]})
    if message.actions:
        buttons = [{"type": "button", "text": _plain(a.label, 75), "action_id": a.action_id, "value": a.value}
                   for a in message.actions]
        out.append({"type": "actions", "elements": buttons})
    if message.context:
        out.append({"type": "context", "elements": [_mrkdwn(message.context)]})
    return out


def message_payload(messages: Sequence[Message]) -> dict[str, Any]:
    """chat.postMessage / response arguments: escaped fallback text plus the blocks of every message."""
    all_blocks: list[dict[str, Any]] = []
    for index, message in enumerate(messages):
        if index:
            all_blocks.append({"type": "divider"})
        all_blocks.extend(blocks(message))
    text = "\n\n".join(message.text for message in messages)
    return {"text": _mrkdwn(text, 40000)["text"], "blocks": all_blocks}


def home_view(messages: Sequence[Message]) -> dict[str, Any]:
    return {"type": "home", "blocks": message_payload(messages)["blocks"][:HOME_BLOCK_LIMIT]}


def modal_view(form: IdeaForm, *, channel: str | None) -> dict[str, Any]:
    """The submission form as a modal; private_metadata carries the channel the command came from."""
    options = [{"text": _plain(choice.title, 75), "value": choice.key} for choice in form.challenges]
    select: dict[str, Any] = {"type": "static_select", "action_id": CHALLENGE_INPUT, "options": options}
    default = next((o for o in options if o["value"] == form.default_challenge), None)
    if default is not None:
        select["initial_option"] = default
    anonymous = {"type": "checkboxes", "action_id": ANONYMOUS_INPUT, "options": [
        {"text": _plain("Post anonymously (only the bot knows it was you)", 75), "value": ANONYMOUS_VALUE}]}
    idea_input = {"type": "plain_text_input", "action_id": IDEA_INPUT, "multiline": True,
                  "max_length": min(form.max_length, 3000)}
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK,
        "private_metadata": json.dumps({"channel": channel, **({"source": form.source} if form.source else {})}),
        "title": _plain("Share an idea", 24),
        "submit": _plain("Submit", 24),
        "close": _plain("Cancel", 24),
        "blocks": [
            {"type": "input", "block_id": CHALLENGE_BLOCK, "label": _plain("Challenge", 2000), "element": select},
            {"type": "input", "block_id": IDEA_BLOCK, "label": _plain("Your idea", 2000), "element": idea_input},
            {"type": "input", "block_id": ANONYMOUS_BLOCK, "optional": True, "label": _plain("Anonymous", 2000),
             "element": anonymous},
        ],
    }
