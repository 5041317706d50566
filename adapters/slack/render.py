"""Core messages to Block Kit, in pure functions. Every text from a Message is plain text and is escaped here."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from adapters.slack.layout import pack, split_long
from bot.message import IdeaForm, Message

logger = logging.getLogger(__name__)

FORM_CALLBACK = "idea_form"
CHALLENGE_BLOCK, CHALLENGE_INPUT = "challenge", "challenge_select"
IDEA_BLOCK, IDEA_INPUT = "idea", "idea_text"
ANONYMOUS_BLOCK, ANONYMOUS_INPUT = "anonymous", "anonymous_check"
ANONYMOUS_VALUE = "anonymous"

SECTION_LIMIT = 3000  # characters in a section's text
HEADER_LIMIT = 150
FIELD_LIMIT = 2000
MAX_FIELDS = 10  # per section block
MAX_BUTTONS = 25  # per actions block
MAX_CONTEXT_ELEMENTS = 10
MAX_SELECT_OPTIONS = 100  # a static_select lists at most 100 options
MESSAGE_BLOCK_LIMIT = 50
HOME_BLOCK_LIMIT = 100  # a view (App Home, modal) holds 100 blocks
FALLBACK_LIMIT = 4000  # Slack truncates `text` past 40,000 and recommends at most 4,000


def escape(text: str) -> str:
    """Slack's rule for text it should show literally: &, <, > become entities, nothing else."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mrkdwn(text: str, limit: int = SECTION_LIMIT) -> dict[str, Any]:
    # Clip before escaping would let an entity be cut in half; clip the escaped text at a safe point instead.
    # Only short labels go through here: long text is laid out in several blocks by `_sections`.
    escaped = escape(text)
    if len(escaped) > limit:
        escaped = split_long(escaped, limit - 1)[0] + "…"
    return {"type": "mrkdwn", "text": escaped}


def _labelled(label: str, value: str, limit: int) -> dict[str, Any]:
    """A bold label line over an escaped value (labels are escaped too: headings can carry user text)."""
    heading = f"*{escape(label)}*\n" if label else ""
    return {"type": "mrkdwn", "text": heading + _mrkdwn(value, limit - len(heading))["text"]}


def _plain(text: str, limit: int) -> dict[str, Any]:
    # plain_text is never parsed for mentions or links, so it needs no escaping.
    return {"type": "plain_text", "text": _clip(text, limit), "emoji": True}


def _sections(lines: Sequence[str], heading: str = "") -> list[dict[str, Any]]:
    """Section blocks holding every line, each block within SECTION_LIMIT: nothing is clipped."""
    prefix = f"*{escape(heading)}*\n" if heading else ""
    texts = pack([escape(line) for line in lines] or [" "], SECTION_LIMIT, first_prefix=prefix)
    return [{"type": "section", "text": {"type": "mrkdwn", "text": text}} for text in texts]


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[start:start + size] for start in range(0, len(items), size)]


def blocks(message: Message) -> list[dict[str, Any]]:
    """The Block Kit blocks of one message (without its form, which becomes a modal)."""
    out: list[dict[str, Any]] = []
    if message.title:
        out.append({"type": "header", "text": _plain(message.title, HEADER_LIMIT)})
    body = message.body if message.title or message.body else None
    if body is None and not (message.fields or message.sections):
        body = message.text
    if body:
        out += _sections(body.split("\n"))
    for fields in _chunks(message.fields, MAX_FIELDS):
        out.append({"type": "section", "fields": [_labelled(f.label, f.value, FIELD_LIMIT) for f in fields]})
    for section in message.sections:
        out += _sections(section.lines, section.heading)
    if message.image_png is not None:
        # Only the outbox uploads images (SlackMessenger); a reply shown to one person names the chart instead.
        out.append({"type": "context", "elements": [_mrkdwn(f"(chart: {message.image_alt or 'image'}; "
                                                            "it is on the dashboard)")]})
    for actions in _chunks(message.actions, MAX_BUTTONS):
        buttons = [{"type": "button", "text": _plain(a.label, 75), "action_id": a.action_id, "value": a.value}
                   for a in actions]
        out.append({"type": "actions", "elements": buttons})
    if message.context:
        pieces = pack([escape(line) for line in message.context.split("\n")], SECTION_LIMIT)
        out.append({"type": "context", "elements": [{"type": "mrkdwn", "text": piece}
                                                    for piece in pieces[:MAX_CONTEXT_ELEMENTS]]})
    return out


def fallback_text(messages: Sequence[Message]) -> str:
    """The notification and screen-reader text: each message's summary, escaped, within FALLBACK_LIMIT."""
    text = escape("\n\n".join(message.short_text for message in messages))
    return text if len(text) <= FALLBACK_LIMIT else split_long(text, FALLBACK_LIMIT - 1)[0] + "…"


def _within(all_blocks: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """A safety net only: messages are designed to fit (tests build the largest realistic ones)."""
    if len(all_blocks) <= limit:
        return all_blocks
    logger.warning("slack: %d blocks are more than %d; the rest is left out", len(all_blocks), limit)
    note = {"type": "context", "elements": [{"type": "mrkdwn", "text": "(More than Slack shows at once: "
                                             "the rest is on the dashboard.)"}]}
    return [*all_blocks[: limit - 1], note]


def message_payload(messages: Sequence[Message], *, block_limit: int = MESSAGE_BLOCK_LIMIT) -> dict[str, Any]:
    """chat.postMessage / response arguments: a short escaped fallback text plus the blocks of every message."""
    all_blocks: list[dict[str, Any]] = []
    for index, message in enumerate(messages):
        if index:
            all_blocks.append({"type": "divider"})
        all_blocks.extend(blocks(message))
    return {"text": fallback_text(messages), "blocks": _within(all_blocks, block_limit)}


def home_view(messages: Sequence[Message]) -> dict[str, Any]:
    return {"type": "home", "blocks": message_payload(messages, block_limit=HOME_BLOCK_LIMIT)["blocks"]}


def modal_view(form: IdeaForm, *, channel: str | None) -> dict[str, Any]:
    """The submission form as a modal; private_metadata carries the channel the command came from."""
    options = [{"text": _plain(choice.title, 75), "value": choice.key}
               for choice in form.challenges[:MAX_SELECT_OPTIONS]]
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
