"""Core messages -> Teams activities carrying Adaptive Cards (version 1.4), in pure functions.

User text is escaped for the TextBlock markdown subset, and cards never carry mention entities, so text such as
`<at>Everyone</at>` shows as typed and cannot notify anyone or change the card's layout.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from adapters.teams.translate import ACTION_KEY, SUBMIT_IDEA
from bot.message import IdeaForm, Message

CARD_VERSION = "1.4"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
_INLINE = re.compile(r"([\\`*_\[\]<>~#|])")  # emphasis, links, code, tags, headings
_LINE_START = re.compile(r"^(\s*)([-+]|\d+\.)(?=\s)", re.MULTILINE)  # list markers


def escape(text: str) -> str:
    """Backslash-escapes what the Adaptive Card markdown subset would interpret (CommonMark escapes)."""
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), _INLINE.sub(r"\\\1", text))


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": escape(text), "wrap": True, **style}


def card(message: Message) -> dict[str, Any]:
    """The Adaptive Card for a message (a submission form when message.form is set)."""
    if message.form is not None:
        return form_card(message.text, message.form)
    body: list[dict[str, Any]] = []
    if message.title:
        body.append(_text(message.title, size="Medium", weight="Bolder"))
    if message.body:
        body.append(_text(message.body))
    if message.fields:
        body.append({"type": "FactSet", "facts": [{"title": escape(f.label), "value": escape(f.value)}
                                                  for f in message.fields]})
    for section in message.sections:
        body.append(_text(section.heading, weight="Bolder", spacing="Medium"))
        body.extend(_text(line, spacing="None") for line in section.lines)
    if message.image_png:
        data = base64.b64encode(message.image_png).decode()
        body.append({"type": "Image", "url": f"data:image/png;base64,{data}", "altText": message.image_alt or ""})
    if not body:
        body.append(_text(message.text))
    if message.context:
        body.append(_text(message.context, isSubtle=True, size="Small"))
    actions = [{"type": "Action.Submit", "title": action.label,
                "data": {ACTION_KEY: action.action_id, "value": action.value}} for action in message.actions]
    return _envelope(body, actions)


def form_card(prompt: str, form: IdeaForm) -> dict[str, Any]:
    choices = [{"title": choice.title, "value": choice.key} for choice in form.challenges]
    body = [
        _text(prompt, weight="Bolder"),
        {"type": "Input.ChoiceSet", "id": "challenge", "label": "Challenge", "style": "compact",
         "choices": choices, "value": form.default_challenge or (choices[0]["value"] if choices else ""),
         "isRequired": True, "errorMessage": "Pick a challenge."},
        {"type": "Input.Text", "id": "idea", "label": "Your idea", "isMultiline": True,
         "maxLength": form.max_length, "isRequired": True, "errorMessage": "Write your idea first.",
         "placeholder": f"Up to {form.max_length} characters"},
        {"type": "Input.Toggle", "id": "anonymous", "title": "Share anonymously (only the bot knows it was you)",
         "value": "false", "valueOn": "true", "valueOff": "false"},
    ]
    data = {ACTION_KEY: SUBMIT_IDEA, **({"source": form.source} if form.source else {})}
    actions = [{"type": "Action.Submit", "title": "Share idea", "data": data}]
    return _envelope(body, actions)


def _envelope(body: list[dict[str, Any]], actions: list[dict[str, Any]]) -> dict[str, Any]:
    content: dict[str, Any] = {"type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                               "version": CARD_VERSION, "body": body, "msteams": {"width": "Full"}}
    if actions:
        content["actions"] = actions
    return content


def activity(message: Message) -> dict[str, Any]:
    """A message activity (JSON form) with the card as its only attachment; summary is the plain-text fallback."""
    return {"type": "message", "summary": message.text[:250],
            "attachments": [{"contentType": CARD_CONTENT_TYPE, "content": card(message)}]}
