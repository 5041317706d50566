"""Core messages -> Teams activities carrying Adaptive Cards (version 1.5, the newest Teams renders), in pure
functions. A chart travels as an image attachment beside the card (not a data URI inside it), and `size` measures an
activity as Microsoft does: UTF-16, with and without base64 images.

User text is escaped for the TextBlock markdown subset, and cards never carry mention entities, so text such as
`<at>Everyone</at>` shows as typed and cannot notify anyone or change the card's layout.
"""

from __future__ import annotations

import base64
import json
import logging
import re
from dataclasses import replace
from typing import Any

from adapters.teams import references as refs
from adapters.teams.translate import ACTION_KEY, SUBMIT_IDEA
from bot.compose import REFRESH_ACTION
from bot.message import IdeaForm, Message, Section

CARD_VERSION = "1.5"  # Universal Actions (Action.Execute) need 1.5; Teams renders up to 1.5
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
IMAGE_CONTENT_TYPE = "image/png"
CHART_NAME = "campaign-chart.png"
RECOMMENDED_BYTES = 80 * 1024  # Microsoft: keep a message within 80 KB (UTF-16, base64 images left out)
LIMIT_BYTES = 100 * 1024  # over 100 KB the connector answers 413 MessageSizeTooBig
SUMMARY_LIMIT = 250
REFRESH_USER_LIMIT = 60  # Teams shows its own version of a card to at most 60 people (User Specific Views)
CHART_ELSEWHERE = "The chart is on the dashboard."
logger = logging.getLogger(__name__)
_DATA_URI = re.compile(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]*")
_CODE_SPAN = re.compile(r"`([^`\n]{1,300})`")
_INLINE = re.compile(r"([\\`*_\[\]<>~#|])")  # emphasis, links, code, tags, headings
_LINE_START = re.compile(r"^(\s*)([-+]|\d+\.)(?=\s)", re.MULTILINE)  # list markers


def escape(text: str) -> str:
    """Backslash-escapes what the Adaptive Card markdown subset would interpret (CommonMark escapes). Inline code
    (`new ...` in the bot's hints) has no rendering in Adaptive Cards, so it reads as quoted text instead."""
    quoted = _CODE_SPAN.sub(lambda m: f"\u201c{m.group(1)}\u201d", text)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), _INLINE.sub(r"\\\1", quoted))


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
        body.extend(_entries(section))
    if message.image_png:  # the picture itself is an attachment of the activity (see `activity`)
        body.append(_text(f"Chart below: {message.image_alt or 'image'}", isSubtle=True, size="Small"))
    if not body:
        body.append(_text(message.text))
    if message.context:
        body.append(_text(message.context, isSubtle=True, size="Small"))
    content = _envelope(body, [_execute(action.label, action.action_id, action.value) for action in message.actions])
    user_ids = refresh_user_ids(message.viewers)
    if message.idea_number is not None and user_ids:
        # Each of these people sees the post as it is for them (their idea, their vote): Teams asks for it with
        # an adaptiveCard/action invoke of this verb when the card is shown to them.
        refresh = _execute("Refresh", REFRESH_ACTION, str(message.idea_number))
        del refresh["fallback"]
        content["refresh"] = {"action": refresh, "userIds": user_ids}
    return content


def refresh_user_ids(viewers: tuple[str, ...]) -> list[str]:
    """The Teams user ids (the Bot Framework "29:" ids Teams calls user MRIs) among core refs, in order, at most
    REFRESH_USER_LIMIT."""
    found: list[str] = []
    for ref in viewers:
        platform, _, user = ref.partition(":")
        if platform == refs.PLATFORM and refs.is_user_mri(user) and user not in found:
            found.append(user)
    return found[:REFRESH_USER_LIMIT]


def _entries(section: Section) -> list[dict[str, Any]]:
    """A section's lines, each entry with a button (e.g. "Read the full note") followed by it."""
    out: list[dict[str, Any]] = []
    for line, action in section.entries():
        out.append(_text(line, spacing="None"))
        if action is not None:
            out.append({"type": "ActionSet", "spacing": "None",
                        "actions": [_execute(action.label, action.action_id, action.value)]})
    return out


def _execute(label: str, verb: str, value: str) -> dict[str, Any]:
    """A Universal Action (adaptiveCard/action invoke, answered with the refreshed card); clients that do not
    know Action.Execute fall back to the same press as a message submit."""
    data = {ACTION_KEY: verb, "value": value}
    return {"type": "Action.Execute", "title": label, "verb": verb, "data": data,
            "fallback": {"type": "Action.Submit", "title": label, "data": data}}


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
    """A message activity (JSON form): the card, then the chart as an image attachment when there is one;
    summary is the short plain-text fallback (notifications)."""
    attachments: list[dict[str, Any]] = [{"contentType": CARD_CONTENT_TYPE, "content": card(message)}]
    if message.image_png:
        data = base64.b64encode(message.image_png).decode()
        attachments.append({"contentType": IMAGE_CONTENT_TYPE, "contentUrl": f"data:image/png;base64,{data}",
                            "name": CHART_NAME})
    result = {"type": "message", "summary": message.short_text[:SUMMARY_LIMIT], "attachments": attachments}
    if message.image_png and size(result, with_images=True) > LIMIT_BYTES:
        # The words matter more than the picture: without it the message goes through (the chart is on the
        # dashboard) rather than being refused with a 413.
        logger.warning("teams: a chart would take the message over %d bytes; sending it without", LIMIT_BYTES)
        return activity(replace(message, image_png=None, context=_joined(message.context, CHART_ELSEWHERE)))
    if size(result) > RECOMMENDED_BYTES:  # messages are designed to stay under it (tests/teams/test_sizes.py)
        logger.warning("teams: a message of %d bytes is over the recommended %d", size(result), RECOMMENDED_BYTES)
    return result


def _joined(first: str | None, second: str) -> str:
    return f"{first}\n{second}" if first else second


def size(activity_json: dict[str, Any], *, with_images: bool = False) -> int:
    """Bytes of the activity encoded as UTF-16, as Teams counts toward its limits; base64 images are left out
    unless `with_images`."""
    text = json.dumps(activity_json, ensure_ascii=False, separators=(",", ":"))
    if not with_images:
        text = _DATA_URI.sub("", text)
    return len(text.encode("utf-16-le"))
